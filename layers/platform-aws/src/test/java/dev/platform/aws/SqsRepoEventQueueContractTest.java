package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.platform.aws.sqs.SqsRepoEventQueue;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The webhook's queue adapter against the AWS API emulator's FIFO queues. */
class SqsRepoEventQueueContractTest {
    @Test
    void eventsTravelInTheirGroupDeduplicatedByDeliveryId() {
        PlatformConfig config = AwsEmulator.config(Map.of());
        SqsClient sqs = AwsModule.sqs(config, AwsModule.credentials(config));
        String queueUrl = sqs.createQueue(r -> r.queueName("repo-events-" + UUID.randomUUID() + ".fifo")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        RepoEvent event = new RepoEvent.PullRequest("delivery-1", "Octo/Repo", null, PullRequestAction.OPENED, PrNumber.of(4),
                CommitSha.of("a".repeat(40)), "feature", "main", Instant.parse("2026-01-01T00:00:00Z"), false, false);

        SqsRepoEventQueue queue = new SqsRepoEventQueue(sqs, queueUrl);
        queue.send(event);
        queue.send(event);

        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertEquals(1, messages.size(), "the same delivery id is one message");
        assertEquals("octo/repo#pr-4", messages.get(0).attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
        assertEquals(event, RepoEventCodec.read(messages.get(0).body()));
    }
}
