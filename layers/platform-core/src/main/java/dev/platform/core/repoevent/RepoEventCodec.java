package dev.platform.core.repoevent;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.json.Json;
import java.time.Instant;

/** The message body of {@code repo-events.fifo}: written by the webhook, read by the orchestrator. */
public final class RepoEventCodec {
    private RepoEventCodec() {
    }

    public static String write(RepoEvent event) {
        ObjectNode node = Json.object();
        node.put("deliveryId", event.deliveryId());
        node.put("repository", event.repository());
        switch (event) {
            case RepoEvent.PullRequest pr -> {
                node.put("kind", "pull_request");
                node.put("action", pr.action().wireName());
                node.put("number", pr.number().value());
                node.put("headSha", pr.headSha().value());
                node.put("headRef", pr.headRef());
                node.put("baseRef", pr.baseRef());
                node.put("updatedAt", pr.updatedAt().toString());
                node.put("draft", pr.draft());
                node.put("fork", pr.fork());
            }
            case RepoEvent.Push push -> {
                node.put("kind", "push");
                node.put("ref", push.ref());
                node.put("before", push.before().value());
                node.put("after", push.after().value());
                node.put("created", push.created());
                node.put("deleted", push.deleted());
                node.put("pushedAt", push.pushedAt());
            }
        }
        return Json.write(node);
    }

    /** @throws IllegalArgumentException naming what is wrong; such a message is poison and goes to the DLQ */
    public static RepoEvent read(String body) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("repo event is not valid JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("repo event must be a JSON object");
        }
        String kind = required(node, "kind");
        return switch (kind) {
            case "pull_request" -> new RepoEvent.PullRequest(
                    required(node, "deliveryId"),
                    required(node, "repository"),
                    PullRequestAction.fromWire(required(node, "action"))
                            .orElseThrow(() -> new IllegalArgumentException("unknown action " + node.get("action"))),
                    new PrNumber(positive(node, "number")),
                    sha(node, "headSha"),
                    required(node, "headRef"),
                    required(node, "baseRef"),
                    Instant.parse(required(node, "updatedAt")),
                    node.path("draft").asBoolean(false),
                    node.path("fork").asBoolean(true));
            case "push" -> new RepoEvent.Push(
                    required(node, "deliveryId"),
                    required(node, "repository"),
                    required(node, "ref"),
                    sha(node, "before"),
                    sha(node, "after"),
                    node.path("created").asBoolean(false),
                    node.path("deleted").asBoolean(false),
                    node.path("pushedAt").asLong(0));
            default -> throw new IllegalArgumentException("unknown repo event kind '" + kind + "'");
        };
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("repo event field '" + field + "' is missing");
        }
        return value.asText();
    }

    private static CommitSha sha(JsonNode node, String field) {
        try {
            return new CommitSha(required(node, field));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("repo event field '" + field + "': " + e.getMessage(), e);
        }
    }

    private static int positive(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || value.asInt() < 1) {
            throw new IllegalArgumentException("repo event field '" + field + "' must be a positive integer");
        }
        return value.asInt();
    }
}
