package dev.platform.core.preview;

import java.util.Locale;

/**
 * Lifecycle of a preview. The orchestrator moves previews between {@code pending} and
 * {@code deleted}; builds, deploys and auto-sleep drive the states in between.
 */
public enum PreviewStatus {
    PENDING, BUILDING, DEPLOYING, ACTIVE, SLEEPING, FAILED, DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PreviewStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
