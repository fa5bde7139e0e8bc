package dev.platform.aws.sqs;

import dev.platform.core.Hashes;
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

    /**
     * The event's ordering key as a FIFO message group id. SQS allows 128 characters of ASCII letters,
     * digits and punctuation; refs can be longer or use other characters, so such keys become a stable
     * hash of themselves.
     */
    public static String messageGroupId(RepoEvent event) {
        String key = event.orderingKey();
        boolean allowed = key.length() <= 128 && key.chars().allMatch(c -> c > 32 && c < 127);
        return allowed ? key : "h#" + Hashes.sha256Hex(key, 64);
    }

    @Override
    public void send(RepoEvent event) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl)
                .messageBody(RepoEventCodec.write(event))
                .messageGroupId(messageGroupId(event))
                .messageDeduplicationId(event.deliveryId())
                .messageAttributes(java.util.Map.of("deliveryId",
                        MessageAttributeValue.builder().dataType("String").stringValue(event.deliveryId()).build())));
    }
}
