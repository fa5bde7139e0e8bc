package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/** The local runtime in this JVM, driven over HTTP and SQS as a user and Lambda would. */
class LocalPlatformTest {
    private static final String SECRET = "test-secret";
    private static final String OPENED_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

    @TempDir
    static Path dataDir;
    private static LocalPlatform platform;
    private static Deliveries deliveries;
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        LocalSettings settings = new LocalSettings(0, SECRET, dataDir, true, "Codertocat/Hello-World", "main", 1, "127.0.0.1", 4);
        platform = LocalPlatform.start(settings, new PrintStream(console, true, StandardCharsets.UTF_8));
        deliveries = new Deliveries(platform.url(), SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    void aSignedOpenedDeliveryBecomesABuildRequestedLine() throws Exception {
        String deliveryId = UUID.randomUUID().toString();
        HttpResponse<String> response = deliveries.send("pull_request", deliveryId, Deliveries.payload("pull_request.opened.json"));
        assertEquals(202, response.statusCode(), response.body());
        String expected = Deliveries.buildRequested("hello-world", "preview", 2, OPENED_SHA, deliveryId);
        List<String> lines = Deliveries.awaitEvents(dataDir.resolve("events.jsonl"), 1, Duration.ofSeconds(30));
        assertTrue(lines.contains(expected), lines.toString());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains(expected), "events are printed on stdout too");
    }

    @Test
    void aPoisonMessageReachesTheDlqAfterMaxReceivesWhileOtherGroupsFlow() throws Exception {
        String queueUrl = platform.queueUrl(Topology.REPO_EVENTS.name());
        platform.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody("{\"kind\":\"mystery\"}")
                .messageGroupId("poison-group").messageDeduplicationId("poison-1"));
        byte[] push = Deliveries.variant("push.with-new-branch.json", p -> p.put("ref", "refs/heads/main"));
        String pushDelivery = UUID.randomUUID().toString();
        assertEquals(202, deliveries.send("push", pushDelivery, push).statusCode());

        String dlqUrl = platform.queueUrl(Topology.REPO_EVENTS.deadLetterQueueName());
        Message dead = awaitDeadLetter(dlqUrl, Duration.ofSeconds(60));
        assertEquals("{\"kind\":\"mystery\"}", dead.body());
        String production = Deliveries.buildRequested("hello-world", "production", null,
                "6113728f27ae82c7b1a177c8d03f9e96e0adf246", pushDelivery);
        assertTrue(Files.readAllLines(dataDir.resolve("events.jsonl")).contains(production));
    }

    private static Message awaitDeadLetter(String dlqUrl, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> messages = platform.sqs().receiveMessage(r -> r.queueUrl(dlqUrl).waitTimeSeconds(1)).messages();
            if (!messages.isEmpty()) {
                return messages.get(0);
            }
        }
        throw new AssertionError("the poison message did not reach the DLQ within " + timeout);
    }

    @Test
    void unknownRoutesWrongMethodsAndOversizedBodiesAreRefusedLikeApiGatewayInTheErrorFormat() throws Exception {
        HttpResponse<String> notFound = deliveries.post("/nowhere", new byte[0]);
        assertEquals(404, notFound.statusCode());
        assertEquals("not_found", errorCode(notFound.body()));
        var wrongMethod = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(platform.url().resolve("/webhooks/github")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("method_not_allowed", errorCode(wrongMethod.body()));
        HttpResponse<String> tooLarge = deliveries.post("/webhooks/github", new byte[LocalHttpServer.MAX_REQUEST_BYTES + 1]);
        assertEquals(413, tooLarge.statusCode());
        assertEquals("payload_too_large", errorCode(tooLarge.body()));
    }

    /** A declared Content-Length over the limit is answered 413 at once: the body is never awaited or read. */
    @Test
    void anOversizedContentLengthIsRefusedBeforeTheBodyIsRead() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(platform.url().getHost(), platform.url().getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /webhooks/github HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (LocalHttpServer.MAX_REQUEST_BYTES + 1) + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // read what the server sent, without waiting for the connection to close
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (!received.toString().endsWith("}}")) {
                int n = socket.getInputStream().read(buffer);
                if (n < 0) {
                    break;
                }
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            String response = received.toString();
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("\"code\":\"payload_too_large\""), response);
        }
    }

    private static String errorCode(String body) throws java.io.IOException {
        return dev.platform.core.json.Json.MAPPER.readTree(body).path("error").path("code").asText();
    }
}
