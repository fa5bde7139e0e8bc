package dev.platform.core.build;

import java.util.Locale;

/** Where a build's current attempt is: {@code queued → running → succeeded | failed | superseded | cancelled}. */
public enum BuildStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, SUPERSEDED, CANCELLED;

    /** Queued or running: a task is, or is about to be, at work. */
    public boolean active() {
        return this == QUEUED || this == RUNNING;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BuildStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
