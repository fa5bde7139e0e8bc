package dev.platform.aws.s3;

import dev.platform.core.build.SourceStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Source snapshots in an S3 bucket, streamed in 8 MiB parts: one part is in memory at a time, whatever
 * the snapshot's size. A snapshot smaller than one part is a single PutObject; a larger one a multipart
 * upload that is completed only when the whole stream was read within the cap, and aborted otherwise
 * (an abandoned multipart upload would keep its parts, billed and invisible, until a lifecycle rule
 * reaped them).
 *
 * <p>Encryption (SSE-S3) is asked for on every upload although the bucket's default does the same: the
 * snapshot is the customer's code, and a bucket whose default changed must not silently store it in
 * the clear. CRC32 checksums are asked for explicitly too, so the parts' checksums the upload was
 * created with are the ones completed.
 */
public final class S3SourceStore implements SourceStore {
    /** S3 wants at least 5 MiB in every part but the last; 8 MiB is the SDKs' usual part size. */
    static final int PART_BYTES = 8 * 1024 * 1024;
    /** S3's limit of parts per upload. */
    static final int MAX_PARTS = 10_000;
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;

    public S3SourceStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public long put(String key, InputStream content, long maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
        CappedReader reader = new CappedReader(content, maxBytes);
        byte[] buffer = new byte[PART_BYTES];
        int filled = reader.fill(buffer);
        if (reader.ended()) {
            s3.putObject(r -> r.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                    .serverSideEncryption(ServerSideEncryption.AES256)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32), body(buffer, filled));
            return reader.total();
        }
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                .serverSideEncryption(ServerSideEncryption.AES256)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            while (filled > 0) {
                int partNumber = parts.size() + 1;
                int length = filled;
                if (partNumber > MAX_PARTS) {
                    throw new TooLargeException("source snapshot " + key + " needs more than " + MAX_PARTS + " parts of "
                            + PART_BYTES + " bytes");
                }
                UploadPartResponse part = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) length).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                        body(buffer, length));
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(part.eTag())
                        .checksumCRC32(part.checksumCRC32()).build());
                filled = reader.ended() ? 0 : reader.fill(buffer);
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(parts)));
            return reader.total();
        } catch (IOException | RuntimeException | Error e) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    @Override
    public String locationOf(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** The buffer's first bytes, without a copy; the SDK may open it again to retry. */
    private static RequestBody body(byte[] buffer, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length, CONTENT_TYPE);
    }

    /**
     * Reads the stream a part at a time and at most one byte past the cap, so a too large snapshot is
     * noticed before any byte past the cap is uploaded, and without reading the rest of it.
     */
    private static final class CappedReader {
        private final InputStream in;
        private final long maxBytes;
        private long total;
        private boolean ended;

        CappedReader(InputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        /** Fills {@code buffer} unless the stream ends first; returns how many bytes it holds. */
        int fill(byte[] buffer) throws IOException {
            int filled = 0;
            while (filled < buffer.length) {
                long left = maxBytes - total;
                long allowed = left < Long.MAX_VALUE ? left + 1 : left; // one byte past the cap proves it too large
                int n = in.read(buffer, filled, (int) Math.min(buffer.length - filled, allowed));
                if (n < 0) {
                    ended = true;
                    break;
                }
                filled += n;
                total += n;
                if (total > maxBytes) {
                    throw new TooLargeException("source snapshot is larger than the cap of " + maxBytes + " bytes");
                }
            }
            return filled;
        }

        boolean ended() {
            return ended;
        }

        long total() {
            return total;
        }
    }
}
