package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.embedded.FreePort;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar, started as a user starts it, fed a realistic mix of deliveries: duplicates,
 * reorderings, bad signatures, a tag deletion, unhandled events. events.jsonl must hold exactly the
 * events the platform owes, no more.
 */
class LocalJarIT {
    private static final String SECRET = "it-secret";
    private static final Instant T0 = Instant.parse("2019-05-15T15:20:33Z");

    @TempDir
    Path dataDir;
    private RunningJar jar;
    private Deliveries deliveries;

    @BeforeEach
    void startJar() throws Exception {
        int port = FreePort.find();
        jar = RunningJar.start(Map.of("PORT", Integer.toString(port), "PLATFORM_DATA_DIR", dataDir.toString(),
                "GITHUB_WEBHOOK_SECRET", SECRET, "PLATFORM_QUEUE_VISIBILITY_SECONDS", "2"), dataDir.resolve("stderr.log"));
        deliveries = new Deliveries(URI.create("http://127.0.0.1:" + port), SECRET);
    }

    @AfterEach
    void stopJar() throws Exception {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void aRealisticStreamOfDeliveriesYieldsExactlyTheOwedEvents() throws Exception {
        String opened = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
        String second = "1111111111111111111111111111111111111111";
        String stale = "2222222222222222222222222222222222222222";
        String late = "3333333333333333333333333333333333333333";
        String main = "4444444444444444444444444444444444444444";

        assertEquals(401, deliveries.send("pull_request", "bad-1", Deliveries.payload("pull_request.opened.json"),
                "sha256=" + "0".repeat(64)).statusCode());
        assertEquals(401, deliveries.send("pull_request", "bad-2", Deliveries.payload("pull_request.opened.json"), null)
                .statusCode());
        assertEquals(202, deliveries.send("pull_request", "d-opened", Deliveries.payload("pull_request.opened.json")).statusCode());
        assertEquals(202, deliveries.send("pull_request", "d-opened", Deliveries.payload("pull_request.opened.json")).statusCode());
        // GitHub's synchronize and reopened examples repeat opened's head and time: nothing new to build
        assertEquals(202, deliveries.send("pull_request", "d-sync-same", Deliveries.payload("pull_request.synchronize.json")).statusCode());
        assertEquals(202, deliveries.send("pull_request", "d-labeled", Deliveries.payload("pull_request.labeled.json")).statusCode());
        assertEquals(202, deliveries.send("pull_request", "d-sync-2",
                Deliveries.pullRequest("synchronize", second, T0.plusSeconds(20))).statusCode());
        // arrives after a newer push: stale, must not build
        assertEquals(202, deliveries.send("pull_request", "d-sync-stale",
                Deliveries.pullRequest("synchronize", stale, T0.plusSeconds(10))).statusCode());
        assertEquals(202, deliveries.send("push", "d-tag", Deliveries.payload("push.json")).statusCode());
        assertEquals(202, deliveries.send("issue_comment", "d-comment", Deliveries.payload("issue_comment.created.json")).statusCode());
        assertEquals(202, deliveries.send("installation", "d-install", Deliveries.payload("installation.created.json")).statusCode());
        assertEquals(200, deliveries.send("ping", "d-ping", Deliveries.payload("ping.json")).statusCode());
        assertEquals(202, deliveries.send("pull_request", "d-closed",
                Deliveries.pullRequest("closed", second, T0.plusSeconds(60))).statusCode());
        assertEquals(202, deliveries.send("pull_request", "d-sync-late",
                Deliveries.pullRequest("synchronize", late, T0.plusSeconds(30))).statusCode());
        assertEquals(202, deliveries.send("pull_request", "d-closed", 
                Deliveries.pullRequest("closed", second, T0.plusSeconds(60))).statusCode());
        assertEquals(202, deliveries.send("push", "d-main", Deliveries.variant("push.with-new-branch.json", p -> {
            p.put("ref", "refs/heads/main");
            p.put("after", main);
        })).statusCode());
        // the real branch-creation payload pushes master, which is not the demo project's production branch
        assertEquals(202, deliveries.send("push", "d-master", Deliveries.payload("push.with-new-branch.json")).statusCode());

        Path events = dataDir.resolve("events.jsonl");
        List<String> owed = List.of(
                Deliveries.buildRequested("hello-world", "preview", 2, opened, "d-opened"),
                Deliveries.buildRequested("hello-world", "preview", 2, second, "d-sync-2"),
                Deliveries.teardownRequested("hello-world", 2),
                Deliveries.buildRequested("hello-world", "production", null, main, "d-main"));
        Deliveries.awaitEvents(events, owed.size(), Duration.ofSeconds(60));
        Thread.sleep(3_000); // anything extra would show up now
        List<String> recorded = Deliveries.orchestratorEvents(events);
        List<String> pullRequestEvents = recorded.stream().filter(l -> !l.contains("\"production\"")).toList();
        assertEquals(owed.subList(0, 3), pullRequestEvents, "preview events, in order: " + recorded);
        assertEquals(List.of(owed.get(3)), recorded.stream().filter(l -> l.contains("\"production\"")).toList());
        assertTrue(jar.stdout().containsAll(owed), "every event is printed on stdout too");
    }
}
