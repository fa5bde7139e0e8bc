package dev.platform.aws.eventbridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One asynchronous invocation by an EventBridge rule or schedule, the shape every event-triggered
 * function shares: read the event, do the work, log one line (ids and outcome, never secrets), answer with
 * the outcome as JSON. A failure is logged and thrown, so Lambda retries the event and then sends it to the
 * rule's dead-letter queue.
 */
public final class EventInvocation {

    /**
     * The function's work on one event.
     *
     * @param log fields for the invocation's log line
     * @return the outcome, written as the invocation's answer and logged
     */
    @FunctionalInterface
    public interface Work {
        ObjectNode handle(EventEnvelope event, Map<String, Object> log);
    }

    private EventInvocation() {
    }

    /**
     * @param requestId the invocation's request id, for the log
     * @param what names the work in the log line ("build launch")
     */
    public static void run(InputStream input, OutputStream output, String requestId, String what, Work work) throws IOException {
        EventEnvelope event = EventEnvelope.read(input);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("requestId", requestId);
        log.put("eventId", event.id());
        log.put("detailType", event.detailType());
        ObjectNode outcome;
        try {
            outcome = work.handle(event, log);
        } catch (RuntimeException e) {
            JsonLog.error(what + " failed; the event is retried", log, e);
            throw e;
        }
        log.put("outcome", Json.MAPPER.convertValue(outcome, Map.class));
        JsonLog.info(what, log);
        output.write(Json.write(outcome).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"result": result}} */
    public static ObjectNode result(String result) {
        return Json.object().put("result", result);
    }
}
