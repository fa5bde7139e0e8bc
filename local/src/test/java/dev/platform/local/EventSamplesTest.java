package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.github.WebhookSignature;
import dev.platform.core.json.Json;
import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventCodec;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The samples in events/ stay true to GitHub's payloads, the local secret and the message format. */
class EventSamplesTest {
    private static final Path EVENTS = Deliveries.ROOT.resolve("events");

    @Test
    void everyTopologyFunctionHasALambdaEventSample() {
        for (FunctionSpec function : Topology.functions()) {
            assertTrue(Files.exists(EVENTS.resolve("lambda/" + function.name() + ".json")), function.name());
        }
    }

    @Test
    void theWebhookSampleCarriesTheRealOpenedPayloadSignedWithTheLocalSecret() throws Exception {
        JsonNode sample = Json.MAPPER.readTree(EVENTS.resolve("lambda/github-webhook.json").toFile());
        byte[] body = sample.path("body").asText().getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(Files.readAllBytes(EVENTS.resolve("github/pull_request.opened.json")), body);
        assertTrue(WebhookSignature.verify(LocalSettings.DEFAULT_WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), body,
                sample.path("headers").path("X-Hub-Signature-256").asText()));
        assertEquals("/webhooks/github", sample.path("resource").asText());
    }

    @Test
    void theOrchestratorSampleHoldsValidRepoEventsInTheirGroups() throws Exception {
        JsonNode records = Json.MAPPER.readTree(EVENTS.resolve("lambda/preview-orchestrator.json").toFile()).path("Records");
        assertEquals(2, records.size());
        for (JsonNode record : records) {
            RepoEvent event = RepoEventCodec.read(record.path("body").asText());
            assertEquals(dev.platform.aws.sqs.SqsRepoEventQueue.messageGroupId(event), record.path("attributes").path("MessageGroupId").asText());
            assertEquals(event.deliveryId(), record.path("attributes").path("MessageDeduplicationId").asText());
        }
    }

    @Test
    void theGitHubPayloadsAreUnmodifiedCopiesOfTheSharedOnes() throws Exception {
        Path shared = Deliveries.ROOT.resolve("../shared/github-payloads");
        Assumptions.assumeTrue(Files.isDirectory(shared), "../shared/github-payloads is not beside this checkout");
        try (Stream<Path> files = Files.list(shared)) {
            for (Path original : files.filter(p -> p.toString().endsWith(".payload.json")).toList()) {
                String name = original.getFileName().toString().replace(".payload.json", ".json");
                assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(EVENTS.resolve("github").resolve(name)), name);
            }
        }
    }
}
