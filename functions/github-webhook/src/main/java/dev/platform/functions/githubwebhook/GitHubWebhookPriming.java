package dev.platform.functions.githubwebhook;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.aws.priming.Priming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.github.WebhookSignature;
import dev.platform.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The webhook's synthetic requests for SnapStart priming ({@link PrimingHook}): a signed
 * {@code pull_request} delivery, a {@code ping} and an unsigned request. They load and run signature
 * verification, payload parsing, the queue message's encoding, the SQS client's marshalling, signing,
 * HTTP exchange and response checks, and the proxy response mapping, on a copy of the handler whose
 * clients talk to a loopback endpoint (see {@link Priming}).
 */
final class GitHubWebhookPriming {
    private static final String DELIVERY_ID = "snapstart-priming";

    private GitHubWebhookPriming() {
    }

    static void exercise(GitHubWebhookHandler copy) {
        expect(202, copy.handleRequest(signed("pull_request", pullRequestOpened()), null));
        expect(200, copy.handleRequest(signed("ping", Json.object().put("zen", "Keep it logically awesome.")), null));
        APIGatewayProxyRequestEvent unsigned = signed("ping", Json.object());
        unsigned.getHeaders().remove("X-Hub-Signature-256");
        expect(401, copy.handleRequest(unsigned, null));
    }

    private static void expect(int status, APIGatewayProxyResponseEvent response) {
        if (response.getStatusCode() != status) {
            throw new IllegalStateException("priming request answered " + response.getStatusCode()
                    + " instead of " + status + ": " + response.getBody());
        }
    }

    private static APIGatewayProxyRequestEvent signed(String event, ObjectNode payload) {
        byte[] body = Json.write(payload).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.HashMap<>(Map.of(
                "Content-Type", "application/json",
                "X-GitHub-Event", event,
                "X-GitHub-Delivery", DELIVERY_ID,
                "X-Hub-Signature-256",
                WebhookSignature.sign(Priming.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), body)));
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST")
                .withPath("/webhooks/github")
                .withHeaders(headers)
                .withIsBase64Encoded(false)
                .withBody(new String(body, StandardCharsets.UTF_8));
    }

    private static ObjectNode pullRequestOpened() {
        ObjectNode payload = Json.object();
        payload.put("action", "opened");
        payload.put("number", 1);
        ObjectNode pr = payload.putObject("pull_request");
        pr.put("updated_at", "2024-01-01T00:00:00Z");
        pr.put("draft", false);
        ObjectNode head = pr.putObject("head");
        head.put("sha", "0123456789abcdef0123456789abcdef01234567");
        head.put("ref", "snapstart-priming");
        head.putObject("repo").put("full_name", "snapstart/priming");
        pr.putObject("base").put("ref", Priming.PRODUCTION_BRANCH);
        payload.putObject("repository").put("full_name", "snapstart/priming");
        return payload;
    }
}
