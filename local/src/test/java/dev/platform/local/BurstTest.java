package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.platform.core.json.Json;
import dev.platform.topology.Topology;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A burst: 3,000 deliveries (one opened pull request each) sent 64 at a time. Every one is answered
 * 202 and every one is applied: a BuildRequested for each pull request, nothing dead-lettered, the
 * queue journal drained.
 */
class BurstTest {
    private static final int DELIVERIES = 3_000;
    private static final int IN_PARALLEL = 64;
    private static final String SECRET = "burst-secret";

    @TempDir
    Path dataDir;

    @Test
    void aBurstOf3000DeliveriesAt64InParallelIsAppliedInFull() throws Exception {
        LocalSettings settings = new LocalSettings(0, SECRET, dataDir, true, "Codertocat/Hello-World", "main", 10,
                LocalSettings.DEFAULT_BIND_ADDRESS, LocalSettings.DEFAULT_QUEUE_POLLERS);
        try (LocalPlatform platform = LocalPlatform.start(settings, new PrintStream(PrintStream.nullOutputStream()))) {
            Deliveries deliveries = new Deliveries(platform.url(), SECRET);
            byte[] template = Deliveries.payload("pull_request.opened.json");
            Semaphore slots = new Semaphore(IN_PARALLEL);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int n = 1; n <= DELIVERIES; n++) {
                    int pr = n;
                    byte[] body = Deliveries.withNumber(template, pr);
                    slots.acquire();
                    answers.add(senders.submit(() -> {
                        try {
                            return deliveries.send("pull_request", "burst-" + pr, body);
                        } finally {
                            slots.release();
                        }
                    }));
                }
            }
            for (Future<HttpResponse<String>> answer : answers) {
                assertEquals(202, answer.get().statusCode(), answer.get().body());
            }

            Set<Integer> all = IntStream.rangeClosed(1, DELIVERIES).boxed().collect(Collectors.toSet());
            assertEquals(all, Deliveries.awaitBuilds(dataDir.resolve("events.jsonl"), all, Duration.ofSeconds(180)),
                    "every delivery applied: one BuildRequested per pull request");
            String dlq = platform.queueUrl(Topology.REPO_EVENTS.deadLetterQueueName());
            assertEquals("0", platform.sqs().getQueueAttributes(r -> r.queueUrl(dlq)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        }
        List<String> journal = Files.readAllLines(dataDir.resolve("queues.journal"));
        // the deliveries' queue: builds the burst caused may still wait in the launcher's queue, kept for the next start
        List<String> sent = journal.stream().filter(l -> l.contains("\"op\":\"send\"") && l.contains("\"queue\":\"repo-events.fifo\""))
                .toList();
        Set<String> sentIds = sent.stream().map(l -> l.replaceAll(".*\"id\":(\\d+),.*", "$1")).collect(Collectors.toSet());
        long done = journal.stream().filter(l -> l.contains("\"op\":\"done\""))
                .filter(l -> sentIds.contains(l.replaceAll(".*\"id\":(\\d+).*", "$1"))).count();
        // a send the SDK retried under load is journaled twice (the queue deduplicates the copy)
        long journaledDeliveries = sent.stream().map(BurstTest::deduplicationId).distinct().count();
        assertEquals(DELIVERIES, journaledDeliveries, "every accepted delivery was journaled");
        assertEquals(sent.size(), done, "every processed message left the journal, copies included");
    }

    private static String deduplicationId(String journalLine) {
        try {
            var request = Json.MAPPER.readTree(Json.MAPPER.readTree(journalLine).path("request").asText());
            return request.path("MessageDeduplicationId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
