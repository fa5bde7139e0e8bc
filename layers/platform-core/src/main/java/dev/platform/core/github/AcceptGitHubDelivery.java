package dev.platform.core.github;

import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventQueue;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Webhook intake: authenticate a GitHub delivery, normalize it, queue it. No database work here so
 * GitHub gets its answer fast; ordering and idempotency are the orchestrator's job.
 */
public final class AcceptGitHubDelivery {

    /**
     * Bodies above this are refused with 413. GitHub caps deliveries at 25 MB, but a Lambda request
     * is limited to 6 MB including its envelope; real pull_request deliveries are ~30 KB.
     */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

    private static final java.util.regex.Pattern DELIVERY_ID = java.util.regex.Pattern.compile("[!-~]{1,128}");

    /** What the caller is told. */
    public sealed interface Outcome {
        int status();

        record Accepted(String deliveryId, String event, String orderingKey) implements Outcome {
            public int status() {
                return 202;
            }
        }

        record Ignored(String deliveryId, String event, String reason) implements Outcome {
            public int status() {
                return 202;
            }
        }

        record Pong(String deliveryId) implements Outcome {
            public int status() {
                return 200;
            }
        }

        record Rejected(int status, String code, String message) implements Outcome {
        }
    }

    private final WebhookSecretSource secrets;
    private final RepoEventQueue queue;
    private final int maxBodyBytes;

    public AcceptGitHubDelivery(WebhookSecretSource secrets, RepoEventQueue queue, int maxBodyBytes) {
        this.secrets = secrets;
        this.queue = queue;
        this.maxBodyBytes = maxBodyBytes;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Header names are matched case-insensitively, as HTTP requires. */
    public static Map<String, String> headers(Map<String, String> raw) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (raw != null) {
            raw.forEach((name, value) -> {
                if (name != null && value != null) {
                    headers.put(name, value);
                }
            });
        }
        return headers;
    }

    /**
     * @param headers request headers, looked up case-insensitively (see {@link #headers(Map)})
     * @param body the exact bytes GitHub signed
     */
    public Outcome accept(Map<String, String> headers, byte[] body) {
        if (body.length > maxBodyBytes) {
            return new Outcome.Rejected(413, "payload_too_large",
                    "body is " + body.length + " bytes; the limit is " + maxBodyBytes);
        }
        String signature = headers.get("X-Hub-Signature-256");
        if (signature == null || signature.isBlank()) {
            return new Outcome.Rejected(401, "missing_signature", "X-Hub-Signature-256 header is required");
        }
        if (body.length == 0) {
            return new Outcome.Rejected(401, "empty_body", "an empty body cannot be a signed GitHub delivery");
        }
        if (!WebhookSignature.verify(secrets.secret(), body, signature.trim())) {
            return new Outcome.Rejected(401, "invalid_signature",
                    "X-Hub-Signature-256 does not match the body under the configured secret");
        }
        String event = headers.get("X-GitHub-Event");
        if (event == null || event.isBlank()) {
            return new Outcome.Rejected(400, "missing_header", "X-GitHub-Event header is required");
        }
        String deliveryId = headers.get("X-GitHub-Delivery");
        if (deliveryId == null || deliveryId.isBlank()) {
            return new Outcome.Rejected(400, "missing_header", "X-GitHub-Delivery header is required");
        }
        deliveryId = deliveryId.trim();
        if (!DELIVERY_ID.matcher(deliveryId).matches()) {
            return new Outcome.Rejected(400, "invalid_header",
                    "X-GitHub-Delivery must be 1-128 printable ASCII characters without spaces");
        }
        event = event.trim();
        GitHubPayloads.Parsed parsed;
        try {
            parsed = GitHubPayloads.parse(event, deliveryId, json(headers.get("Content-Type"), body));
        } catch (MalformedPayloadException e) {
            return new Outcome.Rejected(400, "malformed_payload", e.getMessage());
        } catch (UnprocessableDeliveryException e) {
            return new Outcome.Rejected(422, "unprocessable_delivery", e.getMessage());
        }
        return switch (parsed) {
            case GitHubPayloads.Parsed.Ping ignored -> new Outcome.Pong(deliveryId);
            case GitHubPayloads.Parsed.Ignored ignored -> new Outcome.Ignored(deliveryId, event, ignored.reason());
            case GitHubPayloads.Parsed.Handled handled -> {
                // Every field is capped at parse, so the event fits a queue message (see GitHubPayloads).
                RepoEvent repoEvent = handled.event();
                queue.send(repoEvent);
                yield new Outcome.Accepted(deliveryId, event, repoEvent.orderingKey());
            }
        };
    }

    /**
     * The JSON document of a delivery. GitHub sends it as the body ({@code application/json}) or, when
     * a hook is set to {@code application/x-www-form-urlencoded}, as the form field {@code payload};
     * either way the signature covers the raw body, which was verified before this.
     */
    static byte[] json(String contentType, byte[] body) throws MalformedPayloadException {
        if (contentType == null || !contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return body;
        }
        String form = new String(body, StandardCharsets.US_ASCII);
        for (String pair : form.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (decode(name).equals("payload")) {
                return decode(equals < 0 ? "" : pair.substring(equals + 1)).getBytes(StandardCharsets.UTF_8);
            }
        }
        throw new MalformedPayloadException("form-encoded body has no 'payload' field");
    }

    private static String decode(String value) throws MalformedPayloadException {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedPayloadException("form-encoded body is not valid URL encoding");
        }
    }
}
