package dev.platform.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.platform.core.json.JsonLog;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.QueueSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lambda's asynchronous invocation, locally: the events a rule or schedule sends to a function wait in
 * the function's own queue (ElasticMQ behind the journal, so they survive a restart with a data dir),
 * and each is one invocation of the function's stream handler. An invocation that throws is retried
 * after the queue's visibility timeout; after {@link #ATTEMPTS} attempts (Lambda's default: the first
 * and two retries) the event moves to the queue's dead-letter queue, as Lambda sends it to the
 * function's failure destination.
 */
public final class AsyncInvocations {
    /** The first invocation and Lambda's two retries. */
    public static final int ATTEMPTS = 3;
    /** Events taken from the queue at a time; each is still its own invocation. */
    public static final int BATCH_SIZE = 10;

    private AsyncInvocations() {
    }

    /** The queue that holds the asynchronous invocations of {@code function}, and its dead-letter queue. */
    public static QueueSpec queueOf(FunctionSpec function) {
        return new QueueSpec("local-invoke-" + function.name(), false, ATTEMPTS, "local-invoke-" + function.name() + "-dlq");
    }

    /** Each message of a batch is one invocation; one that throws fails alone. */
    public static RequestHandler<SQSEvent, SQSBatchResponse> asBatches(FunctionSpec function, RequestStreamHandler handler) {
        return (batch, context) -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage message : batch.getRecords()) {
                try {
                    invoke(handler, message.getBody(), context);
                } catch (IOException | RuntimeException e) {
                    String receives = message.getAttributes() == null ? "?" : message.getAttributes().get("ApproximateReceiveCount");
                    JsonLog.error("asynchronous invocation failed; retried, then dead-lettered after " + ATTEMPTS + " attempts",
                            Map.of("function", function.name(), "attempt", String.valueOf(receives)), e);
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            }
            return new SQSBatchResponse(failures);
        };
    }

    /** One invocation with {@code event} as its input; returns what the function wrote. */
    public static String invoke(RequestStreamHandler handler, String event, com.amazonaws.services.lambda.runtime.Context context)
            throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, context);
        return output.toString(StandardCharsets.UTF_8);
    }
}
