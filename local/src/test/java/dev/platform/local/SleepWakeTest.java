package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Previews that cost nothing while idle, in the local runtime over HTTP with short policies: an idle preview
 * sleeps (desired 0, its rule → the waker) while a recently requested one runs on; 50 concurrent requests to the
 * sleeping host start it once, each answered 503 "waking" or 200, and it serves 200 again; expiry gives notice
 * and then removes; a cap of 2 sleeps the least recently requested; {@code /preview wake} works for a writer only.
 */
class SleepWakeTest {
    private static final String SECRET = "sleep-secret";

    @TempDir
    Path dataDir;
    private LocalPlatform platform;
    private Deliveries deliveries;
    private RuntimeProbe probe;

    private void start(Duration sleepAfter, Duration expireAfter, Integer maxActive) throws Exception {
        platform = LocalPlatform.start(new LocalSettings(0, SECRET, dataDir, true, "Codertocat/Hello-World", "main", 1,
                "127.0.0.1", 4, 0, List.of(), List.of(), 1, List.of(), 1, LocalSettings.DEFAULT_PREVIEW_DOMAIN,
                new LocalSettings.SleepPolicy(sleepAfter, expireAfter, maxActive)),
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

    /** Opens pull request {@code pr} and waits for its preview to serve: its host. */
    private String opened(int pr) throws Exception {
        byte[] payload = Deliveries.withNumber(Deliveries.payload("pull_request.opened.json"), pr);
        assertEquals(202, deliveries.send("pull_request", "d-opened-" + pr, payload).statusCode());
        JsonNode succeeded = probe.awaitEvent("DeploymentSucceeded", d -> d.path("pr").asInt() == pr);
        probe.awaitStatus(pr, "active");
        return URI.create(succeeded.path("url").asText()).getHost();
    }

    private JsonNode resource(String kind, int pr) throws Exception {
        for (JsonNode resource : probe.get("/_local/resources").path(kind)) {
            if (String.valueOf(pr).equals(resource.path("tags").path("platform:pr").asText())) {
                return resource;
            }
        }
        throw new AssertionError("no " + kind + " of pr " + pr);
    }

    private int updateServiceCalls() throws Exception {
        return probe.get("/_local/resources").path("calls").path("ecs").path("UpdateService").asInt();
    }

    @Test
    void anIdlePreviewSleepsAndFiftyConcurrentRequestsWakeItOnceWithoutA502() throws Exception {
        start(Duration.ofSeconds(6), null, null);
        String idle = opened(2);
        String busy = opened(3);
        // pr 3 is requested all along; auto-sleep's own schedule (every 5 s with this policy) may run meanwhile too
        List<Integer> busyAnswers = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean requesting = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread requester = Thread.ofVirtual().start(() -> {
            while (requesting.get()) {
                try {
                    busyAnswers.add(probe.page(busy, "/").status());
                    Thread.sleep(300);
                } catch (Exception e) {
                    busyAnswers.add(-1);
                    return;
                }
            }
        });
        Thread.sleep(6_500);

        probe.runSchedule("auto-sleep");

        probe.awaitStatus(2, "sleeping");
        assertEquals("active", probe.preview(3).path("status").asText());
        assertEquals(0, resource("services", 2).path("desiredCount").asInt());
        assertEquals("waker-0", resource("listenerRules", 2).path("target").asText(), "its rule forwards to the waker");
        assertEquals(1, resource("services", 3).path("desiredCount").asInt());
        assertFalse(resource("listenerRules", 3).path("target").asText().startsWith("waker"));
        assertEquals("idle", probe.awaitEvent("PreviewSlept", d -> d.path("pr").asInt() == 2).path("reason").asText());

        int updatesBefore = updateServiceCalls();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<RuntimeProbe.Page>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(pool.submit(() -> probe.page(idle, "/")));
        }
        boolean sawWakingPage = false;
        for (Future<RuntimeProbe.Page> answer : answers) {
            RuntimeProbe.Page page = answer.get();
            assertTrue(Set.of(200, 503).contains(page.status()), page.status() + ": " + page.body());
            if (page.status() == 503) {
                sawWakingPage = true;
                assertEquals("5", page.headers().get("retry-after"));
                assertTrue(page.body().contains("waking up"), page.body());
                assertFalse(page.body().contains("hello-world") || page.body().contains("arn:"), page.body());
            }
        }
        pool.shutdown();
        assertTrue(sawWakingPage, "the first requests see the waking page");
        assertEquals(updatesBefore + 1, updateServiceCalls(), "one scale-up however many requests");
        assertTrue(Set.of("waking", "active").contains(probe.preview(2).path("status").asText("")), probe.preview(2).toString());
        RuntimeProbe.Page json = probe.page(idle, "/", "application/json");
        assertTrue(json.status() == 200 || json.body().equals("{\"status\":\"waking\",\"retryAfterSeconds\":5}"), json.body());

        RuntimeProbe.Page served = awaitServed(idle);
        assertEquals(200, served.status(), served.body());
        probe.awaitStatus(2, "active");
        probe.awaitEvent("PreviewWoke", d -> d.path("pr").asInt() == 2);
        assertFalse(resource("listenerRules", 2).path("target").asText().startsWith("waker"), "routed back to its service");
        assertEquals(404, probe.page("pr-2-hello-world-guessedxyz.preview.localhost", "/").status(), "an unknown host");
        requesting.set(false);
        requester.join();
        assertTrue(busyAnswers.stream().allMatch(status -> status == 200), "pr 3 served all along: " + busyAnswers);
    }

    @Test
    void withAShortPolicyAnIdlePreviewSleepsByItself() throws Exception {
        start(Duration.ofSeconds(3), null, null);
        opened(2);

        probe.awaitStatus(2, "sleeping");  // auto-sleep's local schedule runs every 5 s with a policy this short

        assertEquals("idle", probe.awaitEvent("PreviewSlept", d -> d.path("pr").asInt() == 2).path("reason").asText());
    }

    @Test
    void expiryGivesNoticeFirstAndThenRemovesThePreview() throws Exception {
        start(Duration.ofHours(1), Duration.ofSeconds(8), null);
        opened(2);

        Thread.sleep(4_500);  // past the notice, halfway through a lifetime under two days
        probe.runSchedule("auto-sleep");  // or its own schedule, every 5 s with this policy, did already
        probe.awaitEvent("PreviewExpiring", d -> d.path("pr").asInt() == 2);
        assertTrue(probe.events("PreviewExpired").isEmpty(), "notice first");
        assertEquals("active", probe.preview(2).path("status").asText());

        Thread.sleep(4_000);
        probe.runSchedule("auto-sleep");
        probe.awaitEvent("PreviewExpired", d -> d.path("pr").asInt() == 2);
        probe.awaitStatus(2, "expired");
        for (JsonNode service : probe.get("/_local/resources").path("services")) {
            assertFalse("2".equals(service.path("tags").path("platform:pr").asText()), "its service is gone: " + service);
        }
    }

    @Test
    void withACapOfTwoAThirdActivePreviewSleepsTheLeastRecentlyRequested() throws Exception {
        start(Duration.ofHours(1), null, 2);
        opened(2);
        opened(3);

        opened(4);

        probe.awaitStatus(2, "sleeping");
        assertEquals("cap", probe.awaitEvent("PreviewSlept", d -> d.path("pr").asInt() == 2).path("reason").asText());
        assertEquals("active", probe.preview(3).path("status").asText());
        assertEquals("active", probe.preview(4).path("status").asText());
    }

    @Test
    void previewWakeFromAWriterWakesAndFromAReaderDoesNothing() throws Exception {
        start(Duration.ofHours(1), null, null);
        opened(2);
        assertEquals(202, deliveries.send("issue_comment", "d-sleep", Deliveries.payload("issue_comment.preview-sleep.json"))
                .statusCode());
        probe.awaitStatus(2, "sleeping");

        assertEquals(202, deliveries.send("issue_comment", "d-reader-wake", comment("/preview wake", "visitor", 7001))
                .statusCode());
        assertEquals(202, deliveries.send("issue_comment", "d-writer-wake", comment("/preview wake", "Codertocat", 7002))
                .statusCode());

        probe.awaitEvent("PreviewWaking", d -> d.path("requestedBy").asText().equals("command:Codertocat"));
        probe.awaitStatus(2, "active");
        assertFalse(probe.events("PreviewWaking").stream().anyMatch(d -> d.path("requestedBy").asText().contains("visitor")));
        List<String> reactions = new ArrayList<>();
        probe.get("/_local/resources").path("github").path("reactions")
                .forEach(r -> reactions.add(r.path("commentId").asLong() + " " + r.path("content").asText()));
        assertTrue(reactions.contains("7001 confused"), reactions.toString());
        assertTrue(reactions.contains("7002 +1") || reactions.contains("7002 eyes"), reactions.toString());
    }

    private static byte[] comment(String body, String login, long commentId) throws Exception {
        return Deliveries.variant("issue_comment.preview-sleep.json", p -> {
            ObjectNode comment = (ObjectNode) p.get("comment");
            comment.put("id", commentId).put("body", body);
            ((ObjectNode) comment.get("user")).put("login", login);
        });
    }

    /** Reloads as the waking page asks until the app answers (or the wait runs out). */
    private RuntimeProbe.Page awaitServed(String host) throws Exception {
        long deadline = System.nanoTime() + RuntimeProbe.WAIT.toNanos();
        RuntimeProbe.Page page = probe.page(host, "/");
        while (page.status() != 200 && System.nanoTime() < deadline) {
            assertEquals(503, page.status(), page.body());
            Thread.sleep(200);
            page = probe.page(host, "/");
        }
        return page;
    }
}
