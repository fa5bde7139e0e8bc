package dev.platform.core.deploy;

/**
 * A listener rule priority is held by the rule of another host: the caller picks another priority (or
 * the reconciler frees it). Priorities are unique per listener, so the rule was not created.
 */
public final class PriorityTakenException extends RuntimeException {
    public PriorityTakenException(int priority, String host, String listener) {
        super("priority " + priority + " on listener " + listener + " is taken by another host's rule; " + host + " was not routed");
    }
}
