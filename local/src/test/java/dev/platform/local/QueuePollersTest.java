package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.platform.topology.Topology;
import dev.platform.embedded.EmbeddedSqs;
import dev.platform.embedded.LocalClients;
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
            QueueTriggerRunner runner = new QueueTriggerRunner(Topology.PREVIEW_ORCHESTRATOR, (batch, context) -> {
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
}
