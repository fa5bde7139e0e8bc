package dev.platform.aws.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqsBatchTest {
    private static SQSEvent.SQSMessage message(String id, String group) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(id);
        Map<String, String> attributes = new HashMap<>();
        if (group != null) {
            attributes.put("MessageGroupId", group);
        }
        message.setAttributes(attributes);
        return message;
    }

    private static SQSEvent batch(SQSEvent.SQSMessage... messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(messages));
        return event;
    }

    private static List<String> failed(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void aFailedMessageHoldsBackTheRestOfItsGroupOnlyAndIsReported() {
        List<String> handled = new ArrayList<>();
        SQSBatchResponse response = SqsBatch.process(batch(message("a1", "a"), message("b1", "b"), message("a2", "a"),
                message("b2", "b"), message("c1", "c")), "req", (message, log) -> {
                    if (message.getBody().equals("b1")) {
                        throw new IllegalArgumentException("poison");
                    }
                    handled.add(message.getBody());
                    return "done";
                });
        assertEquals(List.of("b1", "b2"), failed(response), "b2 is not handled before b1 succeeds");
        assertEquals(List.of("a1", "a2", "c1"), handled);
    }

    @Test
    void withoutGroupsEveryFailureStandsAlone() {
        SQSBatchResponse response = SqsBatch.process(batch(message("1", null), message("2", null), message("3", null)),
                "req", (message, log) -> {
                    if (!message.getBody().equals("2")) {
                        throw new IllegalStateException("down");
                    }
                    return "done";
                });
        assertEquals(List.of("1", "3"), failed(response));
    }

    @Test
    void anEmptyOrMissingBatchHasNoFailures() {
        assertEquals(List.of(), failed(SqsBatch.process(new SQSEvent(), "req", (m, log) -> "done")));
    }

    @Test
    void aFailedCompletionFailsEveryHandledMessageAndKeepsTheEarlierFailures() {
        SQSBatchResponse response = SqsBatch.process(batch(message("a1", "a"), message("b1", "b"), message("c1", "c")),
                "req", (message, log) -> {
                    if (message.getBody().equals("b1")) {
                        throw new IllegalArgumentException("poison");
                    }
                    return "done";
                }, () -> {
                    throw new IllegalStateException("bus unavailable");
                });
        assertEquals(List.of("b1", "a1", "c1"), failed(response));
    }
}
