package dev.platform.core.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's JSON object, read strictly: one object and nothing after it, only the fields the route
 * knows, each of its type. Every refusal is a 400 naming the field by its path ({@code build.port}).
 */
public final class JsonBody {
    /** Request bodies larger than this are refused (413) before they are parsed. */
    public static final int MAX_BYTES = 1024 * 1024;

    private final ObjectNode node;
    private final String path;

    private JsonBody(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /**
     * The request's body as an object with only {@code allowed} fields; an empty body is an empty object.
     *
     * @throws ApiProblem 413 over {@link #MAX_BYTES}, 415 when it is not declared JSON, 400 when it is not one
     *     JSON object or names an unknown field
     */
    public static JsonBody of(ApiRequest request, Set<String> allowed) {
        byte[] body = request.body();
        if (body.length > MAX_BYTES) {
            throw new ApiProblem(413, "payload_too_large", "the request body is over " + MAX_BYTES + " bytes");
        }
        if (body.length == 0) {
            return new JsonBody(Json.object(), "").only(allowed);
        }
        String type = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json")) {
            throw new ApiProblem(415, "unsupported_media_type", "send the body as Content-Type: application/json");
        }
        JsonNode parsed;
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(body)) {
            parsed = Json.MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                throw new ApiProblem(400, "malformed_json", "the body has data after its JSON value");
            }
        } catch (JsonProcessingException e) {
            throw new ApiProblem(400, "malformed_json", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiProblem(400, "malformed_json", "the body could not be read as JSON");
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw new ApiProblem(400, "malformed_json", "the body must be a JSON object");
        }
        return new JsonBody(object, "").only(allowed);
    }

    private JsonBody only(Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiProblem.invalid(path + name, "is not a field of this request");
            }
        }
        return this;
    }

    private String name(String field) {
        return path + field;
    }

    public boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    public int size() {
        return node.size();
    }

    /** A nested object with only {@code allowed} fields, if present. */
    public Optional<JsonBody> object(String field, Set<String> allowed) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!(value instanceof ObjectNode object)) {
            throw ApiProblem.invalid(name(field), "must be an object");
        }
        return Optional.of(new JsonBody(object, name(field) + ".").only(allowed));
    }

    public Optional<String> string(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (value.getNodeType() != JsonNodeType.STRING) {
            throw ApiProblem.invalid(name(field), "must be a string");
        }
        return Optional.of(value.textValue());
    }

    /** A string that matches {@code form}, which {@code rule} describes. */
    public Optional<String> string(String field, Pattern form, String rule) {
        Optional<String> value = string(field);
        value.ifPresent(v -> {
            if (!form.matcher(v).matches()) {
                throw ApiProblem.invalid(name(field), rule);
            }
        });
        return value;
    }

    public String requiredString(String field, Pattern form, String rule) {
        return string(field, form, rule).orElseThrow(() -> ApiProblem.invalid(name(field), "is required"));
    }

    public Optional<Integer> integer(String field, int min, int max) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw ApiProblem.invalid(name(field), "must be a whole number from " + min + " to " + max);
        }
        return Optional.of(value.intValue());
    }

    public Optional<Boolean> bool(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw ApiProblem.invalid(name(field), "must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    public Optional<Instant> instant(String field) {
        return string(field).map(value -> {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw ApiProblem.invalid(name(field), "must be a UTC time such as 2027-01-31T00:00:00Z");
            }
        });
    }

    /** A positive ISO-8601 duration such as {@code PT30M}, from {@code min} to {@code max}. */
    public Optional<Duration> duration(String field, Duration min, Duration max) {
        return string(field).map(value -> {
            Duration parsed;
            try {
                parsed = Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw ApiProblem.invalid(name(field), "must be an ISO-8601 duration such as PT30M or P7D");
            }
            if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
                throw ApiProblem.invalid(name(field), "must be from " + min + " to " + max);
            }
            return parsed;
        });
    }

    /** A list of strings, each at most {@code maxLength} characters. */
    public Optional<java.util.List<String>> strings(String field, int maxItems, int maxLength) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!value.isArray() || value.size() > maxItems) {
            throw ApiProblem.invalid(name(field), "must be a list of at most " + maxItems + " strings");
        }
        java.util.List<String> items = new java.util.ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().length() > maxLength) {
                throw ApiProblem.invalid(name(field), "must hold strings of at most " + maxLength + " characters");
            }
            items.add(item.textValue());
        }
        return Optional.of(items);
    }

    /** A map of string values, names matching {@code nameForm}. */
    public Optional<java.util.Map<String, String>> stringMap(String field, Pattern nameForm, int maxEntries, int maxLength) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode value = node.get(field);
        if (!(value instanceof ObjectNode object) || object.size() > maxEntries) {
            throw ApiProblem.invalid(name(field), "must be an object of at most " + maxEntries + " string values");
        }
        java.util.Map<String, String> entries = new java.util.TreeMap<>();
        for (Iterator<java.util.Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            java.util.Map.Entry<String, JsonNode> entry = it.next();
            if (!nameForm.matcher(entry.getKey()).matches()) {
                throw ApiProblem.invalid(name(field) + "." + entry.getKey(), "is not a valid name");
            }
            if (!entry.getValue().isTextual() || entry.getValue().textValue().length() > maxLength) {
                throw ApiProblem.invalid(name(field) + "." + entry.getKey(), "must be a string of at most " + maxLength + " characters");
            }
            entries.put(entry.getKey(), entry.getValue().textValue());
        }
        return Optional.of(entries);
    }

}
