package dev.platform.aws.sqs;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.platform.core.json.JsonLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An SQS batch handled message by message with partial batch failures, the loop every queue-triggered
 * function shares. A message whose work throws is reported failed, so SQS redelivers it and moves it to
 * the dead-letter queue after the queue's maxReceiveCount. On a FIFO queue the later messages of a
 * failed message's group are reported failed too, unprocessed, so the group is retried in order.
 * (Powertools' batch module does the first part; none of its versions resolves from the registry this
 * project builds against, and the FIFO rule here is finer.)
 */
public final class SqsBatch {

    /**
     * One message's work.
     *
     * @param log fields for the message's log line: ids, outcomes, never secrets or bodies
     * @return the log line's message on success
     * @throws RuntimeException to fail the message
     */
    @FunctionalInterface
    public interface MessageWork {
        String handle(SQSEvent.SQSMessage message, Map<String, Object> log);
    }

    /** What the messages of a batch deferred to its end (publishing their events together, say). */
    @FunctionalInterface
    public interface Completion {
        /** @throws RuntimeException to fail every message that was handled, so SQS redelivers them */
        void complete();
    }

    private SqsBatch() {
    }

    public static SQSBatchResponse process(SQSEvent batch, String requestId, MessageWork work) {
        return process(batch, requestId, work, () -> { });
    }

    /**
     * Each message's work in order, then the batch's completion. When the completion fails, every
     * message handled is reported failed too (their work must be idempotent: it runs again).
     */
    public static SQSBatchResponse process(SQSEvent batch, String requestId, MessageWork work, Completion completion) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<String> handled = new ArrayList<>();
        Set<String> failedGroups = new HashSet<>();
        List<SQSEvent.SQSMessage> records = batch.getRecords() == null ? List.of() : batch.getRecords();
        for (SQSEvent.SQSMessage message : records) {
            String group = message.getAttributes() == null ? null : message.getAttributes().get("MessageGroupId");
            Map<String, Object> log = new LinkedHashMap<>();
            log.put("requestId", requestId);
            log.put("messageId", message.getMessageId());
            log.put("messageGroupId", String.valueOf(group));
            if (group != null && failedGroups.contains(group)) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                JsonLog.info("skipped after an earlier failure in its group", log);
                continue;
            }
            try {
                JsonLog.info(work.handle(message, log), log);
                handled.add(message.getMessageId());
            } catch (RuntimeException e) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                if (group != null) {
                    failedGroups.add(group);
                }
                JsonLog.error("message failed; SQS will redeliver it", log, e);
            }
        }
        try {
            completion.complete();
        } catch (RuntimeException e) {
            handled.forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
            JsonLog.error("batch could not be completed; SQS will redeliver its messages",
                    Map.of("requestId", requestId, "messages", handled.size()), e);
        }
        return new SQSBatchResponse(failures);
    }
}
