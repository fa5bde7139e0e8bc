package dev.platform.core.build;

import java.io.IOException;
import java.io.InputStream;

/**
 * Port: where a build's source snapshot waits for the builder (on AWS an S3 bucket the builder task may
 * read and nothing else may). The snapshot is streamed in, never held in memory whole.
 */
public interface SourceStore {

    /** More bytes arrived than the cap allows; nothing is kept. */
    final class TooLargeException extends IOException {
        public TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * Streams {@code content} into the object {@code key}, replacing any object there.
     *
     * @param maxBytes the cap: past it the upload is abandoned and nothing is kept
     * @return the bytes stored
     * @throws TooLargeException past the cap
     * @throws IOException when reading {@code content} fails (nothing is kept)
     */
    long put(String key, InputStream content, long maxBytes) throws IOException;

    /** Where the builder reads the object from ({@code s3://bucket/key} on AWS). */
    String locationOf(String key);
}
