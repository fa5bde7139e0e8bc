package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.s3.S3SourceStore;
import dev.platform.core.build.SourceStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The source store against the AWS API emulator: snapshots larger than a part arrive intact and
 * encrypted, and a snapshot that is too large or fails to read leaves neither an object nor an
 * unfinished multipart upload behind.
 */
class S3SourceStoreContractTest {
    private static final int MIB = 1024 * 1024;
    // The build launcher's timeout, not the webhook's: an 8 MiB part is more than the default allows a slow emulator.
    private final PlatformConfig config = AwsEmulator.config(Map.of(PlatformConfig.FUNCTION_TIMEOUT_SECONDS, "120"));
    private final S3Client s3 = AwsModule.s3(config, AwsModule.credentials(config));
    private final String bucket = "sources-" + UUID.randomUUID();
    private final SourceStore store = new S3SourceStore(s3, bucket);

    S3SourceStoreContractTest() {
        s3.createBucket(r -> r.bucket(bucket));
    }

    @Test
    void aSnapshotOfSeveralPartsArrivesIntactAndEncrypted() throws Exception {
        assertStoredIntact(20L * MIB + 123, "b-1/source.tar.gz");
    }

    @Test
    void aSnapshotSmallerThanAPartIsStoredToo() throws Exception {
        assertStoredIntact(1000, "b-2/source.tar.gz");
        assertStoredIntact(0, "b-3/empty.tar.gz");
    }

    @Test
    void aSnapshotOfExactlyOnePartIsStored() throws Exception {
        assertStoredIntact(8L * MIB, "b-4/source.tar.gz");
    }

    @Test
    void aSnapshotPastTheCapIsRefusedAndLeavesNothing() {
        long cap = 10L * MIB; // past the first part: one part was uploaded before the cap was reached
        SourceStore.TooLargeException refused = assertThrows(SourceStore.TooLargeException.class,
                () -> store.put("b-5/source.tar.gz", new GeneratedStream(20L * MIB, 5), cap));
        assertTrue(refused.getMessage().contains(Long.toString(cap)), refused.getMessage());
        assertThrows(SourceStore.TooLargeException.class,
                () -> store.put("b-6/source.tar.gz", new GeneratedStream(1001, 6), 1000));
        assertNothingLeft();
    }

    @Test
    void aStreamThatFailsMidwayLeavesNothing() {
        InputStream failing = new GeneratedStream(20L * MIB, 7).failingAfter(12L * MIB);
        IOException failed = assertThrows(IOException.class, () -> store.put("b-7/source.tar.gz", failing, 100L * MIB));
        assertEquals("connection reset by GitHub", failed.getMessage());
        assertNothingLeft();
    }

    @Test
    void theLocationIsTheObjectsS3Url() {
        assertEquals("s3://" + bucket + "/b-8/source.tar.gz", store.locationOf("b-8/source.tar.gz"));
    }

    private void assertStoredIntact(long size, String key) throws Exception {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        long stored = store.put(key, new DigestInputStream(new GeneratedStream(size, size), sent), 100L * MIB);
        assertEquals(size, stored);

        MessageDigest received = MessageDigest.getInstance("SHA-256");
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(r -> r.bucket(bucket).key(key))) {
            object.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), received));
        }
        assertEquals(HexFormat.of().formatHex(sent.digest()), HexFormat.of().formatHex(received.digest()));
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
        assertEquals(size, head.contentLength());
        assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
    }

    private void assertNothingLeft() {
        assertEquals(List.of(), s3.listObjectsV2(r -> r.bucket(bucket)).contents(), "no object");
        assertEquals(List.of(), s3.listMultipartUploads(r -> r.bucket(bucket)).uploads(), "no unfinished multipart upload");
    }
}
