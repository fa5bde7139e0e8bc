package dev.platform.core.github;

/**
 * A delivery that is well-formed JSON of the right shape but cannot be taken as it is: a field beyond
 * GitHub's own limits, or an event too large for a queue message. Answered 422: retrying it cannot help.
 */
public final class UnprocessableDeliveryException extends Exception {
    public UnprocessableDeliveryException(String message) {
        super(message);
    }
}
