package dev.platform.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.aws.eventbridge.EventEnvelope;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import dev.platform.local.lambda.AsyncInvocations;
import dev.platform.local.lambda.LocalContext;
import dev.platform.topology.FunctionSpec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The topology's schedules, locally: each scheduled function gets a "Scheduled Event" on its invocation
 * queue at its rate, as an EventBridge schedule rule sends it, and {@code POST /_local/schedules/{function}}
 * runs it now, answering with what it did.
 */
final class LocalSchedules implements AutoCloseable {
    /** @param period the schedule's rate, or shorter locally (see {@link LocalPlatform}) */
    private record Scheduled(FunctionSpec function, Duration period, RequestStreamHandler handler, String queueUrl) {
    }

    private final Map<String, Scheduled> byName = new LinkedHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("local-schedules").daemon().factory());
    private SqsClient sqs;

    void add(FunctionSpec function, Duration period, RequestStreamHandler handler, String queueUrl) {
        byName.put(function.name(), new Scheduled(function, period, handler, queueUrl));
    }

    java.util.Set<String> names() {
        return byName.keySet();
    }

    /** Starts the rates (the first run one period after the start, as a new schedule rule fires). */
    void start(SqsClient client) {
        this.sqs = client;
        for (Scheduled scheduled : byName.values()) {
            long millis = scheduled.period().toMillis();
            timer.scheduleAtFixedRate(() -> enqueue(scheduled), millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void enqueue(Scheduled scheduled) {
        try {
            sqs.sendMessage(r -> r.queueUrl(scheduled.queueUrl()).messageBody(event()));
        } catch (RuntimeException e) {
            JsonLog.error("local schedule could not queue its event", Map.of("function", scheduled.function().name()), e);
        }
    }

    /** {@code POST /_local/schedules/{function}}: the function runs now, on this request. */
    LocalHttpServer.LocalAnswer runNow(String function) throws IOException {
        Scheduled scheduled = byName.get(function);
        if (scheduled == null) {
            return LocalHttpServer.LocalAnswer.json(404, Json.write(error("not_found",
                    "no scheduled function named '" + function + "'; scheduled: " + byName.keySet())));
        }
        try {
            String output = AsyncInvocations.invoke(scheduled.handler(), event(), LocalContext.of(scheduled.function()));
            ObjectNode answer = Json.object().put("function", function).put("status", "succeeded");
            answer.set("output", output.isBlank() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(output));
            return LocalHttpServer.LocalAnswer.json(200, Json.write(answer));
        } catch (RuntimeException e) {
            JsonLog.error("scheduled function failed", Map.of("function", function), e);
            return LocalHttpServer.LocalAnswer.json(500, Json.write(error("function_error",
                    "the function " + function + " failed: " + e.getClass().getSimpleName() + "; see the runtime's log")));
        }
    }

    /** A schedule rule's event, as a rule target receives it. */
    private static String event() {
        ObjectNode event = Json.object();
        event.put("version", "0").put("id", UUID.randomUUID().toString()).put("detail-type", EventEnvelope.SCHEDULED_EVENT)
                .put("source", "aws.events").put("account", "000000000000")
                .put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                .put("region", "us-east-1");
        event.putArray("resources");
        event.putObject("detail");
        return Json.write(event);
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode error = Json.object();
        error.putObject("error").put("code", code).put("message", message);
        return error;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
