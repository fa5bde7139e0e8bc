package dev.platform.core.github;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads a verified GitHub delivery into a {@link RepoEvent}, or says why it is not one. */
public final class GitHubPayloads {

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

    public static Parsed parse(String eventName, String deliveryId, byte[] body) throws MalformedPayloadException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
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
            case "pull_request" -> pullRequest(deliveryId, root);
            case "push" -> new Parsed.Handled(push(deliveryId, root));
            default -> new Parsed.Ignored("event '" + eventName + "' is not handled");
        };
    }

    private static Parsed pullRequest(String deliveryId, JsonNode root) throws MalformedPayloadException {
        String actionName = text(root, "action");
        Optional<PullRequestAction> action = PullRequestAction.fromWire(actionName);
        if (action.isEmpty()) {
            return new Parsed.Ignored("pull_request action '" + actionName + "' is not handled");
        }
        JsonNode pr = object(root, "pull_request");
        JsonNode head = object(pr, "head");
        JsonNode base = object(pr, "base");
        String repository = text(object(root, "repository"), "full_name");
        JsonNode headRepo = head.get("repo");
        // A fork whose repository was deleted has head.repo = null: treat it as a fork (untrusted).
        boolean fork = headRepo == null || headRepo.isNull()
                || !repository.equalsIgnoreCase(headRepo.path("full_name").asText(""));
        return new Parsed.Handled(new RepoEvent.PullRequest(
                deliveryId,
                repository,
                action.get(),
                number(root, "number"),
                sha(head, "head.sha"),
                text(head, "ref"),
                text(base, "ref"),
                instant(pr, "updated_at", "pull_request.updated_at"),
                pr.path("draft").asBoolean(false),
                fork));
    }

    private static RepoEvent push(String deliveryId, JsonNode root) throws MalformedPayloadException {
        JsonNode repository = object(root, "repository");
        return new RepoEvent.Push(
                deliveryId,
                text(repository, "full_name"),
                text(root, "ref"),
                sha(root, "before"),
                sha(root, "after"),
                root.path("created").asBoolean(false),
                root.path("deleted").asBoolean(false),
                // push deliveries carry pushed_at as epoch seconds; 0 orders by arrival alone
                repository.path("pushed_at").canConvertToLong() ? repository.path("pushed_at").asLong() : 0L);
    }

    private static JsonNode object(JsonNode parent, String field) throws MalformedPayloadException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw new MalformedPayloadException("field '" + field + "' must be an object");
        }
        return node;
    }

    private static String text(JsonNode parent, String field) throws MalformedPayloadException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new MalformedPayloadException("field '" + field + "' must be a non-empty string");
        }
        return node.asText();
    }

    private static int number(JsonNode parent, String field) throws MalformedPayloadException {
        JsonNode node = parent.get(field);
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1) {
            throw new MalformedPayloadException("field '" + field + "' must be a positive integer");
        }
        return node.asInt();
    }

    private static String sha(JsonNode parent, String path) throws MalformedPayloadException {
        String field = path.substring(path.lastIndexOf('.') + 1);
        String value = text(parent, field);
        if (!value.matches("[0-9a-f]{40}")) {
            throw new MalformedPayloadException("field '" + path + "' must be a 40-character hex commit SHA");
        }
        return value;
    }

    private static Instant instant(JsonNode parent, String field, String path) throws MalformedPayloadException {
        String value = text(parent, field);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MalformedPayloadException("field '" + path + "' must be an ISO-8601 timestamp");
        }
    }
}
