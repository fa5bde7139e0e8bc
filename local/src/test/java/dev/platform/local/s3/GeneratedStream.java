package dev.platform.local.s3;

import java.io.IOException;
import java.io.InputStream;

/** {@code size} pseudo-random bytes made as they are read (no file, nothing held), the same for the same seed. */
final class GeneratedStream extends InputStream {
    private final long size;
    private long state;
    private long position;
    private long failAt = Long.MAX_VALUE;

    GeneratedStream(long size, long seed) {
        this.size = size;
        this.state = seed ^ 0x9E3779B97F4A7C15L;
    }

    /** The same stream, throwing as a dropped download does once {@code bytes} were read. */
    GeneratedStream failingAfter(long bytes) {
        failAt = bytes;
        return this;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (position >= failAt) {
            throw new IOException("connection reset by GitHub");
        }
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, Math.min(size, failAt) - position);
        for (int i = 0; i < n; i++) {
            state ^= state << 13; // xorshift64
            state ^= state >>> 7;
            state ^= state << 17;
            buffer[offset + i] = (byte) state;
        }
        position += n;
        return n;
    }
}
