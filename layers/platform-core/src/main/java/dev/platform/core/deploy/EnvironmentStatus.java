package dev.platform.core.deploy;

import java.util.Locale;

/** Where an environment's resources stand. */
public enum EnvironmentStatus {
    /** its latest deployment rolls out (an earlier one may still serve) */
    DEPLOYING,
    /** its latest deployment serves */
    ACTIVE,
    /** its latest deployment failed; the one before it, if any, still serves */
    FAILED,
    /** its resources are being removed */
    DELETING,
    /** nothing of it is left */
    DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EnvironmentStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
