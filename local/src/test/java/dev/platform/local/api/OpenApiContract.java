package dev.platform.local.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The REST API's contract, {@code api/openapi.yaml}, as tests use it: which routes it documents, and whether an
 * answer (status, content type, body, headers) is one the document allows for its route. Bodies are validated
 * with a JSON Schema 2020-12 validator in the OpenAPI 3.1 dialect, {@code $ref}s resolved within the document,
 * formats (date-time, duration) asserted.
 *
 * <pre>{@code
 * OpenApiContract api = OpenApiContract.load();
 * HttpResponse<String> answer = client.send(...);
 * api.check("GET", "/v1/projects/{projectId}", answer.statusCode(), answer.headers().map(), answer.body());
 * }</pre>
 */
public final class OpenApiContract {
    /** Where the document is, from the repository root. */
    public static final String DOCUMENT = "api/openapi.yaml";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT = 2000;

    private final Path file;
    private final String base;
    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private OpenApiContract(Path file, String text) {
        this.file = file;
        this.base = file.toUri().toString();
        try {
            this.document = new YAMLMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(file + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
        // the document is handed to the validator under its own IRI, so a $ref such as #/components/schemas/Token
        // resolves within it and nothing is ever fetched
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder
                .schemas(Map.of(base, text))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /** The repository's {@code api/openapi.yaml}, found from the working directory (a module's) upwards. */
    public static OpenApiContract load() {
        return load(locate());
    }

    public static OpenApiContract load(Path file) {
        try {
            return new OpenApiContract(file.toAbsolutePath().normalize(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** {@code api/openapi.yaml} of the repository: under {@code platform.repo.root} if set, else the first up from the working directory. */
    static Path locate() {
        String root = System.getProperty("platform.repo.root");
        if (root != null && Files.isRegularFile(Path.of(root, DOCUMENT))) {
            return Path.of(root, DOCUMENT);
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DOCUMENT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + DOCUMENT + " in " + start + " or any directory above it");
    }

    public Path file() {
        return file;
    }

    /** The parsed document (read-only by convention). */
    public JsonNode document() {
        return document;
    }

    /** Every documented operation as {@code METHOD path}, such as {@code GET /v1/teams/{teamId}}. */
    public Set<String> routes() {
        Set<String> routes = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> {
            for (String method : METHODS) {
                if (path.getValue().has(method)) {
                    routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        });
        return routes;
    }

    /** The statuses documented for a route, as the document writes them ({@code 200}, {@code 4XX}, {@code default}). */
    public Set<String> statuses(String method, String pathTemplate) {
        Set<String> statuses = new LinkedHashSet<>();
        operation(method, pathTemplate).path("responses").fieldNames().forEachRemaining(statuses::add);
        return statuses;
    }

    /**
     * Asserts that the route documents {@code status} and that the answer is one it allows: no body where the
     * response has no content, else a body of a documented content type that validates against its schema.
     *
     * @param contentType the answer's Content-Type (parameters such as charset are ignored); may be null without a body
     * @param body the answer's body; null or empty for none
     * @throws AssertionError naming the route, the status and every violation
     */
    public void check(String method, String pathTemplate, int status, String contentType, String body) {
        String route = method.toUpperCase(Locale.ROOT) + " " + pathTemplate;
        Located response = response(route, operation(method, pathTemplate), operationPointer(method, pathTemplate), status, body);
        checkContent(route + " -> " + status, response, contentType, body);
    }

    /**
     * As {@link #check(String, String, int, String, String)}, with the answer's headers (as
     * {@code HttpResponse.headers().map()} gives them): the Content-Type is taken from them, and every header the
     * response documents as required must be there, and every documented one present must match its schema.
     */
    public void check(String method, String pathTemplate, int status, Map<String, List<String>> headers, String body) {
        Map<String, List<String>> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        List<String> types = caseless.getOrDefault("Content-Type", List.of());
        String route = method.toUpperCase(Locale.ROOT) + " " + pathTemplate;
        Located response = response(route, operation(method, pathTemplate), operationPointer(method, pathTemplate), status, body);
        checkContent(route + " -> " + status, response, types.isEmpty() ? null : types.get(0), body);
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = response.node().path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Located header = resolve(new Located(response.pointer() + "/headers/" + escape(entry.getKey()), entry.getValue()));
            List<String> values = caseless.get(entry.getKey());
            if (values == null || values.isEmpty()) {
                if (header.node().path("required").asBoolean(false)) {
                    problems.add("the required header " + entry.getKey() + " is missing");
                }
                continue;
            }
            if (header.node().has("schema")) {
                for (Error error : schemaAt(header.pointer() + "/schema").validate(TextNode.valueOf(values.get(0)))) {
                    problems.add("header " + entry.getKey() + " (" + values.get(0) + "): " + error.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(route + " -> " + status + " does not match " + DOCUMENT + ": " + String.join("; ", problems));
        }
    }

    /** Asserts that an answer to a route the document does not list is its 404 ({@code components/responses/UnknownRoute}). */
    public void checkUnknownRoute(int status, String contentType, String body) {
        if (status != 404) {
            throw new AssertionError("an unknown route must answer 404 (" + DOCUMENT + " components/responses/UnknownRoute), not "
                    + status + ": " + excerpt(body));
        }
        checkContent("an unknown route -> 404", resolve(located("/components/responses/UnknownRoute")), contentType, body);
    }

    /** Asserts that a request body is one the route accepts (its requestBody's schema for the content type). */
    public void checkRequest(String method, String pathTemplate, String contentType, String body) {
        String route = method.toUpperCase(Locale.ROOT) + " " + pathTemplate;
        JsonNode operation = operation(method, pathTemplate);
        if (!operation.has("requestBody")) {
            throw new AssertionError(route + " documents no request body in " + DOCUMENT);
        }
        Located requestBody = resolve(new Located(operationPointer(method, pathTemplate) + "/requestBody", operation.get("requestBody")));
        checkContent(route + " request", requestBody, contentType, body);
    }

    /** The violations of {@code json} against {@code components/schemas/<name>}: empty when it validates. */
    public List<String> violations(String schemaName, String json) {
        if (!document.path("components").path("schemas").has(schemaName)) {
            throw new IllegalArgumentException(DOCUMENT + " has no components/schemas/" + schemaName);
        }
        return messages(schemaAt("/components/schemas/" + escape(schemaName)), parse("components/schemas/" + schemaName, json));
    }

    /** Asserts that {@code json} validates against {@code components/schemas/<name>}. */
    public void checkSchema(String schemaName, String json) {
        List<String> violations = violations(schemaName, json);
        if (!violations.isEmpty()) {
            throw new AssertionError("the body does not validate against " + DOCUMENT + " components/schemas/" + schemaName + ":\n  "
                    + String.join("\n  ", violations) + "\nbody: " + excerpt(json));
        }
    }

    /** The node at a JSON pointer ({@code /components/schemas/Token}), or a missing node. */
    public JsonNode at(String pointer) {
        return document.at(pointer);
    }

    // ---- the document ------------------------------------------------------------------------------------------

    /** A node of the document and the JSON pointer it is at. */
    private record Located(String pointer, JsonNode node) {
    }

    private Located located(String pointer) {
        return new Located(pointer, document.at(pointer));
    }

    private JsonNode operation(String method, String pathTemplate) {
        JsonNode pathItem = document.path("paths").get(pathTemplate);
        if (pathItem == null) {
            throw new AssertionError(DOCUMENT + " documents no path " + pathTemplate + "; it has " + routes());
        }
        JsonNode operation = pathItem.get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            throw new AssertionError(DOCUMENT + " documents no " + method.toUpperCase(Locale.ROOT) + " on " + pathTemplate
                    + "; it has " + routes());
        }
        return operation;
    }

    private static String operationPointer(String method, String pathTemplate) {
        return "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT);
    }

    private Located response(String route, JsonNode operation, String operationPointer, int status, String body) {
        JsonNode responses = operation.path("responses");
        for (String key : List.of(String.valueOf(status), status / 100 + "XX", "default")) {
            if (responses.has(key)) {
                return resolve(new Located(operationPointer + "/responses/" + key, responses.get(key)));
            }
        }
        List<String> documented = new ArrayList<>();
        responses.fieldNames().forEachRemaining(documented::add);
        throw new AssertionError(route + " answered " + status + ", which " + DOCUMENT + " does not document for it (it documents "
                + String.join(", ", documented) + "); body: " + excerpt(body));
    }

    /** Follows {@code $ref}s within the document (a Reference Object or a schema that is only a reference). */
    private Located resolve(Located located) {
        Located current = located;
        for (int hops = 0; current.node().has("$ref"); hops++) {
            String ref = current.node().get("$ref").asText();
            if (!ref.startsWith("#") || hops > 20) {
                throw new IllegalStateException(DOCUMENT + ": cannot follow $ref " + ref + " at " + current.pointer());
            }
            String pointer = unescapeUri(ref.substring(1));
            JsonNode target = document.at(pointer);
            if (target.isMissingNode()) {
                throw new IllegalStateException(DOCUMENT + ": $ref " + ref + " at " + current.pointer() + " points at nothing");
            }
            current = new Located(pointer, target);
        }
        return current;
    }

    private void checkContent(String what, Located holder, String contentType, String body) {
        JsonNode content = holder.node().path("content");
        boolean hasBody = body != null && !body.isEmpty();
        if (content.isMissingNode() || content.isEmpty()) {
            if (hasBody) {
                throw new AssertionError(what + ": " + DOCUMENT + " documents no body (" + holder.pointer() + "), but there is one: "
                        + excerpt(body));
            }
            return;
        }
        List<String> types = new ArrayList<>();
        content.fieldNames().forEachRemaining(types::add);
        if (!hasBody) {
            throw new AssertionError(what + ": " + DOCUMENT + " documents a body of " + types + " (" + holder.pointer()
                    + "), but there is none");
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String key = types.stream().filter(type -> type.toLowerCase(Locale.ROOT).equals(mediaType)).findFirst()
                .orElseGet(() -> types.contains("*/*") ? "*/*" : null);
        if (key == null) {
            throw new AssertionError(what + ": Content-Type " + contentType + " is not one " + DOCUMENT + " documents " + types
                    + "; body: " + excerpt(body));
        }
        JsonNode media = content.get(key);
        if (!media.has("schema")) {
            return;
        }
        String schemaPointer = holder.pointer() + "/content/" + escape(key) + "/schema";
        JsonNode schemaNode = media.get("schema");
        // a schema that is only a $ref is validated as its target, so messages name components/schemas/<Name>
        if (schemaNode.size() == 1 && schemaNode.has("$ref") && schemaNode.get("$ref").asText().startsWith("#/")) {
            schemaPointer = unescapeUri(schemaNode.get("$ref").asText().substring(1));
        }
        if (!mediaType.contains("json")) {
            return; // only JSON bodies are validated
        }
        List<String> violations = messages(schemaAt(schemaPointer), parse(what, body));
        if (!violations.isEmpty()) {
            throw new AssertionError(what + ": the body does not validate against " + DOCUMENT + " " + schemaPointer.substring(1)
                    + ":\n  " + String.join("\n  ", violations) + "\nbody: " + excerpt(body));
        }
    }

    private Schema schemaAt(String pointer) {
        return compiled.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(base + "#" + uriFragment(p))));
    }

    private static JsonNode parse(String what, String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(what + ": the body is not JSON (" + e.getOriginalMessage() + "): " + excerpt(json));
        }
    }

    private static List<String> messages(Schema schema, JsonNode instance) {
        List<String> messages = new ArrayList<>();
        for (Error error : schema.validate(instance)) {
            String at = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
            messages.add((at.isEmpty() ? "$" : at) + ": " + error.getMessage() + " [" + error.getKeyword() + " at "
                    + error.getEvaluationPath() + "]");
        }
        return messages;
    }

    /** A JSON pointer segment: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment: the characters a fragment may not hold percent-encoded. */
    private static String uriFragment(String pointer) {
        StringBuilder out = new StringBuilder();
        pointer.codePoints().forEach(c -> {
            if (c < 128 && (Character.isLetterOrDigit(c) || "/-._~!$&'()*+,;=:@".indexOf(c) >= 0)) {
                out.appendCodePoint(c);
            } else {
                for (byte b : new String(Character.toChars(c)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            }
        });
        return out.toString();
    }

    private static String unescapeUri(String fragment) {
        return java.net.URLDecoder.decode(fragment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String excerpt(String body) {
        if (body == null) {
            return "(none)";
        }
        return body.length() <= EXCERPT ? body : body.substring(0, EXCERPT) + "... (" + body.length() + " characters)";
    }
}
