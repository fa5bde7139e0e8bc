package dev.platform.functions.webhookredeliverer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.platform.core.github.RedeliverFailedDeliveries;
import dev.platform.core.github.app.HookDeliveries;
import dev.platform.core.github.app.HookDelivery;
import dev.platform.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The redeliverer's handler: the scheduled sample event runs one pass and says what it redelivered. */
class WebhookRedelivererHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));

    @Test
    void theScheduledSampleRunsOnePassOverTheAppsDeliveries() throws Exception {
        List<Long> redelivered = new ArrayList<>();
        HookDeliveries hooks = new HookDeliveries() {
            @Override
            public List<HookDelivery> since(Instant since) {
                return List.of(new HookDelivery(41, "failed-guid", Instant.now().minusSeconds(600), false, 502, "push"),
                        new HookDelivery(42, "fine-guid", Instant.now().minusSeconds(300), false, 202, "pull_request"));
            }

            @Override
            public void redeliver(long deliveryId) {
                redelivered.add(deliveryId);
            }
        };
        WebhookRedelivererHandler handler = new WebhookRedelivererHandler(
                new RedeliverFailedDeliveries(hooks, java.time.Clock.systemUTC()));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(ROOT.resolve("events/lambda/webhook-redeliverer.json"))),
                output, null);
        assertEquals(List.of(41L), redelivered);
        var result = Json.MAPPER.readTree(output.toByteArray());
        assertEquals(2, result.path("listed").asInt());
        assertEquals("failed-guid", result.path("redelivered").path(0).asText());
    }
}
