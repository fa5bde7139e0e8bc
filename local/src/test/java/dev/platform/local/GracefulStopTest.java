package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop loses nothing: with a data dir, what is still queued stays in the journal and the
 * next start processes it; without one, the queues are drained before the runtime stops.
 */
class GracefulStopTest {
    private static final String SECRET = "stop-secret";
    private static final int DELIVERIES = 150;

    @TempDir
    Path dataDir;

    private LocalPlatform start(boolean persistent, int pollers) throws Exception {
        return LocalPlatform.start(new LocalSettings(0, SECRET, dataDir, persistent, "Codertocat/Hello-World", "main", 10,
                LocalSettings.DEFAULT_BIND_ADDRESS, pollers), new PrintStream(PrintStream.nullOutputStream()));
    }

    private static void sendOpened(LocalPlatform platform) throws Exception {
        Deliveries deliveries = new Deliveries(platform.url(), SECRET);
        byte[] template = Deliveries.payload("pull_request.opened.json");
        for (int pr = 1; pr <= DELIVERIES; pr++) {
            assertEquals(202, deliveries.send("pull_request", "stop-" + pr, Deliveries.withNumber(template, pr)).statusCode());
        }
    }

    @Test
    void withADataDirWhatIsStillQueuedIsKeptAndProcessedAtTheNextStart() throws Exception {
        LocalPlatform first = start(true, 1);
        sendOpened(first);
        first.close();
        long journaled = pending(dataDir.resolve("queues.journal"));
        long applied = Deliveries.orchestratorEvents(dataDir.resolve("events.jsonl")).size();
        assertEquals(DELIVERIES, journaled + applied, "each delivery is either applied or still journaled");

        try (LocalPlatform second = start(true, 4)) {
            List<String> lines = Deliveries.awaitEvents(dataDir.resolve("events.jsonl"), DELIVERIES, Duration.ofSeconds(60));
            assertEquals(DELIVERIES, lines.size(), "applied once each: " + journaled + " were kept across the stop");
        }
    }

    @Test
    void withoutADataDirTheQueuesAreDrainedBeforeTheStop() throws Exception {
        LocalPlatform platform = start(false, 1);
        sendOpened(platform);
        platform.close();
        assertEquals(DELIVERIES, Deliveries.orchestratorEvents(dataDir.resolve("events.jsonl")).size());
    }

    /** Deliveries still journaled: sent to repo-events.fifo and not done (the journal also keeps builds the runtime owes). */
    private static long pending(Path journal) throws Exception {
        List<String> lines = Files.readAllLines(journal);
        java.util.Set<String> sent = lines.stream()
                .filter(l -> l.contains("\"op\":\"send\"") && l.contains("\"queue\":\"repo-events.fifo\""))
                .map(l -> l.replaceAll(".*\"id\":(\\d+),.*", "$1")).collect(java.util.stream.Collectors.toSet());
        lines.stream().filter(l -> l.contains("\"op\":\"done\"")).map(l -> l.replaceAll(".*\"id\":(\\d+).*", "$1"))
                .forEach(sent::remove);
        return sent.size();
    }
}
