package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.github.WebhookSignature;
import dev.platform.core.json.Json;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds in the local runtime, over HTTP as a user drives it: a signed delivery becomes a builder task and
 * a {@code BuildSucceeded}, a failing commit a {@code BuildFailed} with its reason, a newer commit stops
 * the older build, a fork builds only after an approval by someone who may give it, and a delivery the
 * webhook failed is delivered again by the redeliverer. What the stand-ins did is read back from
 * {@code GET /_local/resources} and {@code GET /_local/state}.
 */
class BuildsTest {
    private static final String SECRET = "builds-secret";
    private static final Instant T0 = Instant.parse("2019-05-15T15:20:33Z");
    private static final Duration WAIT = RuntimeProbe.WAIT;
    private static final String FAILING_PREFIX = "dead";

    @TempDir
    Path dataDir;
    private LocalPlatform platform;
    private Deliveries deliveries;
    private RuntimeProbe probe;
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(int buildSeconds) throws Exception {
        platform = LocalPlatform.start(new LocalSettings(0, SECRET, dataDir, true, "Codertocat/Hello-World", "main", 1,
                "127.0.0.1", 4, buildSeconds, List.of(FAILING_PREFIX), List.of("maintainer")),
                new PrintStream(PrintStream.nullOutputStream()));
        deliveries = new Deliveries(platform.url(), SECRET);
        probe = new RuntimeProbe(platform, dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void anOpenedPullRequestIsBuiltOnceAndReportedOnItsCommit() throws Exception {
        start(1);
        String sha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
        assertEquals(202, deliveries.send("pull_request", "d-opened", Deliveries.payload("pull_request.opened.json")).statusCode());
        assertEquals(202, deliveries.send("pull_request", "d-opened", Deliveries.payload("pull_request.opened.json")).statusCode());
        JsonNode succeeded = probe.awaitEvent("BuildSucceeded", d -> d.path("commitSha").asText().equals(sha));
        assertEquals("preview", succeeded.path("target").asText());
        assertEquals(2, succeeded.path("pr").asInt());
        assertTrue(succeeded.path("imageUri").asText().matches(".+/platform-previews@sha256:[0-9a-f]{64}"), succeeded.toString());

        awaitCheckRun("completed");
        JsonNode resources = probe.get("/_local/resources");
        List<JsonNode> tasks = list(resources.path("tasks"));
        assertEquals(1, tasks.size(), "one builder task for the delivery sent twice");
        JsonNode task = tasks.getFirst();
        assertEquals("platform-builder", task.path("family").asText());
        assertEquals("STOPPED", task.path("lastStatus").asText());
        assertEquals(0, task.path("exitCode").asInt());
        assertEquals("2", task.path("tags").path("platform:pr").asText());
        assertEquals("hello-world", task.path("tags").path("platform:project").asText());
        assertEquals(succeeded.path("buildId").asText(), task.path("tags").path("platform:build").asText());
        JsonNode checkRun = list(resources.path("github").path("checkRuns")).getFirst();
        assertEquals("preview build", checkRun.path("name").asText());
        assertEquals(sha, checkRun.path("head_sha").asText());
        assertEquals("completed", checkRun.path("status").asText());
        assertEquals("success", checkRun.path("conclusion").asText());
        assertTrue(checkRun.path("details_url").asText().contains("/_local/logs/"), checkRun.toString());
        assertEquals(1, list(resources.path("sources")).size(), "the snapshot went to the source bucket");

        JsonNode logs = probe.get(URI.create(checkRun.path("details_url").asText()).getPath());
        assertTrue(logs.path("lines").toString().contains("pushed"), logs.toString());
        probe.awaitStatus(2, "active"); // built, then deployed
        assertEquals(1, probe.events("BuildRequested").size());
    }

    @Test
    void aFailingBuildIsReportedWithItsReasonAndTheNextCommitBuilds() throws Exception {
        start(1);
        String failing = FAILING_PREFIX + "a".repeat(36);
        String fixed = "b".repeat(40);
        deliveries.send("pull_request", "d-fail", Deliveries.pullRequest("opened", failing, T0));
        JsonNode failed = probe.awaitEvent("BuildFailed", d -> d.path("commitSha").asText().equals(failing));
        assertEquals("the builder exited with code 1 (Essential container in task exited)", failed.path("reason").asText());
        probe.awaitStatus(2, "failed");
        assertEquals(failed.path("reason").asText(), probe.preview(2).path("statusReason").asText());
        JsonNode checkRun = awaitCheckRun("completed");
        assertEquals("failure", checkRun.path("conclusion").asText());
        assertEquals(failed.path("reason").asText(), checkRun.path("output").path("summary").asText());

        deliveries.send("pull_request", "d-fix", Deliveries.pullRequest("synchronize", fixed, T0.plusSeconds(10)));
        probe.awaitEvent("BuildSucceeded", d -> d.path("commitSha").asText().equals(fixed));
        probe.awaitStatus(2, "active");
    }

    @Test
    void aNewerCommitStopsTheOlderBuildAndOnlyTheNewestSucceeds() throws Exception {
        start(4);
        String older = "c".repeat(40);
        String newer = "d".repeat(40);
        deliveries.send("pull_request", "d-older", Deliveries.pullRequest("opened", older, T0));
        awaitTask(t -> t.path("lastStatus").asText().equals("RUNNING"));
        deliveries.send("pull_request", "d-newer", Deliveries.pullRequest("synchronize", newer, T0.plusSeconds(10)));

        JsonNode superseded = probe.awaitEvent("BuildFailed", d -> d.path("commitSha").asText().equals(older));
        assertEquals("superseded by " + newer.substring(0, 7), superseded.path("reason").asText());
        probe.awaitEvent("BuildSucceeded", d -> d.path("commitSha").asText().equals(newer));
        List<JsonNode> tasks = list(probe.get("/_local/resources").path("tasks"));
        assertEquals(2, tasks.size());
        JsonNode stopped = tasks.getFirst();
        assertEquals("UserInitiated", stopped.path("stopCode").asText(), "the older task was stopped, not finished");
        assertEquals(0, tasks.get(1).path("exitCode").asInt());
        assertTrue(probe.events("BuildSucceeded").stream().noneMatch(e -> e.path("commitSha").asText().equals(older)));
    }

    @Test
    void aForkBuildsOnlyAfterSomeoneWhoMayApproveIt() throws Exception {
        start(1);
        String head = "e".repeat(40);
        deliveries.send("pull_request", "d-fork", fork("opened", head));
        probe.awaitStatus(2, "awaiting_approval");
        assertTrue(probe.preview(2).path("statusReason").asText().contains("/preview approve"));

        deliveries.send("issue_comment", "d-visitor", comment("visitor"));
        deliveries.send("issue_comment", "d-owner", comment("Codertocat"));
        probe.awaitEvent("BuildSucceeded", d -> d.path("commitSha").asText().equals(head));
        assertEquals(1, probe.events("BuildRequested").size(), "only the owner's approval counted");
        assertEquals(head, probe.preview(2).path("approvedSha").asText());

        String next = "f".repeat(40);
        deliveries.send("pull_request", "d-fork-2", fork("synchronize", next));
        probe.awaitStatus(2, "awaiting_approval");
        deliveries.send("issue_comment", "d-maintainer", comment("maintainer"));
        probe.awaitEvent("BuildSucceeded", d -> d.path("commitSha").asText().equals(next));
    }

    @Test
    void aDeliveryTheWebhookFailedIsDeliveredAgainByTheRedeliverer() throws Exception {
        start(1);
        byte[] body = Deliveries.pullRequest("opened", "9".repeat(40), T0);
        // GitHub's delivery log shows an attempt the webhook answered 503 (its queue was down, say)
        platform.gitHub().recorded(Map.of("X-GitHub-Delivery", "d-lost", "X-GitHub-Event", "pull_request",
                "Content-Type", "application/json", "X-Hub-Signature-256", WebhookSignature.sign(SECRET.getBytes(StandardCharsets.UTF_8), body)),
                body, 503);
        HttpResponse<String> run = http.send(HttpRequest.newBuilder(platform.url().resolve("/_local/schedules/webhook-redeliverer"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, run.statusCode(), run.body());
        assertEquals("d-lost", Json.MAPPER.readTree(run.body()).path("output").path("redelivered").path(0).asText());
        probe.awaitEvent("BuildRequested", d -> d.path("commitSha").asText().equals("9".repeat(40)));
        List<JsonNode> attempts = list(probe.get("/_local/resources").path("github").path("deliveries"));
        assertTrue(attempts.stream().anyMatch(a -> a.path("guid").asText().equals("d-lost") && a.path("redelivery").asBoolean()
                && a.path("statusCode").asInt() == 202), attempts.toString());

        HttpResponse<String> again = http.send(HttpRequest.newBuilder(platform.url().resolve("/_local/schedules/webhook-redeliverer"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(Json.MAPPER.readTree(again.body()).path("output").path("redelivered").isEmpty(), "delivered since: not again");
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(platform.url().resolve("/_local/schedules/nope"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
    }

    private byte[] fork(String action, String sha) throws Exception {
        return Deliveries.variant("pull_request.synchronize.json", p -> {
            p.put("action", action);
            ObjectNode pr = (ObjectNode) p.get("pull_request");
            pr.put("updated_at", T0.plusSeconds(action.equals("opened") ? 0 : 30).toString());
            ObjectNode headNode = (ObjectNode) pr.get("head");
            headNode.put("sha", sha);
            ((ObjectNode) headNode.get("repo")).put("full_name", "outsider/Hello-World");
        });
    }

    private byte[] comment(String login) throws Exception {
        return Deliveries.variant("issue_comment.created.json", p -> {
            ObjectNode issue = (ObjectNode) p.get("issue");
            issue.put("number", 2);
            issue.putObject("pull_request").put("url", "https://api.github.com/repos/Codertocat/Hello-World/pulls/2");
            ObjectNode comment = (ObjectNode) p.get("comment");
            comment.put("body", "/preview approve");
            ((ObjectNode) comment.get("user")).put("login", login);
            p.putObject("installation").put("id", 1);
        });
    }

    private void awaitTask(Predicate<JsonNode> match) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (list(probe.get("/_local/resources").path("tasks")).stream().anyMatch(match)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such task within " + WAIT + ": " + probe.get("/_local/resources").path("tasks"));
    }

    /** The first check run, once it has this status. */
    private JsonNode awaitCheckRun(String status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> runs = list(probe.get("/_local/resources").path("github").path("checkRuns"));
            if (!runs.isEmpty() && runs.getFirst().path("status").asText().equals(status)) {
                return runs.getFirst();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no check run " + status + ": " + probe.get("/_local/resources").path("github"));
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }
}
