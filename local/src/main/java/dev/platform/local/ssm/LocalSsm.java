package dev.platform.local.ssm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.json.Json;
import dev.platform.embedded.FreePort;
import dev.platform.local.http.AwsJson;
import dev.platform.local.http.CallCounts;
import dev.platform.local.http.Exchanges;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SSM Parameter Store, locally, for environments' sensitive variables: {@code PutParameter}, {@code GetParameter},
 * {@code GetParametersByPath}, {@code DeleteParameters} and {@code DeleteParameter} over AWS JSON 1.1 (target
 * prefix {@code AmazonSSM.}), with SSM's errors ({@code ParameterAlreadyExists}, {@code ParameterNotFound}, ...),
 * so the platform's real adapter runs against it. Only a parameter's latest version is kept.
 *
 * <p>With a data dir, parameters are kept in {@code <dataDir>/ssm/parameters.json} across restarts. SecureString
 * values are sealed with AES-GCM under {@code <dataDir>/ssm/store.key} (a random key made at first start), so
 * that file holds no plaintext; both files are readable by their owner only. Without a data dir everything is in
 * memory, sealed under a key that lives as long as the process.
 */
public final class LocalSsm implements AutoCloseable {
    private static final String PREFIX = "AmazonSSM.";
    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";
    private static final String ARN_PREFIX = "arn:aws:ssm:" + REGION + ":" + ACCOUNT + ":parameter";
    /** SSM's limits: a {@code GetParametersByPath} page and a {@code DeleteParameters} call. */
    static final int MAX_RESULTS = 10;
    static final int MAX_DELETE = 10;
    private static final String DEFAULT_KEY_ID = "alias/aws/ssm";
    private static final Set<String> TYPES = Set.of("String", "StringList", "SecureString");
    /** SSM's name alphabet; a hierarchical name starts with a slash. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.\\-/]{1,1011}");
    private static final String STATE_FILE = "parameters.json";
    private static final String KEY_FILE = "store.key";
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    /**
     * One parameter's latest version.
     *
     * @param stored the value for String and StringList; for SecureString the sealed value (base64 of IV and
     *               AES-GCM ciphertext), so no plaintext is held between requests
     */
    private record Parameter(String name, String type, String stored, long version, String keyId, Instant lastModified,
                             Map<String, String> tags) {
        boolean secure() {
            return type.equals("SecureString");
        }
    }

    /** An answer in SSM's error shape: the SDK maps {@code type} to its exception class. */
    private static final class SsmError extends RuntimeException {
        final String type;

        SsmError(String type, String message) {
            super(message);
            this.type = type;
        }

        static SsmError validation(String message) {
            return new SsmError("ValidationException", message);
        }

        static SsmError notFound(String name) {
            return new SsmError("ParameterNotFound", "Parameter " + name + " not found.");
        }
    }

    private final HttpServer server;
    private final Path stateFile;
    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();
    private final CallCounts calls = new CallCounts();
    /** Sorted by name, so a path's parameters are one contiguous range and paging resumes after a name. */
    private final NavigableMap<String, Parameter> parameters = new TreeMap<>();

    private LocalSsm(HttpServer server, Path stateFile, SecretKey key) {
        this.server = server;
        this.stateFile = stateFile;
        this.key = key;
    }

    /** @param dataDir the runtime's data dir (state in {@code ssm/} under it), or null to keep everything in memory */
    public static LocalSsm start(Path dataDir) throws IOException {
        Path stateFile = null;
        SecretKey key;
        if (dataDir == null) {
            key = new SecretKeySpec(randomBytes(KEY_BYTES), "AES");
        } else {
            Path dir = dataDir.resolve("ssm");
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dataDir);
                Files.createDirectory(dir, ownerOnly("rwx------"));
            }
            stateFile = dir.resolve(STATE_FILE);
            key = loadOrCreateKey(dir.resolve(KEY_FILE), stateFile);
        }
        HttpServer server = Exchanges.listen(FreePort.LOOPBACK, 0, 64);
        LocalSsm ssm = new LocalSsm(server, stateFile, key);
        ssm.load();
        server.createContext("/", ssm::serve);
        server.start();
        return ssm;
    }

    public URI endpoint() {
        return FreePort.url(FreePort.LOOPBACK, server.getAddress().getPort());
    }

    /** The calls answered so far, per operation. */
    public CallCounts calls() {
        return calls;
    }

    /**
     * A parameter's value, decrypted: what ECS resolves a container's {@code secrets[].valueFrom} to when it
     * starts a task.
     *
     * @param nameOrArn a parameter name, or its ARN ({@code arn:aws:ssm:us-east-1:000000000000:parameter/...})
     */
    public synchronized Optional<String> value(String nameOrArn) {
        return find(nameOrArn).map(this::plaintext);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // --- the wire protocol

    private void serve(HttpExchange exchange) throws IOException {
        // the error is answered inside the try-with-resources: its catch would run after the exchange closed
        try (exchange) {
            try {
                AwsJson.answer(exchange, 200, answer(exchange));
            } catch (SsmError e) {
                AwsJson.answer(exchange, 400, AwsJson.error(e.type, e.getMessage()));
            }
        }
    }

    private ObjectNode answer(HttpExchange exchange) throws IOException {
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        String operation = target.startsWith(PREFIX) ? target.substring(PREFIX.length()) : target;
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
        } catch (JsonProcessingException e) {
            throw new SsmError("SerializationException", "the request body is not JSON");
        }
        calls.count(operation);
        synchronized (this) {
            return switch (operation) {
                case "PutParameter" -> putParameter(request);
                case "GetParameter" -> getParameter(request);
                case "GetParametersByPath" -> getParametersByPath(request);
                case "DeleteParameters" -> deleteParameters(request);
                case "DeleteParameter" -> deleteParameter(request);
                default -> throw new SsmError("UnknownOperationException", "the local SSM answers PutParameter, GetParameter, "
                        + "GetParametersByPath, DeleteParameters and DeleteParameter, not " + target);
            };
        }
    }

    private ObjectNode putParameter(JsonNode request) throws IOException {
        String name = validName(required(request, "Name"));
        String value = request.path("Value").asText("");
        if (value.isEmpty()) {
            throw SsmError.validation("1 validation error detected: Value at 'value' failed to satisfy constraint: "
                    + "Member must have length greater than or equal to 1.");
        }
        boolean overwrite = request.path("Overwrite").asBoolean(false);
        JsonNode tagList = request.path("Tags");
        if (overwrite && !tagList.isEmpty()) {
            throw SsmError.validation("Invalid request: tags and overwrite can't be used together. To create a parameter "
                    + "with tags, please remove overwrite flag.");
        }
        Parameter existing = parameters.get(name);
        if (existing != null && !overwrite) {
            throw new SsmError("ParameterAlreadyExists",
                    "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        }
        String type = request.path("Type").asText(existing == null ? "" : existing.type());
        if (!TYPES.contains(type)) {
            throw SsmError.validation(type.isEmpty() ? "A parameter type is required when you create a parameter."
                    : "Value '" + type + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[SecureString, StringList, String]");
        }
        if (!type.equals("SecureString") && request.hasNonNull("KeyId")) {
            throw SsmError.validation("KeyId is required for SecureString type parameter only.");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if (existing != null) {
            tags.putAll(existing.tags());  // an overwrite keeps the parameter's tags, as in SSM
        }
        tagList.forEach(tag -> tags.put(tag.path("Key").asText(), tag.path("Value").asText()));
        boolean secure = type.equals("SecureString");
        String keyId = secure ? request.path("KeyId").asText(DEFAULT_KEY_ID) : null;
        long version = existing == null ? 1 : existing.version() + 1;
        String stored = secure ? seal(name, value) : value;
        parameters.put(name, new Parameter(name, type, stored, version, keyId, Instant.now(), Map.copyOf(tags)));
        save();
        ObjectNode answer = Json.object();
        answer.put("Version", version);
        answer.put("Tier", "Standard");
        return answer;
    }

    private ObjectNode getParameter(JsonNode request) {
        String name = required(request, "Name");
        Parameter parameter = find(name).orElseThrow(() -> SsmError.notFound(name));
        ObjectNode answer = Json.object();
        answer.set("Parameter", view(parameter, request.path("WithDecryption").asBoolean(false)));
        return answer;
    }

    private ObjectNode getParametersByPath(JsonNode request) {
        String path = required(request, "Path");
        if (!path.startsWith("/")) {
            throw SsmError.validation("The parameter doesn't meet the parameter name requirements. The parameter name "
                    + "must begin with a forward slash \"/\".");
        }
        if (!request.path("ParameterFilters").isEmpty()) {
            throw SsmError.validation("the local SSM does not answer GetParametersByPath with ParameterFilters");
        }
        // "/a/b" and "/a/b/" are the same path; what is under it starts with "/a/b/" (so never "/a/bc")
        String under = path.equals("/") ? "/" : path.replaceAll("/+$", "") + "/";
        boolean recursive = request.path("Recursive").asBoolean(false);
        boolean decrypt = request.path("WithDecryption").asBoolean(false);
        int maxResults = request.path("MaxResults").asInt(MAX_RESULTS);
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw SsmError.validation("1 validation error detected: Value " + maxResults + " at 'maxResults' failed to "
                    + "satisfy constraint: Member must have value between 1 and " + MAX_RESULTS);
        }
        NavigableMap<String, Parameter> from = parameters.tailMap(under, true);
        if (request.hasNonNull("NextToken")) {
            from = parameters.tailMap(resumeAfter(request.get("NextToken").asText(), under), false);
        }
        ObjectNode answer = Json.object();
        ArrayNode page = answer.putArray("Parameters");
        String last = null;
        for (Parameter parameter : from.values()) {
            if (!parameter.name().startsWith(under)) {
                break;  // sorted: the path's range has ended
            }
            if (!recursive && parameter.name().indexOf('/', under.length()) >= 0) {
                continue;  // deeper than one level
            }
            if (page.size() == maxResults) {
                // one more match exists: the next page starts after the last name answered
                answer.put("NextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
                break;
            }
            page.add(view(parameter, decrypt));
            last = parameter.name();
        }
        return answer;
    }

    /** The name a token resumes after; a token of another path is refused, as SSM refuses a foreign token. */
    private static String resumeAfter(String token, String under) {
        try {
            String name = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (name.startsWith(under)) {
                return name;
            }
        } catch (IllegalArgumentException malformed) {
            // refused below
        }
        throw new SsmError("InvalidNextToken", "The specified token isn't valid.");
    }

    private ObjectNode deleteParameters(JsonNode request) throws IOException {
        JsonNode names = request.path("Names");
        if (!names.isArray() || names.isEmpty() || names.size() > MAX_DELETE) {
            throw SsmError.validation("1 validation error detected: Value at 'names' failed to satisfy constraint: "
                    + "Member must have length between 1 and " + MAX_DELETE);
        }
        ObjectNode answer = Json.object();
        ArrayNode deleted = answer.putArray("DeletedParameters");
        ArrayNode invalid = answer.putArray("InvalidParameters");
        for (JsonNode name : names) {
            // unknown names are listed, not an error: SSM answers them in InvalidParameters
            (parameters.remove(name.asText()) != null ? deleted : invalid).add(name.asText());
        }
        if (!deleted.isEmpty()) {
            save();
        }
        return answer;
    }

    private ObjectNode deleteParameter(JsonNode request) throws IOException {
        String name = required(request, "Name");
        if (parameters.remove(name) == null) {
            throw SsmError.notFound(name);
        }
        save();
        return Json.object();
    }

    /** A parameter as {@code GetParameter} and {@code GetParametersByPath} answer it. */
    private ObjectNode view(Parameter parameter, boolean decrypt) {
        ObjectNode view = Json.object();
        view.put("Name", parameter.name());
        view.put("Type", parameter.type());
        // undecrypted, a SecureString's value is its ciphertext, as in SSM
        view.put("Value", decrypt ? plaintext(parameter) : parameter.stored());
        view.put("Version", parameter.version());
        view.put("LastModifiedDate", parameter.lastModified().toEpochMilli() / 1000.0);
        view.put("ARN", arn(parameter.name()));
        view.put("DataType", "text");
        return view;
    }

    private static String arn(String name) {
        return ARN_PREFIX + (name.startsWith("/") ? name : "/" + name);
    }

    /** By name or by ARN (a name without a leading slash has one added in its ARN). */
    private Optional<Parameter> find(String nameOrArn) {
        if (!nameOrArn.startsWith("arn:")) {
            return Optional.ofNullable(parameters.get(nameOrArn));
        }
        if (!nameOrArn.startsWith(ARN_PREFIX + "/")) {
            return Optional.empty();
        }
        String name = nameOrArn.substring(ARN_PREFIX.length());
        return Optional.ofNullable(parameters.get(name)).or(() -> Optional.ofNullable(parameters.get(name.substring(1))));
    }

    private static String required(JsonNode request, String field) {
        String value = request.path(field).asText("");
        if (value.isEmpty()) {
            throw SsmError.validation("1 validation error detected: Value null at '" + field
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    private static String validName(String name) {
        if (!NAME.matcher(name).matches() || (name.contains("/") && !name.startsWith("/"))) {
            throw SsmError.validation("Parameter name: can contain only letters, numbers and the symbols .-_/, and a name "
                    + "with a slash must begin with one (got " + name + ")");
        }
        return name;
    }

    // --- sealing SecureString values

    /** AES-GCM with a fresh IV; the name is authenticated data, so a value moved to another parameter fails to open. */
    private String seal(String name, String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] ciphertext = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = new byte[iv.length + ciphertext.length];
            System.arraycopy(iv, 0, sealed, 0, iv.length);
            System.arraycopy(ciphertext, 0, sealed, iv.length, ciphertext.length);
            return Base64.getEncoder().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a SecureString value", e);
        }
    }

    private String plaintext(Parameter parameter) {
        if (!parameter.secure()) {
            return parameter.stored();
        }
        try {
            byte[] sealed = Base64.getDecoder().decode(parameter.stored());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(parameter.name().getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the SecureString " + parameter.name() + " does not open with the local SSM's key", e);
        }
    }

    // --- the data dir

    /**
     * The key of an existing store, or a new one for a new store. A state file without its key cannot be read,
     * and a new key would only hide that: refused.
     */
    private static SecretKey loadOrCreateKey(Path keyFile, Path stateFile) throws IOException {
        if (Files.exists(keyFile)) {
            byte[] bytes = Files.readAllBytes(keyFile);
            if (bytes.length != KEY_BYTES) {
                throw new IOException(keyFile + " is not a " + KEY_BYTES + "-byte key");
            }
            return new SecretKeySpec(bytes, "AES");
        }
        if (Files.exists(stateFile)) {
            throw new IOException(stateFile + " exists but its key " + keyFile + " is missing, so its SecureString values "
                    + "cannot be read; restore the key or remove " + stateFile.getParent() + " to start with no parameters");
        }
        byte[] bytes = randomBytes(KEY_BYTES);
        writeOwnerOnly(keyFile, bytes);
        return new SecretKeySpec(bytes, "AES");
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private void load() throws IOException {
        if (stateFile == null || !Files.exists(stateFile)) {
            return;
        }
        for (JsonNode saved : Json.MAPPER.readTree(Files.readAllBytes(stateFile)).path("parameters")) {
            Map<String, String> tags = new LinkedHashMap<>();
            saved.path("tags").fields().forEachRemaining(tag -> tags.put(tag.getKey(), tag.getValue().asText()));
            Parameter parameter = new Parameter(saved.path("name").asText(), saved.path("type").asText(),
                    saved.path("value").asText(), saved.path("version").asLong(),
                    saved.hasNonNull("keyId") ? saved.get("keyId").asText() : null,
                    Instant.parse(saved.path("lastModified").asText()), Map.copyOf(tags));
            plaintext(parameter);  // a store sealed under another key fails here, at start, not at a task's start
            parameters.put(parameter.name(), parameter);
        }
    }

    private void save() throws IOException {
        if (stateFile == null) {
            return;
        }
        ObjectNode state = Json.object();
        ArrayNode list = state.putArray("parameters");
        for (Parameter parameter : parameters.values()) {
            ObjectNode saved = list.addObject();
            saved.put("name", parameter.name());
            saved.put("type", parameter.type());
            saved.put("value", parameter.stored());  // sealed for a SecureString
            saved.put("version", parameter.version());
            saved.put("keyId", parameter.keyId());
            saved.put("lastModified", parameter.lastModified().toString());
            ObjectNode tags = saved.putObject("tags");
            parameter.tags().forEach(tags::put);
        }
        writeOwnerOnly(stateFile, Json.write(state).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code file} at once (a kill leaves the old content or the new, never half), through a sibling that
     * is created readable by its owner only: the content is never, even briefly, in a file others can read.
     */
    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(next);  // left over by a kill mid-write
        Files.createFile(next, ownerOnly("rw-------"));
        Files.write(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The permissions as a creation attribute, where the file system has POSIX permissions (not on Windows). */
    private static FileAttribute<?>[] ownerOnly(String permissions) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}
