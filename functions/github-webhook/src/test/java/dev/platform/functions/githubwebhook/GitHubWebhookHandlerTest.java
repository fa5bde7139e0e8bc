package dev.platform.functions.githubwebhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.github.WebhookSignature;
import dev.platform.core.json.Json;
import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventCodec;
import dev.platform.topology.Topology;
import dev.platform.embedded.EmbeddedPlatform;
import dev.platform.embedded.EmbeddedSqs;
import dev.platform.embedded.LocalClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The real handler against ElasticMQ: HTTP in, FIFO messages out. */
class GitHubWebhookHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));
    /** The local runtime's default: the one the events/lambda sample is signed with. */
    private static final String SECRET = "local-webhook-secret";

    private static EmbeddedSqs embeddedSqs;
    private static SqsClient sqs;
    private String queueUrl;
    private GitHubWebhookHandler handler;

    @BeforeAll
    static void startSqs() {
        embeddedSqs = EmbeddedSqs.start();
        sqs = LocalClients.sqs(embeddedSqs.endpoint());
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        embeddedSqs.close();
    }

    @BeforeEach
    void freshQueue() {
        queueUrl = EmbeddedPlatform.createQueue(sqs, Topology.REPO_EVENTS, UUID.randomUUID().toString(), 30).url();
        handler = handler(queueUrl);
    }

    private static GitHubWebhookHandler handler(String queueUrl) {
        Map<String, String> settings = new HashMap<>(LocalClients.settings(URI.create("http://127.0.0.1:9"), embeddedSqs.endpoint()));
        settings.put(Topology.REPO_EVENTS.urlVariable(), queueUrl);
        settings.put(PlatformConfig.GITHUB_WEBHOOK_SECRET, SECRET);
        return new GitHubWebhookHandler(new PlatformConfig(settings));
    }

    @Test
    void theSampleApiGatewayEventIsAcceptedAndQueuedInItsPullRequestGroup() throws IOException {
        APIGatewayProxyRequestEvent request;
        try (InputStream in = Files.newInputStream(ROOT.resolve("events/lambda/github-webhook.json"))) {
            request = LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class, getClass().getClassLoader())
                    .fromJson(in);
        }
        APIGatewayProxyResponseEvent response = handler.handleRequest(request, null);
        assertEquals(202, response.getStatusCode(), response.getBody());
        assertEquals("accepted", json(response).path("status").asText());

        List<Message> messages = drain();
        assertEquals(1, messages.size());
        Message message = messages.get(0);
        assertEquals("codertocat/hello-world#pr-2", message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
        assertEquals("72d3162e-cc78-11e3-81ab-4c9367dc0958",
                message.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID));
        RepoEvent.PullRequest event = (RepoEvent.PullRequest) RepoEventCodec.read(message.body());
        assertEquals(2, event.number().value());
    }

    @Test
    void aBase64EncodedBodyIsVerifiedOnItsDecodedBytes() throws IOException {
        byte[] body = Files.readAllBytes(ROOT.resolve("events/github/pull_request.opened.json"));
        APIGatewayProxyRequestEvent request = request("pull_request", body, WebhookSignature.sign(secret(), body))
                .withBody(Base64.getEncoder().encodeToString(body)).withIsBase64Encoded(true);
        assertEquals(202, handler.handleRequest(request, null).getStatusCode());

        // A signature over the base64 text instead of the bytes is wrong.
        String overText = WebhookSignature.sign(secret(), Base64.getEncoder().encode(body));
        APIGatewayProxyRequestEvent wrong = request("pull_request", body, overText)
                .withBody(Base64.getEncoder().encodeToString(body)).withIsBase64Encoded(true);
        assertEquals(401, handler.handleRequest(wrong, null).getStatusCode());
        assertEquals(1, drain().size());
    }

    @Test
    void invalidBase64Is400() {
        APIGatewayProxyRequestEvent request = request("push", "{}".getBytes(StandardCharsets.UTF_8), "sha256=00")
                .withBody("%%% not base64").withIsBase64Encoded(true);
        APIGatewayProxyResponseEvent response = handler.handleRequest(request, null);
        assertEquals(400, response.getStatusCode());
        assertEquals("malformed_body", json(response).path("error").path("code").asText());
    }

    @Test
    void everyRealPayloadGetsItsStatusAndOnlyHandledOnesAreQueued() throws IOException {
        Map<String, Integer> expected = Map.ofEntries(
                Map.entry("installation.created.json", 202), Map.entry("issue_comment.created.json", 202),
                Map.entry("issue_comment.preview-sleep.json", 202), Map.entry("ping.json", 200),
                Map.entry("pull_request.closed.json", 202), Map.entry("pull_request.labeled.json", 202),
                Map.entry("pull_request.opened.json", 202), Map.entry("pull_request.reopened.json", 202),
                Map.entry("pull_request.synchronize.json", 202), Map.entry("push.json", 202),
                Map.entry("push.with-new-branch.json", 202));
        for (Map.Entry<String, Integer> entry : expected.entrySet()) {
            byte[] body = Files.readAllBytes(ROOT.resolve("events/github").resolve(entry.getKey()));
            String event = entry.getKey().substring(0, entry.getKey().indexOf('.'));
            APIGatewayProxyResponseEvent response = handler.handleRequest(
                    request(event, body, WebhookSignature.sign(secret(), body)), null);
            assertEquals(entry.getValue(), response.getStatusCode(), entry.getKey());
            assertEquals("application/json", response.getHeaders().get("Content-Type"));
        }
        // pull_request opened/reopened/synchronize/closed, both pushes, the installation and the /preview sleep comment;
        // ping, the "bug" label and a comment on an issue are not queued
        assertEquals(8, drain().size());
    }

    @Test
    void theSameDeliveryTwiceIsQueuedOnce() throws IOException {
        byte[] body = Files.readAllBytes(ROOT.resolve("events/github/push.with-new-branch.json"));
        APIGatewayProxyRequestEvent request = request("push", body, WebhookSignature.sign(secret(), body));
        assertEquals(202, handler.handleRequest(request, null).getStatusCode());
        assertEquals(202, handler.handleRequest(request, null).getStatusCode());
        assertEquals(1, drain().size());
    }

    @Test
    void errorsAreJsonAndNeverEchoTheSecretOrAStackTrace() {
        byte[] body = "{\"zen\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        APIGatewayProxyResponseEvent response = handler.handleRequest(request("ping", body, "sha256=" + "ab".repeat(32)), null);
        assertEquals(401, response.getStatusCode());
        JsonNode error = json(response).path("error");
        assertEquals("invalid_signature", error.path("code").asText());
        assertFalse(response.getBody().contains(SECRET));
        assertFalse(response.getBody().contains("Exception"));

        APIGatewayProxyResponseEvent unsigned = handler.handleRequest(request("ping", body, null), null);
        assertEquals(401, unsigned.getStatusCode());
        assertEquals("missing_signature", json(unsigned).path("error").path("code").asText());
    }

    @Test
    void aQueueOutageIs503SoGitHubCanRedeliver() throws IOException {
        GitHubWebhookHandler broken = handler(queueUrl.replace("repo-events-", "missing-"));
        byte[] body = Files.readAllBytes(ROOT.resolve("events/github/pull_request.opened.json"));
        APIGatewayProxyResponseEvent response = broken.handleRequest(
                request("pull_request", body, WebhookSignature.sign(secret(), body)), null);
        assertEquals(503, response.getStatusCode());
        assertEquals("unavailable", json(response).path("error").path("code").asText());
        assertFalse(response.getBody().contains("Exception"));
    }

    /**
     * SQS accepts the connection and never answers. The SDK gives up within half the function's
     * timeout, so the webhook answers its own JSON 503 before Lambda's 10 s end it (API Gateway would
     * report a bare 504, and GitHub would see no error body).
     */
    @Test
    void aQueueThatNeverAnswersIsA503BeforeTheFunctionTimesOut() throws Exception {
        try (java.net.ServerSocket blackHole = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            URI endpoint = URI.create("http://127.0.0.1:" + blackHole.getLocalPort());
            Map<String, String> settings = new HashMap<>(LocalClients.settings(URI.create("http://127.0.0.1:9"), endpoint));
            settings.put(Topology.REPO_EVENTS.urlVariable(), endpoint + "/000000000000/repo-events.fifo");
            settings.put(PlatformConfig.GITHUB_WEBHOOK_SECRET, SECRET);
            settings.put(PlatformConfig.FUNCTION_TIMEOUT_SECONDS, Integer.toString(Topology.GITHUB_WEBHOOK.timeoutSeconds()));
            GitHubWebhookHandler stuck = new GitHubWebhookHandler(new PlatformConfig(settings));
            byte[] body = Files.readAllBytes(ROOT.resolve("events/github/pull_request.opened.json"));
            long start = System.nanoTime();
            APIGatewayProxyResponseEvent response = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(60), // a guard: without SDK timeouts the call would hang
                    () -> stuck.handleRequest(request("pull_request", body, WebhookSignature.sign(secret(), body)), null));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, response.getStatusCode());
            assertEquals("unavailable", json(response).path("error").path("code").asText());
            assertTrue(elapsedMillis < Topology.GITHUB_WEBHOOK.timeoutSeconds() * 1000L,
                    "answered after " + elapsedMillis + " ms, past the function's timeout");
        }
    }

    @Test
    void anOversizedBodyIs413() {
        byte[] body = new byte[4 * 1024 * 1024 + 1];
        APIGatewayProxyResponseEvent response = handler.handleRequest(
                request("push", body, WebhookSignature.sign(secret(), body)).withBody(Base64.getEncoder().encodeToString(body))
                        .withIsBase64Encoded(true), null);
        assertEquals(413, response.getStatusCode());
        assertTrue(drain().isEmpty());
    }

    @Test
    void aDeclaredContentLengthOverTheLimitIs413BeforeTheBodyIsDecoded() throws IOException {
        byte[] body = Files.readAllBytes(ROOT.resolve("events/github/pull_request.opened.json"));
        APIGatewayProxyRequestEvent request = request("pull_request", body, WebhookSignature.sign(secret(), body));
        request.getHeaders().put("Content-Length", Integer.toString(4 * 1024 * 1024 + 1));
        APIGatewayProxyResponseEvent response = handler.handleRequest(request, null);
        assertEquals(413, response.getStatusCode());
        assertEquals("payload_too_large", json(response).path("error").path("code").asText());
        assertTrue(drain().isEmpty());
    }

    @Test
    void aFormEncodedDeliveryIsAcceptedAndQueued() throws IOException {
        byte[] json = Files.readAllBytes(ROOT.resolve("events/github/pull_request.opened.json"));
        byte[] form = ("payload=" + java.net.URLEncoder.encode(new String(json, StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
        APIGatewayProxyRequestEvent request = request("pull_request", form, WebhookSignature.sign(secret(), form));
        request.getHeaders().put("content-type", "application/x-www-form-urlencoded");
        assertEquals(202, handler.handleRequest(request, null).getStatusCode());
        assertEquals(1, drain().size());
    }

    @Test
    void aFieldBeyondGitHubsLimitsIs422NotA503() throws IOException {
        var payload = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(
                Files.readAllBytes(ROOT.resolve("events/github/pull_request.opened.json")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload.get("pull_request").get("head")).put("ref", "x".repeat(1000));
        byte[] body = Json.MAPPER.writeValueAsBytes(payload);
        APIGatewayProxyResponseEvent response = handler.handleRequest(
                request("pull_request", body, WebhookSignature.sign(secret(), body)), null);
        assertEquals(422, response.getStatusCode());
        assertEquals("unprocessable_delivery", json(response).path("error").path("code").asText());
        assertTrue(drain().isEmpty());
    }

    private static byte[] secret() {
        return SECRET.getBytes(StandardCharsets.UTF_8);
    }

    private static APIGatewayProxyRequestEvent request(String event, byte[] body, String signature) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-github-event", event);
        headers.put("x-github-delivery", UUID.randomUUID().toString());
        if (signature != null) {
            headers.put("x-hub-signature-256", signature);
        }
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST").withPath("/webhooks/github").withResource("/webhooks/github")
                .withHeaders(headers)
                .withBody(new String(body, StandardCharsets.UTF_8)).withIsBase64Encoded(false);
    }

    private List<Message> drain() {
        List<Message> all = new java.util.ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .visibilityTimeout(60).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
        }
    }

    private static JsonNode json(APIGatewayProxyResponseEvent response) {
        try {
            return Json.MAPPER.readTree(response.getBody());
        } catch (IOException e) {
            throw new AssertionError("response body is not JSON: " + response.getBody(), e);
        }
    }
}
