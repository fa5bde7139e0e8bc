package dev.platform.local.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.config.EncryptionContext;
import dev.platform.core.json.Json;
import dev.platform.embedded.FreePort;
import dev.platform.local.http.AwsJson;
import dev.platform.local.http.Exchanges;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * KMS, locally, for what the platform asks of it: data keys for environment variable values. It speaks KMS's AWS
 * JSON 1.1 protocol ({@code X-Amz-Target: TrentService.<Operation>}) so the real {@code KmsDataKeys} runs against
 * it, and answers {@code GenerateDataKey}, {@code Decrypt} and {@code Encrypt} for ONE symmetric key,
 * {@link #KEY_ID}, also named by its ARN, {@link #ALIAS} and the alias's ARN.
 *
 * <p>Its master key is 32 random bytes in {@code <dataDir>/kms/master.key} (owner-only, 0600), so values sealed
 * before a restart open after it; without a data dir it lives in memory and dies with the process. A key file
 * anyone but its owner may read, or of the wrong length, is refused at start ({@link KeyFileRefused}): it would
 * have been either a leaked key or a different one.
 *
 * <p>CiphertextBlob: {@code 0x01 | 12-byte IV | AES-256-GCM(plaintext) with its 16-byte tag}, the encryption
 * context in its canonical form ({@link EncryptionContext#canonical}) as the associated data. A Decrypt under
 * another context, or of a damaged blob, fails the tag check and answers {@code InvalidCiphertextException},
 * as KMS does. Not KMS's own blob format, which is not public; the same properties.
 */
public final class LocalKms implements AutoCloseable {
    public static final String ACCOUNT = "000000000000";
    public static final String REGION = "us-east-1";
    /** The platform key's id: fixed, so local settings ({@code ENV_KEY_ID}) and stored blobs outlive a restart. */
    public static final String KEY_ID = "7d3c5e1a-9b2f-4c8d-a6e4-0f1b2c3d4e5f";
    public static final String KEY_ARN = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + KEY_ID;
    public static final String ALIAS = "alias/platform-env";
    public static final String ALIAS_ARN = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":" + ALIAS;

    static final String TARGET_PREFIX = "TrentService.";
    static final String KEY_FILE = "kms/master.key";
    static final int MASTER_KEY_BYTES = 32;
    static final byte BLOB_VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    /** The key file cannot be used: the message is the one line to show. */
    public static final class KeyFileRefused extends RuntimeException {
        KeyFileRefused(String message) {
            super(message);
        }
    }

    /** An answer of KMS's errors: {@code __type} is what the SDK maps to its exception. */
    private static final class KmsError extends RuntimeException {
        final String type;

        KmsError(String type, String message) {
            super(message, null, false, false);
            this.type = type;
        }
    }

    private final HttpServer server;
    private final SecretKeySpec masterKey;
    private final SecureRandom random = new SecureRandom();

    private LocalKms(HttpServer server, SecretKeySpec masterKey) {
        this.server = server;
        this.masterKey = masterKey;
    }

    /**
     * Loopback only, whatever the runtime's bind address: a key service decrypts for anyone who reaches it.
     *
     * @param dataDir where the master key is kept ({@code kms/master.key}), or null to keep it in memory
     * @throws KeyFileRefused when the key file is readable by others or not a key
     */
    public static LocalKms start(Path dataDir) throws IOException {
        byte[] key = dataDir == null ? randomKey() : loadOrCreate(dataDir.resolve(KEY_FILE));
        SecretKeySpec masterKey = new SecretKeySpec(key, "AES");
        Arrays.fill(key, (byte) 0); // SecretKeySpec holds its own copy
        HttpServer server = Exchanges.listen(FreePort.LOOPBACK, 0, 64);
        LocalKms kms = new LocalKms(server, masterKey);
        server.createContext("/", kms::serve);
        server.start();
        return kms;
    }

    public URI endpoint() {
        return FreePort.url(FreePort.LOOPBACK, server.getAddress().getPort());
    }

    /** The platform key's id (UUID form); its ARN and alias name it too. */
    public String keyId() {
        return KEY_ID;
    }

    // --- the master key file

    private static byte[] randomKey() {
        byte[] key = new byte[MASTER_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static byte[] loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            throw new KeyFileRefused("the local KMS needs a POSIX file system for its key file " + file);
        }
        Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new KeyFileRefused("the local KMS key file " + file + " has permissions " + PosixFilePermissions.toString(permissions)
                    + ", readable beyond its owner; make it 0600 (chmod 600) if the key was not exposed, else delete it "
                    + "(values sealed with it are then lost)");
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length != MASTER_KEY_BYTES) {
            Arrays.fill(key, (byte) 0);
            throw new KeyFileRefused("the local KMS key file " + file + " is " + key.length + " bytes, not a "
                    + MASTER_KEY_BYTES + "-byte key; restore it, or delete it to start with a new key (values sealed with the old one are then lost)");
        }
        return key;
    }

    /**
     * A new key file, whole or not at all: written to a temporary file that is created 0600 (the permission is part
     * of the creation, so there is no moment others could read it), then linked to its name, which fails rather
     * than replacing a key another process created meanwhile.
     */
    private static void create(Path file) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException kept) {
            // an existing kms dir is used as it is: the key file's own permissions are what is checked
        }
        Path temporary = dir.resolve(file.getFileName() + "." + UUID.randomUUID() + ".new");
        byte[] key = randomKey();
        try {
            try (SeekableByteChannel channel = Files.newByteChannel(temporary,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC),
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
                channel.write(ByteBuffer.wrap(key));
            }
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException anotherProcessWon) {
            // its key is the one: read below
        } finally {
            Arrays.fill(key, (byte) 0);
            Files.deleteIfExists(temporary);
        }
    }

    // --- the protocol

    private void serve(HttpExchange exchange) throws IOException {
        // the error is answered inside the try-with-resources: its catch would run after the exchange closed
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            try {
                JsonNode request = parse(exchange.getRequestBody().readAllBytes());
                ObjectNode answer = switch (target) {
                    case TARGET_PREFIX + "GenerateDataKey" -> generateDataKey(request);
                    case TARGET_PREFIX + "Decrypt" -> decrypt(request);
                    case TARGET_PREFIX + "Encrypt" -> encrypt(request);
                    default -> throw new KmsError("UnknownOperationException",
                            "the local KMS answers GenerateDataKey, Decrypt and Encrypt only, not " + target);
                };
                AwsJson.answer(exchange, 200, answer);
            } catch (KmsError e) {
                AwsJson.answer(exchange, 400, AwsJson.error(e.type, e.getMessage()));
            }
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode request = Json.MAPPER.readTree(body);
            if (request != null && request.isObject()) {
                return request;
            }
        } catch (IOException malformed) {
            // answered below
        }
        throw new KmsError("SerializationException", "the request body is not a JSON object");
    }

    private ObjectNode generateDataKey(JsonNode request) {
        requireOurKey(request.path("KeyId"), true);
        int bytes = dataKeyBytes(request);
        byte[] plaintext = new byte[bytes];
        random.nextBytes(plaintext);
        try {
            // base64 now: a binary node would keep the array, which is wiped before the answer is written
            return Json.object().put("CiphertextBlob", seal(plaintext, context(request)))
                    .put("Plaintext", Base64.getEncoder().encodeToString(plaintext)).put("KeyId", KEY_ARN);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private ObjectNode encrypt(JsonNode request) {
        requireOurKey(request.path("KeyId"), true);
        byte[] plaintext = blob(request, "Plaintext");
        if (plaintext.length > 4096) {
            throw new KmsError("ValidationException", "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 4096");
        }
        return Json.object().put("CiphertextBlob", seal(plaintext, context(request))).put("KeyId", KEY_ARN)
                .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    }

    private ObjectNode decrypt(JsonNode request) {
        // KeyId is optional on Decrypt; when given it must name the one key
        requireOurKey(request.path("KeyId"), false);
        byte[] plaintext = open(blob(request, "CiphertextBlob"), context(request));
        try {
            return Json.object().put("KeyId", KEY_ARN).put("Plaintext", Base64.getEncoder().encodeToString(plaintext))
                    .put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static void requireOurKey(JsonNode keyId, boolean required) {
        if (keyId.isMissingNode() || keyId.isNull()) {
            if (required) {
                throw new KmsError("ValidationException", "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: "
                        + "Member must not be null");
            }
            return;
        }
        String id = keyId.asText();
        if (!id.equals(KEY_ID) && !id.equals(KEY_ARN) && !id.equals(ALIAS) && !id.equals(ALIAS_ARN)) {
            throw new KmsError("NotFoundException", "Key '" + id + "' does not exist (the local KMS holds one key: "
                    + KEY_ID + ", " + ALIAS + ")");
        }
    }

    /** {@code KeySpec} AES_256 or AES_128, or {@code NumberOfBytes} 1 to 1024: exactly one of them, as KMS asks. */
    private static int dataKeyBytes(JsonNode request) {
        boolean spec = request.hasNonNull("KeySpec");
        boolean count = request.hasNonNull("NumberOfBytes");
        if (spec == count) {
            throw new KmsError("ValidationException", "Please specify either number of bytes or key spec.");
        }
        if (count) {
            int bytes = request.get("NumberOfBytes").asInt(0);
            if (bytes < 1 || bytes > 1024) {
                throw new KmsError("ValidationException", "NumberOfBytes must be between 1 and 1024");
            }
            return bytes;
        }
        return switch (request.get("KeySpec").asText()) {
            case "AES_256" -> 32;
            case "AES_128" -> 16;
            default -> throw new KmsError("ValidationException", "KeySpec must be AES_256 or AES_128, not " + request.get("KeySpec").asText());
        };
    }

    private static Map<String, String> context(JsonNode request) {
        JsonNode node = request.path("EncryptionContext");
        Map<String, String> context = new TreeMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return context;
        }
        if (!node.isObject()) {
            throw new KmsError("ValidationException", "EncryptionContext must be a map of strings to strings");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new KmsError("ValidationException", "EncryptionContext must be a map of strings to strings");
            }
            context.put(entry.getKey(), entry.getValue().asText());
        }
        return context;
    }

    private static byte[] blob(JsonNode request, String field) {
        String value = request.path(field).asText("");
        if (value.isEmpty()) {
            throw new KmsError("ValidationException", "1 validation error detected: Value at '" + field
                    + "' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new KmsError("SerializationException", field + " is not base64");
        }
    }

    // --- the blob

    private String seal(byte[] plaintext, Map<String, String> context) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, context);
            ByteBuffer blob = ByteBuffer.allocate(1 + IV_BYTES + cipher.getOutputSize(plaintext.length));
            blob.put(BLOB_VERSION).put(iv).put(cipher.doFinal(plaintext));
            return Base64.getEncoder().encodeToString(blob.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private byte[] open(byte[] blob, Map<String, String> context) {
        if (blob.length < 1 + IV_BYTES + TAG_BITS / 8 || blob[0] != BLOB_VERSION) {
            throw invalidCiphertext();
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(blob, 1, 1 + IV_BYTES), context);
            return cipher.doFinal(blob, 1 + IV_BYTES, blob.length - 1 - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw invalidCiphertext();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private static KmsError invalidCiphertext() {
        // KMS says no more than this either: a wrong context and a damaged blob are not told apart
        return new KmsError("InvalidCiphertextException",
                "the ciphertext is not of this key, was altered, or its encryption context is not the one given");
    }

    private Cipher cipher(int mode, byte[] iv, Map<String, String> context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, masterKey, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(EncryptionContext.canonical(context));
        return cipher;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
