package dev.platform.local.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The payload of an {@code aws-chunked} body ({@code Content-Encoding: aws-chunked}), decoded as it is
 * read: {@code <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n} repeated, a last chunk of size 0, then
 * trailer lines {@code name:value\r\n} up to an empty line. The SDK sends it signed
 * ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}) over HTTP and unsigned
 * ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}) over HTTPS; the framing is the same. Signatures are not
 * checked (the local stand-in checks no credentials); the trailers are kept for the checksum.
 */
final class AwsChunkedInputStream extends InputStream {
    /** A body that does not follow the framing. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    private static final int MAX_LINE = 4096;

    private final InputStream in;
    private final Map<String, String> trailers = new HashMap<>();
    private long remaining; // bytes left in the current chunk
    private boolean ended;

    AwsChunkedInputStream(InputStream in) {
        this.in = in;
    }

    /** The trailers by lower-case name, once the stream was read to its end. */
    Map<String, String> trailers() {
        return trailers;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (remaining == 0 && !ended) {
            nextChunk();
        }
        if (ended) {
            return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new MalformedException("the body ended inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            expectLineEnd();
        }
        return n;
    }

    private void nextChunk() throws IOException {
        String header = line();
        int semicolon = header.indexOf(';');
        String hex = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        long size;
        try {
            size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new MalformedException("not a chunk size: '" + hex + "'");
        }
        if (size < 0) {
            throw new MalformedException("negative chunk size");
        }
        if (size > 0) {
            remaining = size;
            return;
        }
        ended = true;
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
            int colon = trailer.indexOf(':');
            if (colon <= 0) {
                throw new MalformedException("not a trailer: '" + trailer + "'");
            }
            trailers.put(trailer.substring(0, colon).trim().toLowerCase(Locale.ROOT), trailer.substring(colon + 1).trim());
        }
    }

    private void expectLineEnd() throws IOException {
        if (in.read() != '\r' || in.read() != '\n') {
            throw new MalformedException("a chunk is not followed by CRLF");
        }
    }

    /** One line without its CRLF; the body ending first is malformed. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new MalformedException("the body ended before its last chunk and trailers");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new MalformedException("CR without LF");
                }
                return line.toString(StandardCharsets.US_ASCII);
            }
            if (line.size() == MAX_LINE) {
                throw new MalformedException("a chunk header or trailer is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }
}
