package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.platform.embedded.FreePort;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar is killed with SIGKILL while deliveries it answered 202 are still queued, then
 * started again on the same data dir: every accepted delivery is applied. The first run has one
 * poller so that the queue is still full when the kill comes.
 */
class KillAndRestartIT {
    private static final String SECRET = "kill-secret";
    private static final int DELIVERIES = 400;

    @TempDir
    Path dataDir;
    private final List<RunningJar> started = new ArrayList<>();

    private RunningJar start(int port, Map<String, String> extra) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PORT", Integer.toString(port),
                "PLATFORM_DATA_DIR", dataDir.toString(), "GITHUB_WEBHOOK_SECRET", SECRET));
        env.putAll(extra);
        RunningJar jar = RunningJar.start(env, dataDir.resolve("stderr.log"));
        started.add(jar);
        return jar;
    }

    @AfterEach
    void stop() throws Exception {
        for (RunningJar jar : started) {
            jar.close();
        }
    }

    @Test
    void everyDeliveryAnswered202IsAppliedAfterKillDash9AndARestart() throws Exception {
        int port = FreePort.find();
        RunningJar first = start(port, Map.of("PLATFORM_QUEUE_POLLERS", "1"));
        Deliveries deliveries = new Deliveries(URI.create("http://127.0.0.1:" + port), SECRET);
        byte[] template = Deliveries.payload("pull_request.opened.json");
        Semaphore slots = new Semaphore(16);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int pr = 1; pr <= DELIVERIES; pr++) {
                byte[] body = Deliveries.withNumber(template, pr);
                String id = "kill-" + pr;
                slots.acquire();
                answers.add(senders.submit(() -> {
                    try {
                        return deliveries.send("pull_request", id, body);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        for (Future<HttpResponse<String>> answer : answers) {
            assertEquals(202, answer.get().statusCode());
        }
        first.kill();
        Path events = dataDir.resolve("events.jsonl");
        long appliedBeforeKill = Deliveries.orchestratorEvents(events).size();
        System.out.println("KillAndRestartIT: " + appliedBeforeKill + " of " + DELIVERIES + " applied before the kill");

        start(port, Map.of());
        Set<Integer> all = IntStream.rangeClosed(1, DELIVERIES).boxed().collect(Collectors.toSet());
        Set<Integer> built = Deliveries.awaitBuilds(events, all, Duration.ofSeconds(120));
        assertEquals(all, built, "every delivery answered 202 is applied (" + appliedBeforeKill + " were before the kill)");
    }
}
