package dev.platform.core.preview;

import java.util.Locale;

/**
 * Lifecycle of a preview. The orchestrator moves previews between {@code pending},
 * {@code awaiting_approval} (a fork's head not approved yet) and {@code deleted}; the builder marks
 * {@code building}, then {@code built} or {@code failed}; deploys drive the states after, and
 * auto-sleep and the waker {@code sleeping}, {@code waking} and {@code expired} (torn down, the pull request still open).
 */
public enum PreviewStatus {
    PENDING, AWAITING_APPROVAL, BUILDING, BUILT, DEPLOYING, ACTIVE, SLEEPING, WAKING, FAILED, EXPIRED, DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PreviewStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
