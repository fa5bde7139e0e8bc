package dev.platform.core.repoevent;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.json.Json;
import dev.platform.core.preview.PreviewCommand;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The message body of {@code repo-events.fifo}: written by the webhook, read by the orchestrator. */
public final class RepoEventCodec {
    private RepoEventCodec() {
    }

    public static String write(RepoEvent event) {
        ObjectNode node = Json.object();
        node.put("deliveryId", event.deliveryId());
        if (event instanceof RepoEvent.OfRepository ofRepository) {
            node.put("repository", ofRepository.repository());
            if (ofRepository.installation() != null) {
                node.put("installation", ofRepository.installation().value());
            }
        }
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
            case RepoEvent.Approval approval -> {
                node.put("kind", "approval");
                node.put("number", approval.number().value());
                node.put("login", approval.login());
                if (approval.headSha() != null) {
                    node.put("headSha", approval.headSha().value());
                }
            }
            case RepoEvent.PreviewCommand command -> {
                node.put("kind", "preview_command");
                node.put("number", command.number().value());
                node.put("login", command.login());
                node.put("commentId", command.commentId());
                if (command.command() != null) {
                    node.put("command", command.command().kind().wireName());
                    if (command.command().extendBy() != null) {
                        node.put("extendBy", command.command().extendBy().toString());
                    }
                } else {
                    node.put("refusal", command.refusal());
                }
            }
            case RepoEvent.Installation installation -> {
                node.put("kind", "installation");
                node.put("installation", installation.installation().value());
                node.put("action", installation.action());
                ArrayNode added = node.putArray("added");
                installation.added().forEach(added::add);
                ArrayNode removed = node.putArray("removed");
                installation.removed().forEach(removed::add);
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
                    installation(node),
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
                    installation(node),
                    required(node, "ref"),
                    sha(node, "before"),
                    sha(node, "after"),
                    node.path("created").asBoolean(false),
                    node.path("deleted").asBoolean(false),
                    node.path("pushedAt").asLong(0));
            case "approval" -> new RepoEvent.Approval(
                    required(node, "deliveryId"),
                    required(node, "repository"),
                    installation(node),
                    new PrNumber(positive(node, "number")),
                    required(node, "login"),
                    node.hasNonNull("headSha") ? sha(node, "headSha") : null);
            case "preview_command" -> new RepoEvent.PreviewCommand(
                    required(node, "deliveryId"),
                    required(node, "repository"),
                    installation(node),
                    new PrNumber(positive(node, "number")),
                    required(node, "login"),
                    positiveLong(node, "commentId"),
                    node.hasNonNull("command") ? command(node) : null,
                    node.hasNonNull("command") ? null : required(node, "refusal"));
            case "installation" -> new RepoEvent.Installation(
                    required(node, "deliveryId"),
                    java.util.Objects.requireNonNull(installation(node), "repo event field 'installation' is missing"),
                    required(node, "action"),
                    names(node, "added"),
                    names(node, "removed"));
            default -> throw new IllegalArgumentException("unknown repo event kind '" + kind + "'");
        };
    }

    private static PreviewCommand command(JsonNode node) {
        PreviewCommand.Kind kind = PreviewCommand.Kind.fromWire(required(node, "command"));
        Duration extendBy = null;
        if (node.hasNonNull("extendBy")) {
            try {
                extendBy = Duration.parse(required(node, "extendBy"));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("repo event field 'extendBy' is not an ISO-8601 duration", e);
            }
        }
        return new PreviewCommand(kind, extendBy);
    }

    private static InstallationId installation(JsonNode node) {
        JsonNode value = node.get("installation");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToLong() || value.asLong() < 1) {
            throw new IllegalArgumentException("repo event field 'installation' must be a positive integer");
        }
        return new InstallationId(value.asLong());
    }

    private static List<String> names(JsonNode node, String field) {
        List<String> names = new ArrayList<>();
        for (JsonNode name : node.path(field)) {
            names.add(name.asText());
        }
        return names;
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

    private static long positiveLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong() || value.asLong() < 1) {
            throw new IllegalArgumentException("repo event field '" + field + "' must be a positive integer");
        }
        return value.asLong();
    }

    private static int positive(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || value.asInt() < 1) {
            throw new IllegalArgumentException("repo event field '" + field + "' must be a positive integer");
        }
        return value.asInt();
    }
}
