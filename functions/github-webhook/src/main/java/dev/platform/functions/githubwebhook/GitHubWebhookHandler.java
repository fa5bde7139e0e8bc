package dev.platform.functions.githubwebhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.aws.secrets.WebhookSecrets;
import dev.platform.core.github.AcceptGitHubDelivery.Outcome;
import dev.platform.core.github.AcceptGitHubDelivery;
import dev.platform.core.github.WebhookSecretSource;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /webhooks/github}: API Gateway proxy event in, proxy response out. Translates HTTP to
 * {@link AcceptGitHubDelivery} and its outcome back to HTTP, nothing more.
 */
public final class GitHubWebhookHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    static final String METRICS_NAMESPACE = "Platform/Webhooks";

    private final AcceptGitHubDelivery intake;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<GitHubWebhookHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public GitHubWebhookHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    /**
     * With SnapStart hooks: priming exercises a copy of this handler; after restore the webhook
     * secret's cached value is dropped, so every restored environment fetches the current one.
     */
    public GitHubWebhookHandler(PlatformConfig config) {
        GitHubWebhookComponent component = DaggerGitHubWebhookComponent.factory().create(config);
        this.intake = component.intake();
        WebhookSecretSource secret = component.webhookSecret();
        this.priming = PrimingHook.register(config, GitHubWebhookHandler::withoutHooks, GitHubWebhookPriming::exercise,
                () -> WebhookSecrets.forgetCached(secret));
    }

    private GitHubWebhookHandler(AcceptGitHubDelivery intake) {
        this.intake = intake;
        this.priming = null;
    }

    /** A handler without SnapStart hooks: what priming exercises. */
    static GitHubWebhookHandler withoutHooks(PlatformConfig config) {
        return new GitHubWebhookHandler(DaggerGitHubWebhookComponent.factory().create(config).intake());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        String requestId = context == null ? "" : context.getAwsRequestId();
        Map<String, String> headers = AcceptGitHubDelivery.headers(request.getHeaders());
        Long declared = contentLength(headers.get("Content-Length"));
        if (declared != null && declared > intake.maxBodyBytes()) {
            // refused on the declared size, before the body is decoded
            return error(413, "payload_too_large", "body is " + declared + " bytes; the limit is " + intake.maxBodyBytes());
        }
        byte[] body;
        try {
            body = rawBody(request);
        } catch (IllegalArgumentException badBase64) {
            return error(400, "malformed_body", "body is marked base64-encoded but is not valid base64");
        }
        Outcome outcome;
        try {
            outcome = intake.accept(headers, body);
        } catch (RuntimeException e) {
            JsonLog.error("delivery not queued", Map.of("requestId", requestId,
                    "deliveryId", String.valueOf(headers.get("X-GitHub-Delivery"))), e);
            return error(503, "unavailable", "the delivery could not be queued; GitHub can redeliver it");
        }
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("requestId", requestId);
        log.put("deliveryId", String.valueOf(headers.get("X-GitHub-Delivery")));
        log.put("event", String.valueOf(headers.get("X-GitHub-Event")));
        log.put("status", outcome.status());
        return switch (outcome) {
            case Outcome.Accepted accepted -> {
                log.put("orderingKey", accepted.orderingKey());
                JsonLog.info("delivery queued", log);
                yield json(202, Json.object().put("status", "accepted").put("deliveryId", accepted.deliveryId()));
            }
            case Outcome.Ignored ignored -> {
                log.put("reason", ignored.reason());
                JsonLog.info("delivery ignored", log);
                JsonLog.count(METRICS_NAMESPACE, "IgnoredDeliveries", "event", ignored.event());
                yield json(202, Json.object().put("status", "ignored").put("deliveryId", ignored.deliveryId())
                        .put("reason", ignored.reason()));
            }
            case Outcome.Pong pong -> {
                JsonLog.info("ping", log);
                yield json(200, Json.object().put("status", "pong").put("deliveryId", pong.deliveryId()));
            }
            case Outcome.Rejected rejected -> {
                log.put("code", rejected.code());
                JsonLog.warn("delivery rejected", log);
                yield error(rejected.status(), rejected.code(), rejected.message());
            }
        };
    }

    private static Long contentLength(String value) {
        try {
            return value == null ? null : Long.valueOf(value.trim());
        } catch (NumberFormatException notANumber) {
            return null; // the body's real size is checked after decoding
        }
    }

    /** The exact bytes GitHub signed, decoded once: API Gateway base64-encodes bodies of binary media types. */
    private static byte[] rawBody(APIGatewayProxyRequestEvent request) {
        String body = request.getBody();
        if (body == null) {
            return new byte[0];
        }
        return Boolean.TRUE.equals(request.getIsBase64Encoded())
                ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
    }

    private static APIGatewayProxyResponseEvent error(int status, String code, String message) {
        ObjectNode body = Json.object();
        body.putObject("error").put("code", code).put("message", message);
        return json(status, body);
    }

    private static APIGatewayProxyResponseEvent json(int status, ObjectNode body) {
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(Json.write(body));
    }
}
