package dev.platform.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.github.*;
import dev.platform.core.json.Json;
import dev.platform.core.repoevent.*;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/** GitHub's real example payloads (events/github) with only number, head.sha and updated_at changed, signed as GitHub signs. */
final class Payloads {
    static final byte[] SECRET = Services.WEBHOOK_SECRET.getBytes();

    /** The exact bytes of events/github/pull_request.opened.json. */
    static byte[] opened() throws Exception {
        return Files.readAllBytes(Bench.path("events/github/pull_request.opened.json"));
    }

    /** A delivery of {@code action} (opened, synchronize or closed) for pull request {@code number}. */
    static byte[] pullRequest(PullRequestAction action, int number, String headSha, Instant updatedAt) throws Exception {
        ObjectNode payload = (ObjectNode) Json.MAPPER.readTree(Bench.path("events/github/pull_request." + action.wireName() + ".json").toFile());
        payload.put("number", number);
        ObjectNode pr = ((ObjectNode) payload.get("pull_request")).put("number", number).put("updated_at", updatedAt.toString());
        ((ObjectNode) pr.get("head")).put("sha", headSha);
        return Json.MAPPER.writeValueAsBytes(payload);
    }

    /** The normalized event the webhook queues for these bytes. */
    static RepoEvent.PullRequest parse(String deliveryId, byte[] body) throws Exception {
        return (RepoEvent.PullRequest) ((GitHubPayloads.Parsed.Handled) GitHubPayloads.parse("pull_request", deliveryId, body)).event();
    }

    static String signature(byte[] body) {
        return WebhookSignature.sign(SECRET, body);
    }

    /** A stable 40-hex-digit commit id for a seed (its SHA-1, as a git object id looks). */
    static String sha(String seed) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(seed.getBytes()));
    }
}
