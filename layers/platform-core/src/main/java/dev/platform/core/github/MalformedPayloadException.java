package dev.platform.core.github;

/** A delivery that is signed correctly but is not the JSON GitHub documents. The message names the field. */
public final class MalformedPayloadException extends Exception {
    public MalformedPayloadException(String message) {
        super(message);
    }
}
