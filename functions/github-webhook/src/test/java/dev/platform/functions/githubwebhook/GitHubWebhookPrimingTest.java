package dev.platform.functions.githubwebhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.LoopbackAws;
import dev.platform.aws.priming.LoopbackAws.Answer;
import dev.platform.core.github.WebhookSignature;
import dev.platform.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SnapStart hooks, called directly. The handler under test is configured as on AWS (secret from
 * Secrets Manager, a queue URL) with every endpoint on a recorder, so any call the hooks make
 * through the real handler's clients shows up there.
 */
class GitHubWebhookPrimingTest {
    private static final String SECRET_ARN =
            "arn:aws:secretsmanager:us-east-1:000000000000:secret:platform/github-webhook-secret-AbCdEf";

    private final AtomicReference<String> storedSecret = new AtomicReference<>("first-secret");
    private LoopbackAws realServices;
    private GitHubWebhookHandler handler;

    @BeforeEach
    void start() {
        realServices = LoopbackAws.start(call -> switch (call.target()) {
            case "secretsmanager.GetSecretValue" -> Answer.ok("{\"ARN\":\"" + SECRET_ARN
                    + "\",\"Name\":\"platform/github-webhook-secret\",\"SecretString\":\"" + storedSecret.get() + "\"}");
            default -> Answer.error(400, "UnexpectedCall", "the test does not expect " + call.target());
        });
        handler = new GitHubWebhookHandler(new PlatformConfig(Map.of(
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_ENDPOINT_URL", realServices.endpoint().toString(),
                PlatformConfig.GITHUB_WEBHOOK_SECRET_ARN, SECRET_ARN,
                Topology.REPO_EVENTS.urlVariable(), realServices.endpoint() + "/000000000000/repo-events.fifo")));
    }

    @AfterEach
    void stop() {
        realServices.close();
    }

    @Test
    void beforeCheckpointRunsTheIntakePathWithoutCallingTheRealServices() {
        handler.priming.beforeCheckpoint(null);

        assertEquals(List.of("SendMessage"), handler.priming.primedOperations(),
                "the synthetic delivery went through the SQS client of the priming copy");
        assertEquals(List.of(), realServices.calls(),
                "priming must neither send to the real queue nor fetch the real secret");
    }

    @Test
    void afterRestoreMakesTheNextDeliveryFetchTheSecretAgain() {
        assertEquals(200, handler.handleRequest(ping("first-secret"), null).getStatusCode());
        storedSecret.set("rotated-secret");
        assertEquals(401, handler.handleRequest(ping("rotated-secret"), null).getStatusCode(),
                "within its cache time the handler still verifies with the value it fetched");

        handler.priming.afterRestore(null);

        assertEquals(200, handler.handleRequest(ping("rotated-secret"), null).getStatusCode());
        assertEquals(List.of("GetSecretValue", "GetSecretValue"), realServices.operations());
    }

    private static APIGatewayProxyRequestEvent ping(String secret) {
        byte[] body = "{\"zen\":\"Design for failure.\",\"hook_id\":1}".getBytes(StandardCharsets.UTF_8);
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST")
                .withHeaders(Map.of(
                        "X-GitHub-Event", "ping",
                        "X-GitHub-Delivery", "test-delivery",
                        "X-Hub-Signature-256", WebhookSignature.sign(secret.getBytes(StandardCharsets.UTF_8), body)))
                .withBody(new String(body, StandardCharsets.UTF_8));
    }
}
