package dev.platform.functions.githubwebhook;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.LoopbackAws;
import dev.platform.aws.priming.Priming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.aws.secrets.WebhookSecrets;
import dev.platform.core.github.WebhookSecretSource;
import dev.platform.core.github.WebhookSignature;
import dev.platform.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart runtime hooks of the webhook.
 *
 * <p>Before the snapshot, a priming copy of the handler (its SDK clients on a {@link LoopbackAws},
 * see {@link Priming}) answers a signed synthetic {@code pull_request} delivery, a {@code ping} and an
 * unsigned request. That loads and runs signature verification, payload parsing, the queue
 * message's encoding, the SQS client's marshalling, signing, HTTP exchange and response checks, and
 * the proxy response mapping. The real handler's queue and secret are never touched.
 *
 * <p>After restore, the real webhook secret's cached value (if any) is dropped, so every restored
 * environment fetches the current secret itself.
 */
final class GitHubWebhookPriming extends PrimingHook {
    private static final String DELIVERY_ID = "snapstart-priming";

    private final WebhookSecretSource secret;
    private final PlatformConfig config;

    private GitHubWebhookPriming(WebhookSecretSource secret, PlatformConfig config) {
        this.secret = secret;
        this.config = config;
    }

    /** Registers the hooks, except for a priming copy (which must not prime itself). */
    static GitHubWebhookPriming register(GitHubWebhookComponent component, PlatformConfig config) {
        return register(new GitHubWebhookPriming(component.webhookSecret(), config), config);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        WebhookSecrets.forgetCached(secret);
    }

    @Override
    protected List<String> prime() {
        try (LoopbackAws aws = LoopbackAws.start(Priming::answer)) {
            GitHubWebhookHandler copy = new GitHubWebhookHandler(Priming.config(config, aws.endpoint()));
            expect(202, copy.handleRequest(signed("pull_request", pullRequestOpened()), null));
            expect(200, copy.handleRequest(signed("ping", Json.object().put("zen", "Keep it logically awesome.")), null));
            APIGatewayProxyRequestEvent unsigned = signed("ping", Json.object());
            unsigned.getHeaders().remove("X-Hub-Signature-256");
            expect(401, copy.handleRequest(unsigned, null));
            return aws.operations();
        }
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
