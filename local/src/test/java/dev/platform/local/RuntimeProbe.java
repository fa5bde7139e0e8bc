package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What a test of the running local runtime reads back: events.jsonl, {@code /_local/state} and other local routes, with waits. */
final class RuntimeProbe {
    static final Duration WAIT = Duration.ofSeconds(60);

    private final LocalPlatform platform;
    private final Path eventsFile;
    private final HttpClient http = HttpClient.newHttpClient();

    RuntimeProbe(LocalPlatform platform, Path dataDir) {
        this.platform = platform;
        this.eventsFile = dataDir.resolve("events.jsonl");
    }

    /** The details of the recorded events of this type, in order. */
    List<JsonNode> events(String detailType) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (String line : Deliveries.recordedLines(eventsFile)) {
            JsonNode event = Json.MAPPER.readTree(line);
            if (event.path("detail-type").asText().equals(detailType)) {
                found.add(event.path("detail"));
            }
        }
        return found;
    }

    JsonNode awaitEvent(String detailType, Predicate<JsonNode> match) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode detail : events(detailType)) {
                if (match.test(detail)) {
                    return detail;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + detailType + " within " + WAIT + "; events.jsonl: " + Files.readAllLines(eventsFile));
    }

    void awaitStatus(int pr, String status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (status.equals(preview(pr).path("status").asText())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("preview " + pr + " not " + status + ": " + preview(pr));
    }

    /** The preview as {@code /_local/state} shows it (an empty object while there is none). */
    JsonNode preview(int pr) throws Exception {
        for (JsonNode preview : get("/_local/state").path("previews")) {
            if (preview.path("pr").asInt() == pr) {
                return preview;
            }
        }
        return Json.object();
    }

    /** A local route's JSON, which must answer 200. */
    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(platform.url().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return Json.MAPPER.readTree(response.body());
    }
}
