package dev.platform.core.config;

/**
 * A sealed value or a wrapped data key that cannot be opened: its encryption context is not the one it was sealed
 * under, it was altered, or it is not a sealed value at all. Deliberately one type for all of these (and never the
 * cause's details in the message beyond its kind) so a caller cannot tell a wrong context from a forged blob.
 */
public final class DecryptionFailedException extends RuntimeException {
    public DecryptionFailedException(String message) {
        super(message);
    }

    public DecryptionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
