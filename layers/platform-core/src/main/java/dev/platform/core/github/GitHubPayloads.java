package dev.platform.core.github;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.json.Json;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a verified GitHub delivery into a {@link RepoEvent}, or says why it is not one. Every field is
 * checked for its JSON type (an error names its full path, e.g. {@code pull_request.head.sha}) and
 * capped at GitHub's own limits, so whatever is accepted fits a queue message.
 */
public final class GitHubPayloads {
    /** GitHub: a user or organization name has at most 39 characters, a repository name at most 100. */
    static final int MAX_REPOSITORY_LENGTH = 39 + 1 + 100;
    /**
     * Git stores a ref as a file named after it; GitHub refuses ref names whose components do not fit
     * a file name, and this cap (in UTF-8 bytes, for the whole ref) is above any branch name it accepts.
     */
    static final int MAX_REF_BYTES = 255 + "refs/heads/".length();

    /** Trailing content after the JSON document is an error, not ignored. */
    private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** What a delivery turned out to be. */
    public sealed interface Parsed {
        record Handled(RepoEvent event) implements Parsed {
        }

        record Ping() implements Parsed {
        }

        record Ignored(String reason) implements Parsed {
        }
    }

    private GitHubPayloads() {
    }

    /**
     * @throws MalformedPayloadException the body is not the JSON GitHub documents (400)
     * @throws UnprocessableDeliveryException it is, but a field is beyond GitHub's limits (422)
     */
    public static Parsed parse(String eventName, String deliveryId, byte[] body)
            throws MalformedPayloadException, UnprocessableDeliveryException {
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (JacksonException e) {
            throw new MalformedPayloadException("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedPayloadException("body cannot be read as JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPayloadException("body must be a JSON object");
        }
        return switch (eventName) {
            case "ping" -> new Parsed.Ping();
            case "pull_request" -> pullRequest(deliveryId, new Field(root, ""));
            case "push" -> new Parsed.Handled(push(deliveryId, new Field(root, "")));
            default -> new Parsed.Ignored("event '" + eventName + "' is not handled");
        };
    }

    private static Parsed pullRequest(String deliveryId, Field root) throws MalformedPayloadException, UnprocessableDeliveryException {
        String actionName = root.text("action");
        Optional<PullRequestAction> action = PullRequestAction.fromWire(actionName);
        if (action.isEmpty()) {
            return new Parsed.Ignored("pull_request action '" + actionName + "' is not handled");
        }
        Field pr = root.object("pull_request");
        Field head = pr.object("head");
        String repository = root.object("repository").repository("full_name");
        // A fork whose repository was deleted has head.repo = null: treat it as a fork (untrusted).
        Optional<Field> headRepo = head.optionalObject("repo");
        boolean fork = headRepo.isEmpty() || !repository.equalsIgnoreCase(headRepo.get().optionalText("full_name").orElse(""));
        return new Parsed.Handled(new RepoEvent.PullRequest(
                deliveryId,
                repository,
                action.get(),
                new PrNumber(root.positiveInt("number")),
                head.sha("sha"),
                head.ref("ref"),
                pr.object("base").ref("ref"),
                pr.instant("updated_at"),
                pr.optionalBoolean("draft", false),
                fork));
    }

    private static RepoEvent push(String deliveryId, Field root) throws MalformedPayloadException, UnprocessableDeliveryException {
        Field repository = root.object("repository");
        return new RepoEvent.Push(
                deliveryId,
                repository.repository("full_name"),
                root.ref("ref"),
                root.sha("before"),
                root.sha("after"),
                root.optionalBoolean("created", false),
                root.optionalBoolean("deleted", false),
                repository.epochSeconds("pushed_at"));
    }

    /** A JSON object at a path of the payload; errors name the full path of the field. */
    private record Field(JsonNode node, String path) {
        private String pathOf(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        Field object(String name) throws MalformedPayloadException {
            JsonNode value = node.get(name);
            if (value == null || !value.isObject()) {
                throw new MalformedPayloadException("field '" + pathOf(name) + "' must be an object");
            }
            return new Field(value, pathOf(name));
        }

        Optional<Field> optionalObject(String name) throws MalformedPayloadException {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isObject()) {
                throw new MalformedPayloadException("field '" + pathOf(name) + "' must be an object or null");
            }
            return Optional.of(new Field(value, pathOf(name)));
        }

        String text(String name) throws MalformedPayloadException {
            JsonNode value = node.get(name);
            if (value == null || !value.isTextual() || value.asText().isEmpty()) {
                throw new MalformedPayloadException("field '" + pathOf(name) + "' must be a non-empty string");
            }
            return value.asText();
        }

        Optional<String> optionalText(String name) throws MalformedPayloadException {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isTextual()) {
                throw new MalformedPayloadException("field '" + pathOf(name) + "' must be a string");
            }
            return Optional.of(value.asText());
        }

        boolean optionalBoolean(String name, boolean absent) throws MalformedPayloadException {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return absent;
            }
            if (!value.isBoolean()) {
                throw new MalformedPayloadException("field '" + pathOf(name) + "' must be true or false");
            }
            return value.booleanValue();
        }

        int positiveInt(String name) throws MalformedPayloadException {
            JsonNode value = node.get(name);
            if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
                throw new MalformedPayloadException("field '" + pathOf(name) + "' must be a positive integer");
            }
            return value.asInt();
        }

        CommitSha sha(String name) throws MalformedPayloadException {
            JsonNode value = node.get(name);
            if (value == null || !value.isTextual() || !value.asText().matches("[0-9a-f]{40}")) {
                throw new MalformedPayloadException("field '" + pathOf(name) + "' must be a 40-character hex commit SHA");
            }
            return new CommitSha(value.asText());
        }

        String ref(String name) throws MalformedPayloadException, UnprocessableDeliveryException {
            String value = text(name);
            int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_REF_BYTES) {
                throw new UnprocessableDeliveryException("field '" + pathOf(name) + "' is " + bytes
                        + " bytes; refs longer than " + MAX_REF_BYTES + " bytes are beyond GitHub's limits");
            }
            return value;
        }

        String repository(String name) throws MalformedPayloadException, UnprocessableDeliveryException {
            String value = text(name);
            if (value.length() > MAX_REPOSITORY_LENGTH) {
                throw new UnprocessableDeliveryException("field '" + pathOf(name) + "' is " + value.length()
                        + " characters; GitHub repository names (owner/name) have at most " + MAX_REPOSITORY_LENGTH);
            }
            return value;
        }

        Instant instant(String name) throws MalformedPayloadException {
            String value = text(name);
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new MalformedPayloadException("field '" + pathOf(name) + "' must be an ISO-8601 timestamp");
            }
        }

        /**
         * Push deliveries carry {@code repository.pushed_at} as epoch seconds, other events as an
         * ISO-8601 string: both are read as a time. Absent: 0, which orders by arrival alone.
         */
        long epochSeconds(String name) throws MalformedPayloadException {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return 0L;
            }
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                return value.asLong();
            }
            if (value.isTextual()) {
                try {
                    return Instant.parse(value.asText()).getEpochSecond();
                } catch (DateTimeParseException e) {
                    // reported below
                }
            }
            throw new MalformedPayloadException("field '" + pathOf(name) + "' must be epoch seconds or an ISO-8601 timestamp");
        }
    }
}
