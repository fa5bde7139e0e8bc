package dev.platform.local.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.s3.S3SourceStore;
import dev.platform.core.build.SourceStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The local S3 behind the real adapter and an S3 client built as the functions build theirs: snapshots
 * streamed in parts arrive intact with S3's ETags, refused or failed ones leave nothing behind, and the
 * SDK's requests (aws-chunked bodies with a trailing checksum) and errors are S3's.
 */
class LocalS3Test {
    private static final int MIB = 1024 * 1024;
    private static final String BUCKET = "platform-sources";

    @TempDir
    Path dir;
    private LocalS3 local;
    private S3Client s3;
    private SourceStore store;

    @BeforeEach
    void start() throws IOException {
        local = LocalS3.start(dir);
        local.createBucket(BUCKET);
        s3 = client(local);
        store = new S3SourceStore(s3, BUCKET);
    }

    @AfterEach
    void stop() {
        s3.close();
        local.close();
    }

    /** As a function's S3 client is built for an endpoint override: path-style, url-connection HTTP client. */
    private static S3Client client(LocalS3 local) {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(local.endpoint())
                .forcePathStyle(true)
                .build();
    }

    @Test
    void aSnapshotOfSeveralPartsArrivesIntactWithAMultipartETag() throws Exception {
        long size = 20L * MIB + 123; // parts of 8, 8 and 4 MiB
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        assertEquals(size, store.put("b-1/source.tar.gz", new DigestInputStream(new GeneratedStream(size, 1), sent), 100L * MIB));

        assertEquals(hex(sent.digest()), sha256Of("b-1/source.tar.gz"));
        HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key("b-1/source.tar.gz"));
        assertEquals(size, head.contentLength());
        assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
        String etag = multipartETag(new GeneratedStream(size, 1), 8 * MIB);
        assertEquals("\"" + etag + "\"", head.eTag());
        assertEquals(List.of(new ObjectInfo(BUCKET, "b-1/source.tar.gz", size, etag)), local.objects());
        assertNoUploadLeft();
    }

    @Test
    void aSmallSnapshotIsOnePutWithTheMd5AsETag() throws Exception {
        byte[] content = "a small tarball".getBytes(StandardCharsets.UTF_8);
        assertEquals(content.length, store.put("b-2/source.tar.gz", new java.io.ByteArrayInputStream(content), 100L * MIB));

        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("b-2/source.tar.gz"));
        assertArrayEquals(content, object.asByteArray());
        assertEquals("\"" + hex(MessageDigest.getInstance("MD5").digest(content)) + "\"", object.response().eTag());
        assertEquals(ServerSideEncryption.AES256, object.response().serverSideEncryption());
        assertEquals("s3://" + BUCKET + "/b-2/source.tar.gz", store.locationOf("b-2/source.tar.gz"));
    }

    @Test
    void aSnapshotPastTheCapLeavesNoObjectNoUploadAndNoFile() throws Exception {
        assertThrows(SourceStore.TooLargeException.class,
                () -> store.put("b-3/source.tar.gz", new GeneratedStream(20L * MIB, 3), 10L * MIB));
        assertThrows(SourceStore.TooLargeException.class,
                () -> store.put("b-4/source.tar.gz", new GeneratedStream(2000, 4), 1999));
        assertNothingLeft();
    }

    @Test
    void aStreamFailingMidwayLeavesNothing() throws Exception {
        InputStream failing = new GeneratedStream(20L * MIB, 5).failingAfter(9L * MIB);
        assertThrows(IOException.class, () -> store.put("b-5/source.tar.gz", failing, 100L * MIB));
        assertNothingLeft();
    }

    @Test
    void objectsAndUploadsInProgressSurviveARestart() throws Exception {
        store.put("kept", new GeneratedStream(12L * MIB, 6), 100L * MIB);
        String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key("unfinished")).uploadId();
        String sha256 = sha256Of("kept");
        stop();

        local = LocalS3.start(dir);
        s3 = client(local);
        assertEquals(sha256, sha256Of("kept"));
        assertEquals(List.of(uploadId), s3.listMultipartUploads(r -> r.bucket(BUCKET)).uploads().stream()
                .map(u -> u.uploadId()).toList());
        s3.abortMultipartUpload(r -> r.bucket(BUCKET).key("unfinished").uploadId(uploadId));
        assertNoUploadLeft();
    }

    @Test
    void getHeadAndDeleteAnswerAsS3() throws Exception {
        String key = "dir/a key+with ü";
        s3.putObject(r -> r.bucket(BUCKET).key(key).contentType("text/plain"), RequestBody.fromString("0123456789"));

        assertEquals("text/plain", s3.headObject(r -> r.bucket(BUCKET).key(key)).contentType());
        ResponseBytes<GetObjectResponse> range = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key).range("bytes=2-5"));
        assertEquals("2345", range.asUtf8String());
        assertEquals("bytes 2-5/10", range.response().contentRange());
        assertEquals("789", s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key).range("bytes=-3")).asUtf8String());
        assertEquals(List.of(key), s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("dir/")).contents().stream().map(S3Object::key).toList());

        s3.deleteObject(r -> r.bucket(BUCKET).key(key));
        assertThrows(NoSuchKeyException.class, () -> s3.getObject(r -> r.bucket(BUCKET).key(key)));
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(BUCKET).key(key)));
        assertThrows(NoSuchBucketException.class, () -> s3.getObject(r -> r.bucket("no-such-bucket").key(key)));
        assertThrows(NoSuchBucketException.class,
                () -> s3.putObject(r -> r.bucket("no-such-bucket").key(key), RequestBody.fromString("x")));
        assertThrows(NoSuchUploadException.class,
                () -> s3.abortMultipartUpload(r -> r.bucket(BUCKET).key(key).uploadId("no-such-upload")));
        s3.deleteObject(r -> r.bucket(BUCKET).key(key)); // deleting what is gone is no error
    }

    @Test
    void listingPagesThroughKeysInOrder() {
        List<String> keys = List.of("p/a", "p/b", "p/c", "p/d", "p/e", "q/a");
        for (String key : keys.reversed()) {
            s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(key));
        }
        List<String> listed = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix("p/").maxKeys(2)).contents().forEach(o -> listed.add(o.key()));
        assertEquals(keys.subList(0, 5), listed);
    }

    @Test
    void completingWithASmallPartBeforeTheLastIsRefusedAsS3Does() {
        String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key("small-parts")).uploadId();
        List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            int number = n;
            String etag = s3.uploadPart(r -> r.bucket(BUCKET).key("small-parts").uploadId(uploadId).partNumber(number),
                    RequestBody.fromString("part " + number)).eTag();
            parts.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        S3Exception refused = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(BUCKET)
                .key("small-parts").uploadId(uploadId).multipartUpload(u -> u.parts(parts))));
        assertEquals("EntityTooSmall", refused.awsErrorDetails().errorCode());
    }

    /** The framing the SDK sends over HTTPS, by hand: decoded, its trailing CRC32 checked. */
    @Test
    void anAwsChunkedBodyIsDecodedAndItsTrailingChecksumVerified() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String crc32 = Base64.getEncoder().encodeToString(ChecksumAlgorithm.CRC32.of("hello world".getBytes(StandardCharsets.UTF_8)));
        String body = "5;chunk-signature=0123\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:" + crc32 + "\r\n\r\n";
        HttpResponse<String> stored = http.send(chunkedPut("/" + BUCKET + "/raw", body), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stored.statusCode(), stored.body());
        assertEquals("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"", stored.headers().firstValue("ETag").orElseThrow()); // MD5("hello world")
        assertEquals(crc32, stored.headers().firstValue("x-amz-checksum-crc32").orElseThrow());
        assertEquals("hello world", s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("raw")).asUtf8String());

        String wrong = body.replace(crc32, Base64.getEncoder().encodeToString(new byte[4]));
        HttpResponse<String> refused = http.send(chunkedPut("/" + BUCKET + "/corrupt", wrong), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("<Code>BadDigest</Code>"), refused.body());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(BUCKET).key("corrupt")));
        assertEquals(List.of(), tmpFiles(), "nothing of the refused body is kept");
    }

    @Test
    void crc64NvmeMatchesItsCheckValue() {
        assertEquals("ae8b14860a799888", hex(ChecksumAlgorithm.CRC64NVME.of("123456789".getBytes(StandardCharsets.US_ASCII))));
    }

    private HttpRequest chunkedPut(String path, String body) {
        return HttpRequest.newBuilder(URI.create(local.endpoint() + path))
                .header("Content-Encoding", "aws-chunked")
                .header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .header("x-amz-trailer", "x-amz-checksum-crc32")
                .header("x-amz-decoded-content-length", "11")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private String sha256Of(String key) throws Exception {
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(r -> r.bucket(BUCKET).key(key))) {
            object.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), received));
        }
        return hex(received.digest());
    }

    /** S3's ETag of a multipart upload: MD5 of the parts' MD5s, a dash, the number of parts. */
    private static String multipartETag(InputStream content, int partBytes) throws Exception {
        MessageDigest md5s = MessageDigest.getInstance("MD5");
        int parts = 0;
        for (byte[] part = content.readNBytes(partBytes); part.length > 0; part = content.readNBytes(partBytes)) {
            md5s.update(MessageDigest.getInstance("MD5").digest(part));
            parts++;
        }
        return hex(md5s.digest()) + "-" + parts;
    }

    private void assertNothingLeft() throws IOException {
        assertEquals(List.of(), s3.listObjectsV2(r -> r.bucket(BUCKET)).contents(), "no object");
        assertEquals(List.of(), local.objects());
        assertNoUploadLeft();
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(dir.resolve(BUCKET).resolve("bucket.meta")), files.filter(Files::isRegularFile).toList(),
                    "no part or temporary file is left on disk");
        }
    }

    private void assertNoUploadLeft() {
        assertEquals(List.of(), s3.listMultipartUploads(r -> r.bucket(BUCKET)).uploads(), "no unfinished multipart upload");
    }

    private List<Path> tmpFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(".tmp"))) {
            return files.toList();
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
