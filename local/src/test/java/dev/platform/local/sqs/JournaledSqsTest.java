package dev.platform.local.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.platform.embedded.EmbeddedSqs;
import dev.platform.embedded.FreePort;
import dev.platform.embedded.LocalClients;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The journal keeps exactly the messages not consumed yet. An SDK retries a send whose answer was slow;
 * the FIFO queue deduplicates the copy, and the journal must not keep it as a message of its own.
 */
class JournaledSqsTest {
    @TempDir
    Path dir;

    @Test
    void aRetriedSendBeforeOrAfterTheDeleteLeavesNothingJournaled() throws Exception {
        JournaledSqs front = JournaledSqs.bind(FreePort.LOOPBACK);
        try (EmbeddedSqs elasticMq = EmbeddedSqs.start(FreePort.LOOPBACK, front.endpoint());
             front;
             SqsClient sqs = LocalClients.sqs(front.endpoint())) {
            front.start(elasticMq.endpoint(), dir.resolve("queues.journal"));
            String queue = sqs.createQueue(r -> r.queueName("journal-test.fifo").attributes(Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();

            // retried before the first copy was consumed
            send(sqs, queue, "a");
            send(sqs, queue, "a");
            // retried after the first copy was consumed and deleted
            send(sqs, queue, "b");
            List<Message> received = receiveAll(sqs, queue);
            assertEquals(List.of("a", "b"), received.stream().map(Message::body).toList(), "the copies were deduplicated");
            received.forEach(m -> sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle())));
            send(sqs, queue, "b");

            assertEquals(List.of(), receiveAll(sqs, queue), "nothing left to consume");
            assertEquals(0, front.pendingCount(), "nothing left in the journal either");
        }
    }

    private static void send(SqsClient sqs, String queue, String body) {
        sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body).messageGroupId(body).messageDeduplicationId("dedup-" + body));
    }

    private static List<Message> receiveAll(SqsClient sqs, String queue) {
        return sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
    }
}
