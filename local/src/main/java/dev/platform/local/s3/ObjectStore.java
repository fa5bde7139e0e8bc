package dev.platform.local.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Buckets, objects and multipart uploads as files under one directory, so a persistent data dir keeps
 * them. Bytes are streamed to a temporary file first and become visible by a rename; metadata (key,
 * size, ETag, checksum, and the name of the data file) lives beside them in small properties files,
 * written the same way, and is indexed in memory. A new version of an object gets a data file of its
 * own and the metadata is switched to it, so a reader that opened the old version keeps reading it,
 * and a kill at any moment leaves the old version or the new one, never a mix (leftovers are swept at
 * start).
 *
 * <pre>
 * root/.tmp/                                  bytes on their way in (emptied at start)
 * root/&lt;bucket&gt;/bucket.meta
 * root/&lt;bucket&gt;/objects/&lt;sha256(key)&gt;.meta      and its data file &lt;sha256(key)&gt;.&lt;uuid&gt;
 * root/&lt;bucket&gt;/uploads/&lt;uploadId&gt;/upload.meta
 * root/&lt;bucket&gt;/uploads/&lt;uploadId&gt;/part-00001.meta and its data file part-00001.&lt;uuid&gt;
 * </pre>
 */
final class ObjectStore {
    /** S3's smallest part, except the last. */
    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    static final int MAX_PART_NUMBER = 10_000;
    // S3's rules for new buckets; they also make every bucket name a safe directory name.
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final String META = ".meta";

    /** S3 lists keys in the order of their UTF-8 bytes, which is the order of their code points. */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    record ObjectMeta(String bucket, String key, long size, String etag, String contentType, String encryption,
            Instant lastModified, ChecksumAlgorithm checksumAlgorithm, String checksum, Path data) {
    }

    record Upload(String bucket, String key, String id, Instant initiated, String contentType, String encryption,
            ChecksumAlgorithm checksumAlgorithm) {
    }

    /** @param checksum base64, or null when the part came without one */
    record Part(int number, long size, String etag, ChecksumAlgorithm checksumAlgorithm, String checksum, Path data) {
    }

    /** A part as CompleteMultipartUpload names it. */
    record RequestedPart(int number, String etag, Map<ChecksumAlgorithm, String> checksums) {
    }

    /** Bytes received into a temporary file, not visible yet. */
    record Received(Path file, long size, byte[] md5, ChecksumAlgorithm checksumAlgorithm, byte[] checksum) {
        void discard() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // swept at the next start
            }
        }

        String checksumBase64() {
            return checksum == null ? null : Base64.getEncoder().encodeToString(checksum);
        }
    }

    record Listing(List<ObjectMeta> objects, boolean truncated) {
    }

    /** An object's metadata and its bytes, open: the caller closes the channel. */
    record OpenObject(ObjectMeta meta, FileChannel channel) {
    }

    record BucketInfo(String name, Instant created) {
    }

    private static final class Bucket {
        final String name;
        final Instant created;
        final NavigableMap<String, ObjectMeta> objects = new TreeMap<>(KEY_ORDER);

        Bucket(String name, Instant created) {
            this.name = name;
            this.created = created;
        }
    }

    private static final class UploadState {
        final Upload upload;
        final NavigableMap<Integer, Part> parts = new TreeMap<>();

        UploadState(Upload upload) {
            this.upload = upload;
        }
    }

    private final Path root;
    private final Path tmp;
    private final Object lock = new Object();
    private final Map<String, Bucket> buckets = new TreeMap<>(); // guarded by lock
    private final Map<String, UploadState> uploads = new HashMap<>(); // guarded by lock

    private ObjectStore(Path root) {
        this.root = root;
        this.tmp = root.resolve(".tmp");
    }

    /** Opens the store in {@code root}, with what an earlier run left there. */
    static ObjectStore open(Path root) throws IOException {
        ObjectStore store = new ObjectStore(root);
        Files.createDirectories(store.tmp);
        deleteContents(store.tmp);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                // A bucket is a directory with its metadata (written last when it is created), nothing else.
                if (validBucketName(dir.getFileName().toString()) && Files.exists(dir.resolve("bucket" + META))) {
                    store.load(dir);
                }
            }
        }
        return store;
    }

    private void load(Path dir) throws IOException {
        Instant created = Instant.ofEpochMilli(Long.parseLong(read(dir.resolve("bucket" + META)).getProperty("created")));
        Bucket bucket = new Bucket(dir.getFileName().toString(), created);
        Path objectsDir = Files.createDirectories(dir.resolve("objects"));
        Set<Path> kept = new HashSet<>();
        for (Path meta : list(objectsDir, META)) {
            Properties p = read(meta);
            ObjectMeta object = new ObjectMeta(bucket.name, p.getProperty("key"), Long.parseLong(p.getProperty("size")),
                    p.getProperty("etag"), p.getProperty("contentType"), p.getProperty("encryption"),
                    Instant.ofEpochMilli(Long.parseLong(p.getProperty("lastModified"))),
                    ChecksumAlgorithm.named(p.getProperty("checksumAlgorithm", "")), p.getProperty("checksum"),
                    objectsDir.resolve(p.getProperty("data")));
            bucket.objects.put(object.key(), object);
            kept.add(meta);
            kept.add(object.data());
        }
        sweep(objectsDir, kept);
        buckets.put(bucket.name, bucket);

        Path uploadsDir = Files.createDirectories(dir.resolve("uploads"));
        try (DirectoryStream<Path> uploadDirs = Files.newDirectoryStream(uploadsDir, Files::isDirectory)) {
            for (Path uploadDir : uploadDirs) {
                Path uploadMeta = uploadDir.resolve("upload" + META);
                if (!Files.exists(uploadMeta)) {
                    deleteTree(uploadDir); // killed while it was being created: never answered
                    continue;
                }
                Properties p = read(uploadMeta);
                UploadState state = new UploadState(new Upload(bucket.name, p.getProperty("key"), uploadDir.getFileName().toString(),
                        Instant.ofEpochMilli(Long.parseLong(p.getProperty("initiated"))), p.getProperty("contentType"),
                        p.getProperty("encryption"), ChecksumAlgorithm.named(p.getProperty("checksumAlgorithm", ""))));
                Set<Path> parts = new HashSet<>(Set.of(uploadMeta));
                for (Path meta : list(uploadDir, META)) {
                    if (meta.equals(uploadMeta)) {
                        continue;
                    }
                    Properties q = read(meta);
                    Part part = new Part(Integer.parseInt(q.getProperty("number")), Long.parseLong(q.getProperty("size")),
                            q.getProperty("etag"), ChecksumAlgorithm.named(q.getProperty("checksumAlgorithm", "")),
                            q.getProperty("checksum"), uploadDir.resolve(q.getProperty("data")));
                    state.parts.put(part.number(), part);
                    parts.add(meta);
                    parts.add(part.data());
                }
                sweep(uploadDir, parts);
                uploads.put(state.upload.id(), state);
            }
        }
    }

    // ---- buckets

    static boolean validBucketName(String name) {
        return BUCKET_NAME.matcher(name).matches() && !name.contains("..");
    }

    /** @return false when the bucket was there already */
    boolean createBucket(String name) {
        if (!validBucketName(name)) {
            throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.", "BucketName", name);
        }
        synchronized (lock) {
            if (buckets.containsKey(name)) {
                return false;
            }
            try {
                Path dir = root.resolve(name);
                Files.createDirectories(dir.resolve("objects"));
                Files.createDirectories(dir.resolve("uploads"));
                Instant created = Instant.now();
                Properties p = new Properties();
                p.setProperty("created", Long.toString(created.toEpochMilli()));
                write(dir.resolve("bucket" + META), p);
                buckets.put(name, new Bucket(name, created));
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    boolean bucketExists(String name) {
        synchronized (lock) {
            return buckets.containsKey(name);
        }
    }

    List<BucketInfo> buckets() {
        synchronized (lock) {
            return buckets.values().stream().map(b -> new BucketInfo(b.name, b.created)).toList();
        }
    }

    /** Every object of every bucket, by bucket and key. */
    List<ObjectMeta> objects() {
        synchronized (lock) {
            return buckets.values().stream().flatMap(b -> b.objects.values().stream()).toList();
        }
    }

    // ---- objects

    /** Streams {@code in} into a temporary file, with its MD5 and, if asked, a checksum. */
    Received receive(InputStream in, ChecksumAlgorithm algorithm) throws IOException {
        Path file = tmp.resolve(UUID.randomUUID().toString());
        MessageDigest md5 = md5();
        ChecksumAlgorithm.Calculator checksum = algorithm == null ? null : algorithm.calculator();
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                md5.update(buffer, 0, n);
                if (checksum != null) {
                    checksum.update(buffer, 0, n);
                }
                size += n;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new Received(file, size, md5.digest(), algorithm, checksum == null ? null : checksum.value());
    }

    ObjectMeta commitObject(String bucket, String key, Received received, String contentType, String encryption) {
        synchronized (lock) {
            Bucket b = bucket(bucket);
            return commit(b, key, received.file(), received.size(), HexFormat.of().formatHex(received.md5()), contentType,
                    encryption, received.checksumAlgorithm(), received.checksumBase64());
        }
    }

    private ObjectMeta commit(Bucket bucket, String key, Path file, long size, String etag, String contentType, String encryption,
            ChecksumAlgorithm checksumAlgorithm, String checksum) {
        Path objectsDir = root.resolve(bucket.name).resolve("objects");
        String slot = HexFormat.of().formatHex(sha256(key));
        Path data = objectsDir.resolve(slot + "." + UUID.randomUUID());
        ObjectMeta object = new ObjectMeta(bucket.name, key, size, etag, contentType, encryption, Instant.now(),
                checksumAlgorithm, checksum, data);
        try {
            Files.move(file, data, StandardCopyOption.ATOMIC_MOVE);
            Properties p = new Properties();
            p.setProperty("key", key);
            p.setProperty("size", Long.toString(size));
            p.setProperty("etag", etag);
            p.setProperty("contentType", contentType);
            p.setProperty("encryption", encryption);
            p.setProperty("lastModified", Long.toString(object.lastModified().toEpochMilli()));
            if (checksum != null) {
                p.setProperty("checksumAlgorithm", checksumAlgorithm.name());
                p.setProperty("checksum", checksum);
            }
            p.setProperty("data", data.getFileName().toString());
            write(objectsDir.resolve(slot + META), p);
        } catch (IOException e) {
            deleteQuietly(data);
            throw new UncheckedIOException(e);
        }
        ObjectMeta previous = bucket.objects.put(key, object);
        if (previous != null) {
            deleteQuietly(previous.data()); // a reader that opened it keeps its bytes
        }
        return object;
    }

    ObjectMeta head(String bucket, String key) {
        synchronized (lock) {
            ObjectMeta object = bucket(bucket).objects.get(key);
            if (object == null) {
                throw S3Error.noSuchKey(key);
            }
            return object;
        }
    }

    OpenObject open(String bucket, String key) {
        synchronized (lock) {
            ObjectMeta object = head(bucket, key);
            try {
                return new OpenObject(object, FileChannel.open(object.data(), StandardOpenOption.READ));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Deleting a key that is not there is no error in S3. */
    void delete(String bucket, String key) {
        synchronized (lock) {
            Bucket b = bucket(bucket);
            ObjectMeta object = b.objects.remove(key);
            if (object != null) {
                deleteQuietly(root.resolve(bucket).resolve("objects").resolve(HexFormat.of().formatHex(sha256(key)) + META));
                deleteQuietly(object.data());
            }
        }
    }

    /** Keys starting with {@code prefix}, after {@code after} (exclusive, or null), at most {@code max}. */
    Listing list(String bucket, String prefix, String after, int max) {
        synchronized (lock) {
            NavigableMap<String, ObjectMeta> objects = bucket(bucket).objects;
            NavigableMap<String, ObjectMeta> from = after == null || KEY_ORDER.compare(prefix, after) > 0
                    ? objects.tailMap(prefix, true) : objects.tailMap(after, false);
            List<ObjectMeta> found = new ArrayList<>();
            for (ObjectMeta object : from.values()) {
                if (!object.key().startsWith(prefix)) {
                    break; // the keys with a prefix are next to each other
                }
                if (found.size() == max) {
                    return new Listing(found, true);
                }
                found.add(object);
            }
            return new Listing(found, false);
        }
    }

    // ---- multipart uploads

    Upload createUpload(String bucket, String key, String contentType, String encryption, ChecksumAlgorithm checksumAlgorithm) {
        synchronized (lock) {
            Bucket b = bucket(bucket);
            String id = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
            Upload upload = new Upload(b.name, key, id, Instant.now(), contentType, encryption, checksumAlgorithm);
            try {
                Path dir = Files.createDirectories(uploadDir(upload));
                Properties p = new Properties();
                p.setProperty("key", key);
                p.setProperty("initiated", Long.toString(upload.initiated().toEpochMilli()));
                p.setProperty("contentType", contentType);
                p.setProperty("encryption", encryption);
                if (checksumAlgorithm != null) {
                    p.setProperty("checksumAlgorithm", checksumAlgorithm.name());
                }
                write(dir.resolve("upload" + META), p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            uploads.put(id, new UploadState(upload));
            return upload;
        }
    }

    Upload upload(String bucket, String key, String uploadId) {
        synchronized (lock) {
            return uploadState(bucket, key, uploadId).upload;
        }
    }

    Part commitPart(String bucket, String key, String uploadId, int number, Received received) {
        synchronized (lock) {
            UploadState state = uploadState(bucket, key, uploadId);
            Path dir = uploadDir(state.upload);
            String name = "part-%05d".formatted(number);
            Part part = new Part(number, received.size(), HexFormat.of().formatHex(received.md5()), received.checksumAlgorithm(),
                    received.checksumBase64(), dir.resolve(name + "." + UUID.randomUUID()));
            try {
                Files.move(received.file(), part.data(), StandardCopyOption.ATOMIC_MOVE);
                Properties p = new Properties();
                p.setProperty("number", Integer.toString(number));
                p.setProperty("size", Long.toString(part.size()));
                p.setProperty("etag", part.etag());
                if (part.checksum() != null) {
                    p.setProperty("checksumAlgorithm", part.checksumAlgorithm().name());
                    p.setProperty("checksum", part.checksum());
                }
                p.setProperty("data", part.data().getFileName().toString());
                write(dir.resolve(name + META), p);
            } catch (IOException e) {
                deleteQuietly(part.data());
                throw new UncheckedIOException(e);
            }
            Part previous = state.parts.put(number, part);
            if (previous != null) {
                deleteQuietly(previous.data());
            }
            return part;
        }
    }

    /**
     * Joins the named parts into the object, as S3 does: the parts must be named in ascending order with
     * their ETags (and checksums, when given), and all but the last must be at least 5 MiB. The ETag is
     * the MD5 of the parts' MD5s and their count; the checksum, when the upload was created with an
     * algorithm, that algorithm over the parts' checksums, and their count.
     */
    ObjectMeta complete(String bucket, String key, String uploadId, List<RequestedPart> requested) throws IOException {
        UploadState state;
        List<Part> parts = new ArrayList<>();
        List<FileChannel> channels = new ArrayList<>();
        synchronized (lock) {
            state = uploadState(bucket, key, uploadId);
            if (requested.isEmpty()) {
                throw S3Xml.malformed();
            }
            int previous = 0;
            for (RequestedPart wanted : requested) {
                if (wanted.number() <= previous) {
                    throw new S3Error(400, "InvalidPartOrder",
                            "The list of parts was not in ascending order. Parts must be ordered by part number.", "UploadId", uploadId);
                }
                previous = wanted.number();
                Part part = state.parts.get(wanted.number());
                String checksum = part == null || part.checksum() == null ? null : wanted.checksums().get(part.checksumAlgorithm());
                if (part == null || !part.etag().equals(unquote(wanted.etag())) || checksum != null && !checksum.equals(part.checksum())) {
                    throw new S3Error(400, "InvalidPart", "One or more of the specified parts could not be found. The part may "
                            + "not have been uploaded, or the specified entity tag may not match the part's entity tag.", "UploadId", uploadId);
                }
                parts.add(part);
            }
            for (int i = 0; i < parts.size() - 1; i++) {
                if (parts.get(i).size() < MIN_PART_BYTES) {
                    throw new S3Error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
                }
            }
            try {
                for (Part part : parts) {
                    channels.add(FileChannel.open(part.data(), StandardOpenOption.READ)); // an abort meanwhile cannot take them
                }
            } catch (IOException e) {
                closeAll(channels);
                throw e;
            }
        }

        // The copy runs outside the lock: joining large parts must not stop every other request.
        Path file = tmp.resolve(UUID.randomUUID().toString());
        MessageDigest md5s = md5();
        long size = 0;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < parts.size(); i++) {
                FileChannel in = channels.get(i);
                long length = in.size();
                for (long done = 0; done < length; ) {
                    done += in.transferTo(done, length - done, out);
                }
                size += length;
                md5s.update(HexFormat.of().parseHex(parts.get(i).etag()));
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        } finally {
            closeAll(channels);
        }
        String etag = HexFormat.of().formatHex(md5s.digest()) + "-" + parts.size();
        ChecksumAlgorithm algorithm = state.upload.checksumAlgorithm();
        String checksum = null;
        if (algorithm != null && parts.stream().allMatch(p -> p.checksumAlgorithm() == algorithm && p.checksum() != null)) {
            ChecksumAlgorithm.Calculator composite = algorithm.calculator();
            for (Part part : parts) {
                byte[] value = Base64.getDecoder().decode(part.checksum());
                composite.update(value, 0, value.length);
            }
            checksum = Base64.getEncoder().encodeToString(composite.value()) + "-" + parts.size();
        }

        synchronized (lock) {
            if (uploads.get(uploadId) != state) {
                Files.deleteIfExists(file);
                throw S3Error.noSuchUpload(uploadId); // aborted or completed meanwhile
            }
            ObjectMeta object = commit(bucket(bucket), key, file, size, etag, state.upload.contentType(), state.upload.encryption(),
                    checksum == null ? null : algorithm, checksum);
            uploads.remove(uploadId);
            deleteTree(uploadDir(state.upload));
            return object;
        }
    }

    void abort(String bucket, String key, String uploadId) {
        synchronized (lock) {
            UploadState state = uploadState(bucket, key, uploadId);
            uploads.remove(uploadId);
            try {
                deleteTree(uploadDir(state.upload));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The bucket's uploads in progress whose keys start with {@code prefix}, by key and then by start. */
    List<Upload> uploads(String bucket, String prefix) {
        synchronized (lock) {
            bucket(bucket);
            return uploads.values().stream().map(s -> s.upload)
                    .filter(u -> u.bucket().equals(bucket) && u.key().startsWith(prefix))
                    .sorted(Comparator.comparing(Upload::key, KEY_ORDER).thenComparing(Upload::initiated))
                    .toList();
        }
    }

    // ---- helpers

    private Bucket bucket(String name) {
        Bucket bucket = buckets.get(name);
        if (bucket == null) {
            throw S3Error.noSuchBucket(name);
        }
        return bucket;
    }

    private UploadState uploadState(String bucket, String key, String uploadId) {
        bucket(bucket);
        UploadState state = uploadId == null ? null : uploads.get(uploadId);
        if (state == null || !state.upload.bucket().equals(bucket) || !state.upload.key().equals(key)) {
            throw S3Error.noSuchUpload(uploadId);
        }
        return state;
    }

    private Path uploadDir(Upload upload) {
        return root.resolve(upload.bucket()).resolve("uploads").resolve(upload.id());
    }

    static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        String e = etag.trim();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    /** Written beside, then renamed over the old one: never half written. */
    private void write(Path target, Properties properties) throws IOException {
        Path file = tmp.resolve(UUID.randomUUID().toString());
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, null);
        }
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    /** Deletes the files of {@code dir} no metadata names: data of versions that never became visible. */
    private static void sweep(Path dir, Set<Path> kept) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (!kept.contains(file) && Files.isRegularFile(file)) {
                    Files.delete(file);
                }
            }
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                deleteTree(file);
            }
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            deleteContents(path);
        }
        Files.deleteIfExists(path);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // an unreferenced data file is swept at the next start
        }
    }

    private static void closeAll(List<FileChannel> channels) {
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static byte[] sha256(String key) {
        return ChecksumAlgorithm.SHA256.of(key.getBytes(StandardCharsets.UTF_8));
    }
}
