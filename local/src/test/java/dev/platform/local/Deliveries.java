package dev.platform.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.github.WebhookSignature;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Signs and sends GitHub deliveries (real payloads or variants of them) to a running local runtime. */
public final class Deliveries {
    static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../"));
    static final Path PAYLOADS = ROOT.resolve("events/github");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI webhook;
    private final byte[] secret;

    public Deliveries(URI baseUrl, String secret) {
        this.webhook = baseUrl.resolve("/webhooks/github");
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] payload(String file) throws IOException {
        return Files.readAllBytes(PAYLOADS.resolve(file));
    }

    /** A real payload with some fields changed, serialized again. */
    static byte[] variant(String file, Consumer<ObjectNode> change) throws IOException {
        ObjectNode payload = (ObjectNode) Json.MAPPER.readTree(payload(file));
        change.accept(payload);
        return Json.MAPPER.writeValueAsBytes(payload);
    }

    /** A pull request payload for another pull request number. */
    static byte[] withNumber(byte[] payload, int number) throws IOException {
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(payload);
        json.put("number", number);
        ((ObjectNode) json.get("pull_request")).put("number", number);
        return Json.MAPPER.writeValueAsBytes(json);
    }

    static byte[] pullRequest(String action, String sha, Instant updatedAt) throws IOException {
        return variant("pull_request.synchronize.json", payload -> {
            payload.put("action", action);
            ObjectNode pr = (ObjectNode) payload.get("pull_request");
            pr.put("updated_at", updatedAt.toString());
            pr.put("state", "closed".equals(action) ? "closed" : "open");
            ((ObjectNode) pr.get("head")).put("sha", sha);
        });
    }

    public HttpResponse<String> send(String event, String deliveryId, byte[] body) throws IOException, InterruptedException {
        return send(event, deliveryId, body, WebhookSignature.sign(secret, body));
    }

    HttpResponse<String> send(String event, String deliveryId, byte[] body, String signature)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(webhook)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", deliveryId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(webhook.resolve(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The events of events.jsonl the orchestrator published (build requests and teardowns), in order:
     * what a delivery causes; builds add their own outcomes to the file.
     */
    static List<String> orchestratorEvents(Path eventsFile) throws IOException {
        return recordedLines(eventsFile).stream()
                .filter(l -> l.contains("\"detail-type\":\"BuildRequested\"") || l.contains("\"detail-type\":\"PreviewTeardownRequested\""))
                .toList();
    }

    /** Reads events.jsonl until it has at least {@code count} orchestrator events or the timeout passes. */
    static List<String> awaitEvents(Path eventsFile, int count, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = orchestratorEvents(eventsFile);
            if (lines.size() >= count) {
                return lines;
            }
            Thread.sleep(50);
        }
        return lines;
    }

    /**
     * The whole lines of events.jsonl while the runtime may be appending to it: a line being written
     * (no newline yet) is left for the next read.
     */
    static List<String> recordedLines(Path eventsFile) throws IOException {
        if (!Files.exists(eventsFile)) {
            return List.of();
        }
        String text = Files.readString(eventsFile);
        return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
    }

    /**
     * Waits until events.jsonl holds a BuildRequested for every one of these pull requests, or the
     * timeout passes; returns the pull requests seen. Events are published at least once, so a number
     * of lines says nothing: this waits for the pull requests themselves.
     */
    static java.util.Set<Integer> awaitBuilds(Path eventsFile, java.util.Set<Integer> prs, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.Set<Integer> built = java.util.Set.of();
        while (!built.containsAll(prs) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            built = recordedLines(eventsFile).stream()
                    .filter(l -> l.contains("\"BuildRequested\""))
                    .map(l -> Integer.parseInt(l.replaceAll(".*\"pr\":(\\d+).*", "$1")))
                    .collect(java.util.stream.Collectors.toSet());
        }
        return built;
    }

    /** The event line a delivery's build request is recorded as (default build settings). */
    static String buildRequested(String projectId, String target, Integer pr, String sha, String deliveryId) {
        var event = pr == null
                ? PlatformEvent.BuildRequested.production(ProjectId.of(projectId), CommitSha.of(sha),
                        BuildSettings.DEFAULTS, deliveryId)
                : PlatformEvent.BuildRequested.preview(ProjectId.of(projectId), PrNumber.of(pr), CommitSha.of(sha),
                        BuildSettings.DEFAULTS, deliveryId);
        String prJson = pr == null ? "null" : pr.toString();
        return "{\"source\":\"platform\",\"detail-type\":\"BuildRequested\",\"detail\":{\"projectId\":\"" + projectId
                + "\",\"target\":\"" + target + "\",\"pr\":" + prJson + ",\"commitSha\":\"" + sha + "\",\"buildId\":\""
                + event.buildId() + "\",\"requestId\":\"" + event.requestId() + "\"}}";
    }

    static String teardownRequested(String projectId, int pr) {
        return "{\"source\":\"platform\",\"detail-type\":\"PreviewTeardownRequested\",\"detail\":{\"projectId\":\""
                + projectId + "\",\"pr\":" + pr + "}}";
    }
}
