package dev.platform.local;

/**
 * Something another process holds (the port, the data dir) keeps this runtime from starting. Its
 * message is the one line the user sees; nothing was changed.
 */
public final class StartupConflict extends RuntimeException {
    StartupConflict(String message) {
        super(message);
    }
}
