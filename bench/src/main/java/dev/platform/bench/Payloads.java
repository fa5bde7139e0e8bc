package dev.platform.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.github.GitHubPayloads;
import dev.platform.core.github.MalformedPayloadException;
import dev.platform.core.github.UnprocessableDeliveryException;
import dev.platform.core.github.WebhookSignature;
import dev.platform.core.json.Json;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Pull request deliveries derived from GitHub's real example payloads in events/github: the same
 * ~28 KB documents with only {@code number}, {@code head.sha}, {@code updated_at} (and the action,
 * by choosing the payload of that action) changed, signed like GitHub signs them.
 */
final class Payloads {
    static final byte[] SECRET = Services.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8);

    private final Map<PullRequestAction, ObjectNode> bases = new EnumMap<>(PullRequestAction.class);
    private final byte[] opened;

    Payloads(Repo repo) {
        try {
            opened = Files.readAllBytes(repo.githubPayload("pull_request.opened.json"));
            bases.put(PullRequestAction.OPENED, (ObjectNode) Json.MAPPER.readTree(opened));
            bases.put(PullRequestAction.SYNCHRONIZE, (ObjectNode) Json.MAPPER.readTree(
                    Files.readAllBytes(repo.githubPayload("pull_request.synchronize.json"))));
            bases.put(PullRequestAction.CLOSED, (ObjectNode) Json.MAPPER.readTree(
                    Files.readAllBytes(repo.githubPayload("pull_request.closed.json"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read events/github payloads", e);
        }
    }

    /** The exact bytes of events/github/pull_request.opened.json. */
    byte[] openedBytes() {
        return opened.clone();
    }

    /** A delivery of {@code action} for pull request {@code number} at head {@code headSha}. */
    byte[] pullRequest(PullRequestAction action, int number, String headSha, Instant updatedAt) {
        ObjectNode base = bases.get(action);
        if (base == null) {
            throw new IllegalArgumentException("no example payload for action " + action);
        }
        ObjectNode payload = base.deepCopy();
        payload.put("number", number);
        ObjectNode pr = (ObjectNode) payload.get("pull_request");
        pr.put("number", number);
        pr.put("updated_at", updatedAt.toString());
        ((ObjectNode) pr.get("head")).put("sha", headSha);
        try {
            return Json.MAPPER.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The normalized event the webhook would queue for these bytes. */
    static RepoEvent.PullRequest parse(String deliveryId, byte[] body) {
        try {
            if (GitHubPayloads.parse("pull_request", deliveryId, body) instanceof GitHubPayloads.Parsed.Handled handled
                    && handled.event() instanceof RepoEvent.PullRequest pr) {
                return pr;
            }
            throw new IllegalStateException("derived payload is not a handled pull_request delivery");
        } catch (MalformedPayloadException | UnprocessableDeliveryException e) {
            throw new IllegalStateException("derived payload is refused: " + e.getMessage(), e);
        }
    }

    static String signature(byte[] body) {
        return WebhookSignature.sign(SECRET, body);
    }

    /** A stable 40-hex-digit commit id for a seed (SHA-1 of the seed, like a git object id looks). */
    static String sha(String seed) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
