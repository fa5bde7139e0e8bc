package dev.platform.local.s3;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.json.JsonLog;
import dev.platform.embedded.FreePort;
import dev.platform.local.http.Exchanges;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * S3, locally: an endpoint speaking enough of S3's REST API, path-style ({@code /bucket/key}), for the
 * platform's S3 adapters and a user's AWS CLI. Buckets (create, head, list), objects (put, get with an
 * optional range, head, delete, ListObjectsV2 by prefix) and multipart uploads (create, upload part,
 * complete, abort, list) are answered with S3's XML and error codes ({@code NoSuchBucket},
 * {@code NoSuchKey}, {@code NoSuchUpload}, ...). Anything else is answered {@code NotImplemented}, never
 * silently ignored.
 *
 * <p>Bodies are streamed to files under the directory it is given ({@link ObjectStore}), never held in
 * memory whole. The SDK sends object bytes {@code aws-chunked} with a trailing checksum (CRC32 unless
 * told otherwise); the framing is decoded and the checksum (or a checksum or {@code Content-MD5} sent as
 * a header) verified, and a mismatch is S3's {@code BadDigest}: nothing is stored. ETags are S3's: the MD5
 * of the bytes, or for a multipart upload the MD5 of the parts' MD5s and the number of parts.
 *
 * <p>Credentials and signatures are not checked. Objects are reported encrypted with SSE-S3, as every
 * S3 object is; their files are not.
 */
public final class LocalS3 implements AutoCloseable {
    private static final Set<String> OBJECT_SUBRESOURCES = Set.of("acl", "tagging", "attributes", "legal-hold", "retention",
            "torrent", "restore", "select", "uploadId", "partNumber", "versionId");
    private static final int MAX_KEYS = 1000;
    private static final int MAX_XML_BYTES = 4 * 1024 * 1024;
    /** An error answered before the body was read: read and dropped up to this much, so the client sees the answer. */
    private static final long MAX_DRAINED_BYTES = 64L * 1024 * 1024;
    private static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    private static final String SSE_S3 = "AES256";
    private static final String OWNER = "local";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final String host;
    private final ObjectStore store;

    private LocalS3(HttpServer server, String host, ObjectStore store) {
        this.server = server;
        this.host = host;
        this.store = store;
    }

    /** On 127.0.0.1, on a free port. */
    public static LocalS3 start(Path dataDir) throws IOException {
        return start(FreePort.LOOPBACK, 0, dataDir);
    }

    /**
     * @param bindAddress the interface to listen on
     * @param port 0 for any free port
     * @param dataDir where buckets and objects are kept (what an earlier run kept there is served again)
     */
    public static LocalS3 start(String bindAddress, int port, Path dataDir) throws IOException {
        ObjectStore store = ObjectStore.open(dataDir);
        HttpServer server = Exchanges.listen(bindAddress, port, 64);
        LocalS3 s3 = new LocalS3(server, bindAddress, store);
        server.createContext("/", s3::serve);
        server.start();
        return s3;
    }

    public URI endpoint() {
        return FreePort.url(host, server.getAddress().getPort());
    }

    /** Makes sure the bucket exists (the runtime's own buckets, at every start). */
    public void createBucket(String name) {
        store.createBucket(name);
    }

    /** The buckets, by name. */
    public List<String> buckets() {
        return store.buckets().stream().map(ObjectStore.BucketInfo::name).toList();
    }

    /** Every object held, by bucket and key. */
    public List<ObjectInfo> objects() {
        return store.objects().stream().map(o -> new ObjectInfo(o.bucket(), o.key(), o.size(), o.etag())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- HTTP

    /** A request, path-style: {@code /}, {@code /bucket} or {@code /bucket/key}. */
    private record Request(HttpExchange exchange, String method, String bucket, String key, Map<String, String> query) {
        Headers headers() {
            return exchange.getRequestHeaders();
        }

        boolean head() {
            return method.equals("HEAD");
        }

        static Request of(HttpExchange exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String rest = path.startsWith("/") ? path.substring(1) : path;
            String bucket = null;
            String key = null;
            if (!rest.isEmpty()) {
                int slash = rest.indexOf('/');
                bucket = percentDecode(slash < 0 ? rest : rest.substring(0, slash), false);
                key = slash < 0 || slash == rest.length() - 1 ? null : percentDecode(rest.substring(slash + 1), false);
            }
            Map<String, String> query = new HashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            if (raw != null && !raw.isEmpty()) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
                    query.putIfAbsent(name, eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true));
                }
            }
            return new Request(exchange, exchange.getRequestMethod().toUpperCase(Locale.ROOT), bucket, key, query);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
            exchange.getResponseHeaders().set("x-amz-request-id", requestId);
            Request request = null;
            try {
                request = Request.of(exchange);
                route(request);
            } catch (S3Error e) {
                answerError(exchange, request, e, requestId);
            } catch (AwsChunkedInputStream.MalformedException e) {
                answerError(exchange, request, new S3Error(400, "IncompleteBody", "The aws-chunked body is malformed: " + e.getMessage()),
                        requestId);
            } catch (IOException e) {
                // the client went away mid-body, or the disk failed: nothing was stored
                JsonLog.warn("local S3 request failed", Map.of("method", exchange.getRequestMethod(),
                        "path", exchange.getRequestURI().getRawPath(), "error", String.valueOf(e.getMessage())));
                answerError(exchange, request, internalError(), requestId);
            } catch (RuntimeException e) {
                JsonLog.error("local S3 request failed", Map.of("method", exchange.getRequestMethod(),
                        "path", exchange.getRequestURI().getRawPath()), e);
                answerError(exchange, request, internalError(), requestId);
            }
        }
    }

    private void route(Request r) throws IOException {
        if (r.bucket() == null) {
            if (r.method().equals("GET")) {
                listBuckets(r);
                return;
            }
            throw S3Error.notImplemented(r.method() + " /");
        }
        if (r.key() == null) {
            switch (r.method()) {
                case "PUT" -> {
                    if (!r.query().isEmpty()) {
                        throw S3Error.notImplemented("PUT /bucket?" + String.join("&", r.query().keySet()));
                    }
                    createBucket(r);
                }
                case "HEAD" -> headBucket(r);
                case "GET" -> {
                    if (r.query().containsKey("uploads")) {
                        listUploads(r);
                    } else if ("2".equals(r.query().get("list-type"))) {
                        listObjectsV2(r);
                    } else {
                        throw S3Error.notImplemented("GET /bucket" + (r.query().isEmpty() ? " (ListObjects v1)" : "?"
                                + String.join("&", r.query().keySet())));
                    }
                }
                default -> throw S3Error.notImplemented(r.method() + " /bucket");
            }
            return;
        }
        switch (r.method()) {
            case "PUT" -> {
                if (r.query().containsKey("uploadId") && r.query().containsKey("partNumber")) {
                    if (r.headers().containsKey("x-amz-copy-source")) {
                        throw S3Error.notImplemented("UploadPartCopy");
                    }
                    uploadPart(r);
                } else if (r.headers().containsKey("x-amz-copy-source")) {
                    throw S3Error.notImplemented("CopyObject");
                } else if (!r.query().isEmpty()) {
                    throw S3Error.notImplemented("PUT /bucket/key?" + String.join("&", r.query().keySet()));
                } else {
                    putObject(r);
                }
            }
            case "GET", "HEAD" -> {
                for (String name : r.query().keySet()) {
                    if (OBJECT_SUBRESOURCES.contains(name)) {
                        throw S3Error.notImplemented(r.method() + " /bucket/key?" + name);
                    }
                }
                getObject(r);
            }
            case "DELETE" -> {
                if (r.query().containsKey("uploadId")) {
                    store.abort(r.bucket(), r.key(), r.query().get("uploadId"));
                } else {
                    store.delete(r.bucket(), r.key());
                }
                r.exchange().sendResponseHeaders(204, -1);
            }
            case "POST" -> {
                if (r.query().containsKey("uploads")) {
                    createUpload(r);
                } else if (r.query().containsKey("uploadId")) {
                    completeUpload(r);
                } else {
                    throw S3Error.notImplemented("POST /bucket/key?" + String.join("&", r.query().keySet()));
                }
            }
            default -> throw S3Error.notImplemented(r.method() + " /bucket/key");
        }
    }

    // ---- buckets

    private void listBuckets(Request r) throws IOException {
        S3Xml xml = S3Xml.document("ListAllMyBucketsResult");
        xml.open("Owner").element("ID", OWNER).element("DisplayName", OWNER).close();
        xml.open("Buckets");
        for (ObjectStore.BucketInfo bucket : store.buckets()) {
            xml.open("Bucket").element("Name", bucket.name()).element("CreationDate", S3Xml.timestamp(bucket.created())).close();
        }
        xml.close();
        answerXml(r, 200, xml);
    }

    private void createBucket(Request r) throws IOException {
        drain(r.exchange()); // the optional CreateBucketConfiguration: one region here
        if (!store.createBucket(r.bucket())) {
            throw new S3Error(409, "BucketAlreadyOwnedByYou",
                    "Your previous request to create the named bucket succeeded and you already own it.", "BucketName", r.bucket());
        }
        r.exchange().getResponseHeaders().set("Location", "/" + r.bucket());
        r.exchange().sendResponseHeaders(200, -1);
    }

    private void headBucket(Request r) throws IOException {
        if (!store.bucketExists(r.bucket())) {
            throw S3Error.noSuchBucket(r.bucket());
        }
        r.exchange().getResponseHeaders().set("x-amz-bucket-region", "us-east-1");
        r.exchange().sendResponseHeaders(200, -1);
    }

    private void listObjectsV2(Request r) throws IOException {
        Map<String, String> q = r.query();
        if (!q.getOrDefault("delimiter", "").isEmpty()) {
            throw S3Error.notImplemented("ListObjectsV2 with a delimiter");
        }
        String prefix = q.getOrDefault("prefix", "");
        int maxKeys = intParameter(q, "max-keys", MAX_KEYS);
        String token = q.get("continuation-token");
        String startAfter = q.get("start-after");
        String after = startAfter;
        if (token != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw S3Error.invalidArgument("The continuation token provided is incorrect");
            }
        }
        ObjectStore.Listing listing = store.list(r.bucket(), prefix, after, Math.min(maxKeys, MAX_KEYS));
        boolean url = "url".equals(q.get("encoding-type"));
        boolean truncated = listing.truncated() && !listing.objects().isEmpty();
        S3Xml xml = S3Xml.document("ListBucketResult")
                .element("Name", r.bucket())
                .element("Prefix", encodeIf(url, prefix))
                .element("ContinuationToken", token)
                .element("StartAfter", startAfter == null ? null : encodeIf(url, startAfter))
                .element("KeyCount", listing.objects().size())
                .element("MaxKeys", maxKeys)
                .element("EncodingType", url ? "url" : null)
                .element("IsTruncated", truncated);
        if (truncated) {
            String last = listing.objects().get(listing.objects().size() - 1).key();
            xml.element("NextContinuationToken", Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
        }
        for (ObjectStore.ObjectMeta object : listing.objects()) {
            xml.open("Contents")
                    .element("Key", encodeIf(url, object.key()))
                    .element("LastModified", S3Xml.timestamp(object.lastModified()))
                    .element("ETag", quoted(object.etag()))
                    .element("Size", object.size())
                    .element("StorageClass", "STANDARD")
                    .close();
        }
        answerXml(r, 200, xml);
    }

    private void listUploads(Request r) throws IOException {
        if (!r.query().getOrDefault("delimiter", "").isEmpty()) {
            throw S3Error.notImplemented("ListMultipartUploads with a delimiter");
        }
        String prefix = r.query().getOrDefault("prefix", "");
        boolean url = "url".equals(r.query().get("encoding-type"));
        S3Xml xml = S3Xml.document("ListMultipartUploadsResult")
                .element("Bucket", r.bucket())
                .element("KeyMarker", "")
                .element("UploadIdMarker", "")
                .element("Prefix", encodeIf(url, prefix))
                .element("MaxUploads", MAX_KEYS)
                .element("EncodingType", url ? "url" : null)
                .element("IsTruncated", false);
        for (ObjectStore.Upload upload : store.uploads(r.bucket(), prefix)) {
            xml.open("Upload")
                    .element("Key", encodeIf(url, upload.key()))
                    .element("UploadId", upload.id())
                    .open("Initiator").element("ID", OWNER).element("DisplayName", OWNER).close()
                    .open("Owner").element("ID", OWNER).element("DisplayName", OWNER).close()
                    .element("StorageClass", "STANDARD")
                    .element("Initiated", S3Xml.timestamp(upload.initiated()))
                    .element("ChecksumAlgorithm", upload.checksumAlgorithm() == null ? null : upload.checksumAlgorithm().name())
                    .close();
        }
        answerXml(r, 200, xml);
    }

    // ---- objects

    private void putObject(Request r) throws IOException {
        if (!store.bucketExists(r.bucket())) {
            throw S3Error.noSuchBucket(r.bucket()); // before reading the body
        }
        String encryption = encryption(r.headers());
        ObjectStore.Received received = receive(r);
        ObjectStore.ObjectMeta object;
        try {
            object = store.commitObject(r.bucket(), r.key(), received, contentType(r.headers()), encryption);
        } catch (RuntimeException e) {
            received.discard();
            throw e;
        }
        Headers answer = r.exchange().getResponseHeaders();
        answer.set("ETag", quoted(object.etag()));
        answer.set("x-amz-server-side-encryption", object.encryption());
        if (received.checksum() != null) {
            answer.set(received.checksumAlgorithm().header(), received.checksumBase64());
            answer.set("x-amz-checksum-type", "FULL_OBJECT");
        }
        r.exchange().sendResponseHeaders(200, -1);
    }

    /** GetObject and HeadObject: the same headers, a body only for GET. */
    private void getObject(Request r) throws IOException {
        ObjectStore.OpenObject open = r.head() ? null : store.open(r.bucket(), r.key());
        ObjectStore.ObjectMeta object = open != null ? open.meta() : store.head(r.bucket(), r.key());
        try (FileChannel channel = open == null ? null : open.channel()) {
            long size = object.size();
            long start = 0;
            long length = size;
            int status = 200;
            Headers answer = r.exchange().getResponseHeaders();
            long[] range = range(r.headers().getFirst("Range"), size);
            if (range != null) {
                start = range[0];
                length = range[1] - range[0] + 1;
                status = 206;
                answer.set("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
            } else if ("ENABLED".equalsIgnoreCase(r.headers().getFirst("x-amz-checksum-mode")) && object.checksum() != null) {
                answer.set(object.checksumAlgorithm().header(), object.checksum());
                answer.set("x-amz-checksum-type", object.checksum().contains("-") ? "COMPOSITE" : "FULL_OBJECT");
            }
            answer.set("Content-Type", object.contentType());
            answer.set("ETag", quoted(object.etag()));
            answer.set("Last-Modified", HTTP_DATE.format(object.lastModified()));
            answer.set("Accept-Ranges", "bytes");
            answer.set("x-amz-server-side-encryption", object.encryption());
            if (r.head()) {
                answer.set("Content-Length", Long.toString(length));
                r.exchange().sendResponseHeaders(status, -1);
                return;
            }
            r.exchange().sendResponseHeaders(status, length == 0 ? -1 : length);
            if (length > 0) {
                OutputStream out = r.exchange().getResponseBody();
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                for (long position = start, end = start + length; position < end; ) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                    int n = channel.read(buffer, position);
                    if (n < 0) {
                        throw new IOException("object file is shorter than its metadata says");
                    }
                    out.write(buffer.array(), 0, n);
                    position += n;
                }
                out.close();
            }
        }
    }

    /**
     * {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} as inclusive {start, end}; null for the
     * whole object (no header, or one S3 ignores: several ranges, not bytes, not numbers).
     */
    static long[] range(String header, long size) {
        if (header == null || !header.trim().startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.trim().substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        try {
            if (first.isEmpty()) {
                long suffix = last.isEmpty() ? -1 : Long.parseLong(last);
                if (suffix < 0) {
                    return null;
                }
                if (suffix == 0 || size == 0) {
                    throw invalidRange();
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Long.parseLong(last);
            if (start < 0 || end < start) {
                return null;
            }
            if (start >= size) {
                throw invalidRange();
            }
            return new long[] {start, Math.min(end, size - 1)};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static S3Error invalidRange() {
        return new S3Error(416, "InvalidRange", "The requested range is not satisfiable");
    }

    // ---- multipart uploads

    private void createUpload(Request r) throws IOException {
        drain(r.exchange());
        String algorithmName = r.headers().getFirst("x-amz-checksum-algorithm");
        ChecksumAlgorithm algorithm = algorithmName == null ? null : ChecksumAlgorithm.named(algorithmName);
        if (algorithmName != null && algorithm == null) {
            throw S3Error.invalidRequest("Checksum algorithm " + algorithmName + " is not supported");
        }
        if ("FULL_OBJECT".equalsIgnoreCase(r.headers().getFirst("x-amz-checksum-type"))) {
            throw S3Error.notImplemented("full-object checksums of multipart uploads");
        }
        ObjectStore.Upload upload = store.createUpload(r.bucket(), r.key(), contentType(r.headers()), encryption(r.headers()), algorithm);
        Headers answer = r.exchange().getResponseHeaders();
        answer.set("x-amz-server-side-encryption", upload.encryption());
        if (algorithm != null) {
            answer.set("x-amz-checksum-algorithm", algorithm.name());
            answer.set("x-amz-checksum-type", "COMPOSITE");
        }
        answerXml(r, 200, S3Xml.document("InitiateMultipartUploadResult")
                .element("Bucket", r.bucket())
                .element("Key", r.key())
                .element("UploadId", upload.id()));
    }

    private void uploadPart(Request r) throws IOException {
        String uploadId = r.query().get("uploadId");
        int number;
        try {
            number = Integer.parseInt(r.query().get("partNumber"));
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number < 1 || number > ObjectStore.MAX_PART_NUMBER) {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive");
        }
        ObjectStore.Upload upload = store.upload(r.bucket(), r.key(), uploadId); // before reading the body
        ObjectStore.Received received = receive(r);
        ObjectStore.Part part;
        try {
            part = store.commitPart(r.bucket(), r.key(), uploadId, number, received);
        } catch (RuntimeException e) {
            received.discard();
            throw e;
        }
        Headers answer = r.exchange().getResponseHeaders();
        answer.set("ETag", quoted(part.etag()));
        answer.set("x-amz-server-side-encryption", upload.encryption());
        if (part.checksum() != null) {
            answer.set(part.checksumAlgorithm().header(), part.checksum());
        }
        r.exchange().sendResponseHeaders(200, -1);
    }

    private void completeUpload(Request r) throws IOException {
        String uploadId = r.query().get("uploadId");
        Element root = S3Xml.parse(readSmallBody(r.exchange()));
        if (!"CompleteMultipartUpload".equals(root.getLocalName())) {
            throw S3Xml.malformed();
        }
        List<ObjectStore.RequestedPart> parts = new ArrayList<>();
        for (Element part : S3Xml.children(root, "Part")) {
            int number;
            try {
                number = Integer.parseInt(String.valueOf(S3Xml.text(part, "PartNumber")));
            } catch (NumberFormatException e) {
                throw S3Xml.malformed();
            }
            Map<ChecksumAlgorithm, String> checksums = new EnumMap<>(ChecksumAlgorithm.class);
            for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
                String value = S3Xml.text(part, algorithm.element());
                if (value != null) {
                    checksums.put(algorithm, value);
                }
            }
            parts.add(new ObjectStore.RequestedPart(number, S3Xml.text(part, "ETag"), checksums));
        }
        ObjectStore.ObjectMeta object = store.complete(r.bucket(), r.key(), uploadId, parts);
        r.exchange().getResponseHeaders().set("x-amz-server-side-encryption", object.encryption());
        S3Xml xml = S3Xml.document("CompleteMultipartUploadResult")
                .element("Location", endpoint() + "/" + r.bucket() + "/" + URLEncoder.encode(r.key(), StandardCharsets.UTF_8))
                .element("Bucket", r.bucket())
                .element("Key", r.key())
                .element("ETag", quoted(object.etag()));
        if (object.checksum() != null) {
            xml.element(object.checksumAlgorithm().element(), object.checksum()).element("ChecksumType", "COMPOSITE");
        }
        answerXml(r, 200, xml);
    }

    // ---- request bodies

    /**
     * The body of a PutObject or UploadPart, into a temporary file: aws-chunked decoded, the declared
     * length and checksums verified. Any mismatch discards it.
     */
    private ObjectStore.Received receive(Request r) throws IOException {
        Headers h = r.headers();
        InputStream in = new BufferedInputStream(r.exchange().getRequestBody(), 64 * 1024);
        String contentSha256 = h.getFirst("x-amz-content-sha256");
        boolean chunked = String.valueOf(h.getFirst("Content-Encoding")).contains("aws-chunked")
                || contentSha256 != null && contentSha256.startsWith("STREAMING-");
        AwsChunkedInputStream decoder = chunked ? new AwsChunkedInputStream(in) : null;

        ChecksumAlgorithm headerAlgorithm = null;
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            if (h.containsKey(algorithm.header())) {
                headerAlgorithm = algorithm;
            }
        }
        String trailer = h.getFirst("x-amz-trailer");
        ChecksumAlgorithm trailerAlgorithm = null;
        if (trailer != null) {
            String name = trailer.trim().toLowerCase(Locale.ROOT);
            trailerAlgorithm = name.startsWith("x-amz-checksum-") ? ChecksumAlgorithm.named(name.substring("x-amz-checksum-".length())) : null;
            if (trailerAlgorithm == null || !chunked) {
                throw S3Error.invalidRequest("Unsupported trailer " + trailer + (chunked ? "" : " without an aws-chunked body"));
            }
        }
        String sdkAlgorithm = h.getFirst("x-amz-sdk-checksum-algorithm");
        ChecksumAlgorithm algorithm = headerAlgorithm != null ? headerAlgorithm
                : trailerAlgorithm != null ? trailerAlgorithm
                : sdkAlgorithm == null ? null : ChecksumAlgorithm.named(sdkAlgorithm);

        ObjectStore.Received received = store.receive(decoder != null ? decoder : in, algorithm);
        try {
            String decodedLength = h.getFirst("x-amz-decoded-content-length");
            if (chunked && decodedLength != null && !decodedLength.trim().equals(Long.toString(received.size()))) {
                throw new S3Error(400, "IncompleteBody",
                        "You did not provide the number of bytes specified by the x-amz-decoded-content-length header");
            }
            String expected = headerAlgorithm != null ? h.getFirst(headerAlgorithm.header())
                    : trailerAlgorithm != null ? decoder.trailers().get(trailerAlgorithm.header()) : null;
            if (trailerAlgorithm != null && expected == null) {
                throw new S3Error(400, "MalformedTrailerError",
                        "The request contained trailing data that was not well-formed or did not conform to our published schema.");
            }
            if (expected != null && !expected.trim().equals(received.checksumBase64())) {
                throw new S3Error(400, "BadDigest", "The " + algorithm.name() + " you specified did not match the calculated checksum.");
            }
            String contentMd5 = h.getFirst("Content-MD5");
            if (contentMd5 != null && !contentMd5.trim().equals(Base64.getEncoder().encodeToString(received.md5()))) {
                throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
            }
            return received;
        } catch (RuntimeException e) {
            received.discard();
            throw e;
        }
    }

    private static byte[] readSmallBody(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        InputStream in = exchange.getRequestBody();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            if (body.size() + n > MAX_XML_BYTES) {
                throw S3Xml.malformed();
            }
            body.write(buffer, 0, n);
        }
        return body.toByteArray();
    }

    /** Reads and drops what is left of the request body (up to a limit), so the client reads the answer. */
    private static void drain(HttpExchange exchange) {
        try {
            InputStream in = exchange.getRequestBody();
            byte[] buffer = new byte[64 * 1024];
            long left = MAX_DRAINED_BYTES;
            for (int n = in.read(buffer); n >= 0 && left > 0; n = in.read(buffer)) {
                left -= n;
            }
            if (left <= 0) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
        } catch (IOException e) {
            // the client went away: nobody reads the answer
        }
    }

    // ---- answers

    private static void answerXml(Request r, int status, S3Xml xml) throws IOException {
        byte[] body = xml.bytes();
        Exchanges.send(r.exchange(), status, "application/xml", body);
    }

    /** S3's error document; a HEAD gets the status alone, as S3 answers it. */
    private static void answerError(HttpExchange exchange, Request request, S3Error error, String requestId) throws IOException {
        if (exchange.getResponseCode() != -1) {
            return; // the answer had begun: closing the exchange cuts it short, which the client notices
        }
        drain(exchange);
        if (request != null && request.head()) {
            exchange.sendResponseHeaders(error.status(), -1);
            return;
        }
        S3Xml xml = S3Xml.plain("Error").element("Code", error.code()).element("Message", error.getMessage());
        if (error.resource() != null) {
            xml.element(error.resource(), error.resourceValue());
        }
        byte[] body = xml.element("RequestId", requestId).bytes();
        Exchanges.send(exchange, error.status(), "application/xml", body);
    }

    private static S3Error internalError() {
        return new S3Error(500, "InternalError", "We encountered an internal error. Please try again.");
    }

    // ---- small parts

    private static String encryption(Headers headers) {
        String requested = headers.getFirst("x-amz-server-side-encryption");
        if (requested == null || requested.equals(SSE_S3)) {
            return SSE_S3; // S3 encrypts every object with SSE-S3 unless told otherwise
        }
        throw S3Error.notImplemented("server-side encryption " + requested);
    }

    private static String contentType(Headers headers) {
        String type = headers.getFirst("Content-Type");
        return type == null || type.isBlank() ? DEFAULT_CONTENT_TYPE : type;
    }

    private static int intParameter(Map<String, String> query, String name, int defaultValue) {
        String value = query.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 0) {
                throw S3Error.invalidArgument("Argument " + name + " must be an integer between 0 and 2147483647");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw S3Error.invalidArgument("Provided " + name + " not an integer or within integer range");
        }
    }

    private static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    private static String encodeIf(boolean url, String value) {
        return url ? URLEncoder.encode(value, StandardCharsets.UTF_8) : value;
    }

    /** Percent-decoding as S3 does it: UTF-8; {@code +} is a space only in the query. */
    static String percentDecode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); ) {
            int c = raw.codePointAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    bytes.write(hi * 16 + lo);
                    i += 3;
                    continue;
                }
            }
            bytes.writeBytes(c == '+' && plusIsSpace ? new byte[] {' '} : Character.toString(c).getBytes(StandardCharsets.UTF_8));
            i += Character.charCount(c);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
