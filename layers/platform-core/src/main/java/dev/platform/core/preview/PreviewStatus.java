package dev.platform.core.preview;

import java.util.Locale;

/**
 * Lifecycle of a preview. The orchestrator moves previews between {@code pending},
 * {@code awaiting_approval} (a fork's head not approved yet) and {@code deleted}; the builder marks
 * {@code building}, then {@code built} or {@code failed}; deploys and auto-sleep drive the states after.
 */
public enum PreviewStatus {
    PENDING, AWAITING_APPROVAL, BUILDING, BUILT, DEPLOYING, ACTIVE, SLEEPING, FAILED, DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PreviewStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
