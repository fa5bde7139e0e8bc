package dev.platform.aws.sqs;

import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventCodec;
import dev.platform.core.repoevent.RepoEventQueue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** {@code repo-events.fifo}: one group per pull request or ref, the delivery id as deduplication id. */
public final class SqsRepoEventQueue implements RepoEventQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsRepoEventQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(RepoEvent event) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl)
                .messageBody(RepoEventCodec.write(event))
                .messageGroupId(event.messageGroupId())
                .messageDeduplicationId(event.deliveryId())
                .messageAttributes(java.util.Map.of("deliveryId",
                        MessageAttributeValue.builder().dataType("String").stringValue(event.deliveryId()).build())));
    }
}
