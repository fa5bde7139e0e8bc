package dev.platform.core.build;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The top directory of a GitHub tarball, read from its first bytes while the stream goes on untouched.
 * GitHub's archives hold one directory ({@code <owner>-<repo>-<short sha>/}) whose exact name the
 * platform cannot know beforehand; the builder needs it to find the build context inside the snapshot.
 * Only the head of the stream is buffered ({@value #PEEK_BYTES} bytes), never the archive.
 */
public final class TarballRoot {
    static final int PEEK_BYTES = 64 * 1024;
    private static final int BLOCK = 512;

    /**
     * @param root the top directory, without a slash
     * @param stream the whole archive again, from its first byte
     */
    public record Peeked(String root, InputStream stream) {
    }

    private TarballRoot() {
    }

    /**
     * @throws IOException when the head is not a gzipped tar whose entries share one top directory
     */
    public static Peeked peek(InputStream tarGz) throws IOException {
        byte[] head = tarGz.readNBytes(PEEK_BYTES);
        String root = rootOf(head);
        return new Peeked(root, new SequenceInputStream(new ByteArrayInputStream(head), tarGz));
    }

    private static String rootOf(byte[] head) throws IOException {
        byte[] tar;
        try (GZIPInputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(head))) {
            tar = gunzip.readNBytes(PEEK_BYTES);
        } catch (java.io.EOFException truncated) {
            throw new IOException("the source archive's first entries do not fit in " + PEEK_BYTES + " bytes");
        }
        int offset = 0;
        while (offset + BLOCK <= tar.length) {
            String name = field(tar, offset, 100);
            if (name.isEmpty()) {
                break; // end of archive
            }
            char type = (char) tar[offset + 156];
            String octalSize = field(tar, offset + 124, 12).trim();
            long size = octalSize.isEmpty() ? 0 : Long.parseLong(octalSize, 8);
            if (type != 'g' && type != 'x') { // pax headers (git writes a global one with the commit) name no file
                int slash = name.indexOf('/');
                String root = slash < 0 ? name : name.substring(0, slash);
                if (root.isEmpty() || root.equals(".") || root.equals("..")) {
                    break;
                }
                return root;
            }
            offset += BLOCK + (int) ((size + BLOCK - 1) / BLOCK) * BLOCK;
        }
        throw new IOException("the source archive has no top directory");
    }

    private static String field(byte[] tar, int offset, int length) {
        int end = offset;
        while (end < offset + length && tar[end] != 0) {
            end++;
        }
        return new String(tar, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
