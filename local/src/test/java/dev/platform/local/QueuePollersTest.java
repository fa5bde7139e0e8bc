package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.platform.embedded.EmbeddedSqs;
import dev.platform.embedded.LocalClients;
import dev.platform.local.lambda.QueueEventSource;
import dev.platform.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** Several pollers on one FIFO queue: batches run at once, yet each message group is handled in order. */
class QueuePollersTest {
    private static final int GROUPS = 24;
    private static final int PER_GROUP = 30;

    @Test
    void pollersRunBatchesConcurrentlyAndKeepEveryGroupInOrder() throws Exception {
        try (EmbeddedSqs server = EmbeddedSqs.start(); SqsClient sqs = LocalClients.sqs(server.endpoint())) {
            String queueUrl = sqs.createQueue(r -> r.queueName("pollers.fifo").attributes(Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
            Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
            AtomicInteger running = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            QueueEventSource runner = new QueueEventSource(Topology.PREVIEW_ORCHESTRATOR, (batch, context) -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    for (var message : batch.getRecords()) {
                        String group = message.getAttributes().get("MessageGroupId");
                        seen.computeIfAbsent(group, g -> Collections.synchronizedList(new ArrayList<>()))
                                .add(Integer.parseInt(message.getBody()));
                        Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
                return new SQSBatchResponse(List.of());
            }, sqs, queueUrl, 4);

            for (int n = 0; n < PER_GROUP; n += 10) {
                for (int g = 0; g < GROUPS; g++) {
                    String group = "group-" + g;
                    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                    for (int i = n; i < n + 10; i++) {
                        entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(Integer.toString(i))
                                .messageGroupId(group).messageDeduplicationId(group + "-" + i).build());
                    }
                    sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
                }
            }
            runner.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.values().stream().mapToInt(List::size).sum() < GROUPS * PER_GROUP && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            runner.close();

            List<Integer> inOrder = java.util.stream.IntStream.range(0, PER_GROUP).boxed().toList();
            assertEquals(GROUPS, seen.size());
            seen.forEach((group, order) -> assertEquals(inOrder, order, group + " out of order or incomplete"));
            assertTrue(mostAtOnce.get() > 1, "batches never overlapped: the pollers do not run concurrently");
        }
    }

    /**
     * A batch that runs longer than the queue's visibility timeout is not handed to another poller
     * meanwhile (Lambda refuses such a queue; locally a short timeout is allowed for quick retries), and a
     * failed message still comes back.
     */
    @Test
    void aBatchSlowerThanTheVisibilityTimeoutIsHandledOnceAndAFailureStillComesBack() throws Exception {
        try (EmbeddedSqs server = EmbeddedSqs.start(); SqsClient sqs = LocalClients.sqs(server.endpoint())) {
            String queueUrl = sqs.createQueue(r -> r.queueName("slow.fifo").attributes(Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.VISIBILITY_TIMEOUT, "1"))).queueUrl();
            Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
            QueueEventSource source = new QueueEventSource(Topology.PREVIEW_ORCHESTRATOR, (batch, context) -> {
                List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
                for (var message : batch.getRecords()) {
                    int seen = deliveries.computeIfAbsent(message.getBody(), b -> new AtomicInteger()).incrementAndGet();
                    if (message.getBody().equals("fails-once") && seen == 1) {
                        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                    }
                }
                try {
                    Thread.sleep(3_000); // three visibility timeouts
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new SQSBatchResponse(failures);
            }, sqs, queueUrl, 4);
            for (String body : List.of("slow", "fails-once")) {
                sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body).messageGroupId(body).messageDeduplicationId(body));
            }
            source.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (deliveries.getOrDefault("fails-once", new AtomicInteger()).get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(2_500); // a redelivery of "slow" would show up by now
            source.close();
            assertEquals(1, deliveries.get("slow").get(), "the slow batch was handed out again while it ran");
            assertEquals(2, deliveries.get("fails-once").get(), "the failed message came back once");
        }
    }
}
