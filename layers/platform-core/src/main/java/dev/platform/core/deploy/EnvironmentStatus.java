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
    /** a preview scaled to 0: its host rule forwards to the waker */
    SLEEPING,
    /** a preview starting again after a request or a command: its rule forwards to the waker until the service is healthy */
    WAKING,
    /** its resources are being removed */
    DELETING,
    /** nothing of it is left */
    DELETED;

    /** Whether its service is meant to run (the previews counted against a project's cap, and swept for idleness). */
    public boolean running() {
        return this == DEPLOYING || this == ACTIVE || this == FAILED || this == WAKING;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EnvironmentStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
