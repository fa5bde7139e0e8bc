package dev.platform.core.github;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.json.Json;
import dev.platform.core.preview.PreviewCommand;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
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
    /** GitHub logins have at most 39 characters; bots add {@code [bot]}. */
    static final int MAX_LOGIN_LENGTH = 39 + "[bot]".length();
    /** Repositories one installation event may list: about 150 KB at most, under the queue's 256 KB. */
    static final int MAX_REPOSITORIES = 1_000;
    /** The label that approves building a fork's head. */
    public static final String APPROVAL_LABEL = "preview:approved";
    /** The comment that approves building a fork's head (its first line; the words in any case and spacing). */
    public static final String APPROVAL_COMMAND = "/preview approve";

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
        Field fields = new Field(root, "");
        return switch (eventName) {
            case "ping" -> new Parsed.Ping();
            case "pull_request" -> pullRequest(deliveryId, fields);
            case "push" -> new Parsed.Handled(push(deliveryId, fields));
            case "issue_comment" -> comment(deliveryId, fields);
            case "installation" -> installation(deliveryId, fields);
            case "installation_repositories" -> installationRepositories(deliveryId, fields);
            default -> new Parsed.Ignored("event '" + eventName + "' is not handled");
        };
    }

    private static Parsed pullRequest(String deliveryId, Field root) throws MalformedPayloadException, UnprocessableDeliveryException {
        String actionName = root.text("action");
        if (actionName.equals("labeled")) {
            return labeled(deliveryId, root);
        }
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
                installationOf(root),
                action.get(),
                new PrNumber(root.positiveInt("number")),
                head.sha("sha"),
                head.ref("ref"),
                pr.object("base").ref("ref"),
                pr.instant("updated_at"),
                pr.optionalBoolean("draft", false),
                fork));
    }

    /** The label {@value #APPROVAL_LABEL} approves the labeled head; other labels change nothing. */
    private static Parsed labeled(String deliveryId, Field root) throws MalformedPayloadException, UnprocessableDeliveryException {
        String label = root.optionalObject("label").isPresent() ? root.object("label").text("name") : "";
        if (!label.equals(APPROVAL_LABEL)) {
            return new Parsed.Ignored("label '" + label + "' does not ask for anything");
        }
        return new Parsed.Handled(new RepoEvent.Approval(deliveryId, root.object("repository").repository("full_name"),
                installationOf(root), new PrNumber(root.positiveInt("number")), root.object("sender").login("login"),
                root.object("pull_request").object("head").sha("sha")));
    }

    /**
     * A new comment on a pull request whose first line is a {@code /preview} command: {@value #APPROVAL_COMMAND}
     * approves its head; the other commands ({@link PreviewCommand}) act on its preview. A {@code /preview} line
     * that cannot be read is delivered with the reason, so the orchestrator can answer it on the comment. Other
     * comments change nothing.
     */
    private static Parsed comment(String deliveryId, Field root) throws MalformedPayloadException, UnprocessableDeliveryException {
        String action = root.text("action");
        if (!action.equals("created")) {
            return new Parsed.Ignored("issue_comment action '" + action + "' is not handled");
        }
        Field issue = root.object("issue");
        if (issue.optionalObject("pull_request").isEmpty()) {
            return new Parsed.Ignored("a comment on an issue, not a pull request");
        }
        Field comment = root.object("comment");
        String firstLine = comment.optionalText("body").orElse("").strip().lines().findFirst().orElse("").strip();
        Optional<PreviewCommand.Parsed> parsed = PreviewCommand.parse(firstLine);
        if (parsed.isEmpty()) {
            return new Parsed.Ignored("the comment is not a command");
        }
        String repository = root.object("repository").repository("full_name");
        PrNumber number = new PrNumber(issue.positiveInt("number"));
        String login = comment.object("user").login("login");
        return new Parsed.Handled(switch (parsed.get()) {
            case PreviewCommand.Parsed.Approve approve ->
                    new RepoEvent.Approval(deliveryId, repository, installationOf(root), number, login, null);
            case PreviewCommand.Parsed.Command command -> new RepoEvent.PreviewCommand(deliveryId, repository,
                    installationOf(root), number, login, comment.positiveLong("id"), command.command(), null);
            case PreviewCommand.Parsed.Refused refused -> new RepoEvent.PreviewCommand(deliveryId, repository,
                    installationOf(root), number, login, comment.positiveLong("id"), null, refused.reason());
        });
    }

    /** {@code installation}: the repositories it was created with, or that it no longer serves. */
    private static Parsed installation(String deliveryId, Field root) throws MalformedPayloadException, UnprocessableDeliveryException {
        String action = root.text("action");
        InstallationId id = new InstallationId(root.object("installation").positiveLong("id"));
        List<String> repositories = root.repositories("repositories");
        return switch (action) {
            case "created", "unsuspend", "new_permissions_accepted" ->
                    new Parsed.Handled(new RepoEvent.Installation(deliveryId, id, action, repositories, List.of()));
            case "deleted", "suspend" ->
                    new Parsed.Handled(new RepoEvent.Installation(deliveryId, id, action, List.of(), repositories));
            default -> new Parsed.Ignored("installation action '" + action + "' is not handled");
        };
    }

    /** {@code installation_repositories}: repositories added to or removed from an installation. */
    private static Parsed installationRepositories(String deliveryId, Field root)
            throws MalformedPayloadException, UnprocessableDeliveryException {
        String action = root.text("action");
        if (!action.equals("added") && !action.equals("removed")) {
            return new Parsed.Ignored("installation_repositories action '" + action + "' is not handled");
        }
        return new Parsed.Handled(new RepoEvent.Installation(deliveryId,
                new InstallationId(root.object("installation").positiveLong("id")), action,
                root.repositories("repositories_added"), root.repositories("repositories_removed")));
    }

    /** {@code installation.id}, present on every delivery of a GitHub App; null on a plain repository webhook. */
    private static InstallationId installationOf(Field root) throws MalformedPayloadException {
        Optional<Field> installation = root.optionalObject("installation");
        return installation.isEmpty() ? null : new InstallationId(installation.get().positiveLong("id"));
    }

    private static RepoEvent push(String deliveryId, Field root) throws MalformedPayloadException, UnprocessableDeliveryException {
        Field repository = root.object("repository");
        return new RepoEvent.Push(
                deliveryId,
                repository.repository("full_name"),
                installationOf(root),
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

        long positiveLong(String name) throws MalformedPayloadException {
            JsonNode value = node.get(name);
            if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1) {
                throw new MalformedPayloadException("field '" + pathOf(name) + "' must be a positive integer");
            }
            return value.asLong();
        }

        /** A GitHub login: 1-39 characters (bots add {@code [bot]}). */
        String login(String name) throws MalformedPayloadException, UnprocessableDeliveryException {
            String value = text(name);
            if (value.length() > MAX_LOGIN_LENGTH) {
                throw new UnprocessableDeliveryException("field '" + pathOf(name) + "' is " + value.length()
                        + " characters; GitHub logins have at most " + MAX_LOGIN_LENGTH);
            }
            return value;
        }

        /** The {@code full_name}s of an array of repositories (absent or null: none). */
        List<String> repositories(String name) throws MalformedPayloadException, UnprocessableDeliveryException {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return List.of();
            }
            if (!value.isArray()) {
                throw new MalformedPayloadException("field '" + pathOf(name) + "' must be an array");
            }
            if (value.size() > MAX_REPOSITORIES) {
                throw new UnprocessableDeliveryException("field '" + pathOf(name) + "' lists " + value.size()
                        + " repositories; at most " + MAX_REPOSITORIES + " fit one event (the deliveries of each"
                        + " repository carry the installation too)");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                if (!value.get(i).isObject()) {
                    throw new MalformedPayloadException("field '" + pathOf(name) + "[" + i + "]' must be an object");
                }
                names.add(new Field(value.get(i), pathOf(name) + "[" + i + "]").repository("full_name"));
            }
            return names;
        }

        int positiveInt(String name) throws MalformedPayloadException {
            long value = positiveLong(name);
            if (value > Integer.MAX_VALUE) {
                throw new MalformedPayloadException("field '" + pathOf(name) + "' must be a positive integer");
            }
            return (int) value;
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
