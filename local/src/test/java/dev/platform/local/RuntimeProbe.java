package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** A response read whole from a raw socket, since Java's HTTP client does not let a caller set Host. */
    record Page(int status, Map<String, String> headers, String body) {
    }

    /** {@code GET path} at {@code host} (and the runtime's port), as a browser asks. */
    Page page(String host, String path) throws IOException {
        return page(host, path, "text/html");
    }

    Page page(String host, String path, String accept) throws IOException {
        try (Socket socket = new Socket(platform.url().getHost(), platform.url().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + platform.url().getPort() + "\r\nAccept: " + accept
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String whole = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = whole.indexOf("\r\n\r\n");
            String[] head = whole.substring(0, split).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            return new Page(Integer.parseInt(head[0].split(" ")[1]), headers, whole.substring(split + 4));
        }
    }

    /** {@code POST /_local/schedules/<function>}: the function's output. */
    JsonNode runSchedule(String function) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(platform.url().resolve("/_local/schedules/" + function))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), function + ": " + response.body());
        return Json.MAPPER.readTree(response.body()).path("output");
    }
}
