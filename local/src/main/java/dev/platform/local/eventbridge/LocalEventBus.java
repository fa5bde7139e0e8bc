package dev.platform.local.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import dev.platform.embedded.FreePort;
import dev.platform.local.http.AwsJson;
import dev.platform.local.http.Exchanges;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * EventBridge, locally: the platform's bus and the account's default bus, with the topology's rules.
 * Functions publish through their real EventBridge adapter to an endpoint speaking {@code PutEvents}
 * (AWS JSON 1.1); the stand-ins of AWS services (ECS) put their events on the default bus in process.
 *
 * <p>Every event on the platform bus becomes one line {@code {"source":...,"detail-type":...,"detail":{...}}},
 * appended to events.jsonl (flushed before the call is answered) and printed on the console. An event
 * that a rule matches is handed to the rule's target as EventBridge does, asynchronously: it is sent to
 * the target function's invocation queue (durable with a data dir, retried, dead-lettered; see
 * {@code LocalPlatform}) before the call is answered, so an accepted event is never lost. Entries for a
 * bus that does not exist are refused per entry, as EventBridge refuses them.
 */
public final class LocalEventBus implements AutoCloseable {
    /** The account's default bus, where AWS services put their events. */
    public static final String DEFAULT_BUS = "default";

    /** A rule: events on {@code bus} that {@code pattern} matches go to the queue of {@code function}. */
    public record Rule(String function, String bus, EventPattern pattern, String queueUrl) {
    }

    private final HttpServer server;
    private final String host;
    private final String busName;
    private final BufferedWriter file;
    private final PrintStream console;
    private final SqsClient sqs;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    /** SendMessageBatch takes 10 entries and 256 KiB in all; the margin covers the request's own JSON. */
    private static final int MAX_BATCH_ENTRIES = 10;
    private static final int MAX_BATCH_BYTES = 200 * 1024;

    /** An event accepted on an existing bus. */
    private record Accepted(String bus, ObjectNode event) {
    }

    private LocalEventBus(HttpServer server, String host, String busName, BufferedWriter file, PrintStream console,
                          SqsClient sqs) {
        this.server = server;
        this.host = host;
        this.busName = busName;
        this.file = file;
        this.console = console;
        this.sqs = sqs;
    }

    /** @param sqs where rule targets' invocation queues are */
    public static LocalEventBus start(String host, String busName, Path eventsFile, PrintStream console, SqsClient sqs)
            throws IOException {
        Files.createDirectories(eventsFile.getParent());
        BufferedWriter file = Files.newBufferedWriter(eventsFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        HttpServer server = Exchanges.listen(host, 0, 64);
        LocalEventBus bus = new LocalEventBus(server, host, busName, file, console, sqs);
        server.createContext("/", bus::serve);
        server.start();
        return bus;
    }

    public URI endpoint() {
        return FreePort.url(host, server.getAddress().getPort());
    }

    public void addRule(Rule rule) {
        rules.add(rule);
    }

    /**
     * Puts one event on a bus in process, as an AWS service does on the default bus.
     *
     * @throws IllegalArgumentException for a bus that does not exist
     * @throws IllegalStateException when a matching rule's target could not take it
     */
    public void put(String bus, String source, String detailType, JsonNode detail) throws IOException {
        put(bus, source, detailType, List.of(), detail);
    }

    /** As {@link #put(String, String, String, JsonNode)}, naming the resources the event is about (a service's ARN, say). */
    public void put(String bus, String source, String detailType, List<String> resources, JsonNode detail) throws IOException {
        ObjectNode event = event(bus, source, detailType, detail);
        if (event == null) {
            throw new IllegalArgumentException("Event bus " + bus + " does not exist.");
        }
        ArrayNode named = event.putArray("resources");
        resources.forEach(named::add);
        if (!accept(List.of(new Accepted(bus, event)))[0]) {
            throw new IllegalStateException("a rule's target did not take the " + detailType + " event");
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            int status;
            ObjectNode answer;
            if (!target.equals("AWSEvents.PutEvents")) {
                status = 400;
                answer = AwsJson.error("UnknownOperationException", "the local event bus answers PutEvents only, not " + target);
            } else {
                try {
                    answer = putEvents(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
                    status = 200;
                } catch (IOException | RuntimeException e) {
                    status = 400;
                    answer = AwsJson.error("ValidationException", "PutEvents request is not valid: " + e.getMessage());
                }
            }
            AwsJson.answer(exchange, status, answer);
        }
    }

    private ObjectNode putEvents(JsonNode request) throws IOException {
        ObjectNode response = Json.object();
        ArrayNode results = response.putArray("Entries");
        List<Accepted> accepted = new ArrayList<>();
        List<ObjectNode> resultOfAccepted = new ArrayList<>(); // filled once the targets have answered
        int failed = 0;
        for (JsonNode entry : request.path("Entries")) {
            String bus = entry.path("EventBusName").asText(DEFAULT_BUS);
            String name = bus.contains(":event-bus/") ? bus.substring(bus.lastIndexOf('/') + 1) : bus;
            ObjectNode event = event(name, entry.path("Source").asText(), entry.path("DetailType").asText(),
                    Json.MAPPER.readTree(entry.path("Detail").asText("{}")));
            ObjectNode result = results.addObject();
            if (event == null) {
                failed++;
                result.put("ErrorCode", "NotFoundException").put("ErrorMessage", "Event bus " + bus + " does not exist.");
            } else {
                accepted.add(new Accepted(name, event));
                resultOfAccepted.add(result);
            }
        }
        boolean[] taken = accept(accepted);
        for (int i = 0; i < accepted.size(); i++) {
            if (taken[i]) {
                resultOfAccepted.get(i).put("EventId", accepted.get(i).event().path("id").asText());
            } else {
                failed++;
                resultOfAccepted.get(i).put("ErrorCode", "InternalException").put("ErrorMessage", "a rule's target is unavailable");
            }
        }
        response.put("FailedEntryCount", failed);
        return response;
    }

    /** The event as a rule target receives it, or null for a bus that does not exist. */
    private ObjectNode event(String bus, String source, String detailType, JsonNode detail) {
        if (!bus.equals(busName) && !bus.equals(DEFAULT_BUS)) {
            return null;
        }
        ObjectNode event = Json.object();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", "000000000000");
        event.put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", "us-east-1");
        event.putArray("resources");
        event.set("detail", detail);
        return event;
    }

    /**
     * Records the events, then hands each to the invocation queue of every rule of its bus that matches
     * it, in batches per queue. Only the recording is serialised (events.jsonl keeps whole lines, in one
     * order); publishers do not wait on each other's sends, as EventBridge's callers do not.
     *
     * @return per event, whether every matching target took it
     */
    private boolean[] accept(List<Accepted> events) throws IOException {
        record(events);
        boolean[] taken = new boolean[events.size()];
        Arrays.fill(taken, true);
        Map<String, List<SendMessageBatchRequestEntry>> byQueue = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Accepted accepted = events.get(i);
            String body = Json.write(accepted.event());
            for (Rule rule : rules) {
                if (rule.bus().equals(accepted.bus()) && rule.pattern().matches(accepted.event())) {
                    byQueue.computeIfAbsent(rule.queueUrl(), q -> new ArrayList<>())
                            .add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body).build());
                }
            }
        }
        byQueue.forEach((queueUrl, entries) -> {
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
            int bytes = 0;
            for (SendMessageBatchRequestEntry entry : entries) {
                int size = entry.messageBody().getBytes(StandardCharsets.UTF_8).length;
                if (!batch.isEmpty() && (batch.size() == MAX_BATCH_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
                    send(queueUrl, batch, taken);
                    batch = new ArrayList<>();
                    bytes = 0;
                }
                batch.add(entry);
                bytes += size;
            }
            send(queueUrl, batch, taken);
        });
        return taken;
    }

    /** One platform-bus line per event, in events.jsonl (flushed) and on the console. */
    private synchronized void record(List<Accepted> events) throws IOException {
        for (Accepted accepted : events) {
            if (accepted.bus().equals(busName)) {
                ObjectNode line = Json.object();
                line.put("source", accepted.event().path("source").asText());
                line.put("detail-type", accepted.event().path("detail-type").asText());
                line.set("detail", accepted.event().path("detail"));
                String text = Json.write(line);
                file.write(text);
                file.newLine();
                console.println(text);
            }
        }
        file.flush();
    }

    private void send(String queueUrl, List<SendMessageBatchRequestEntry> batch, boolean[] taken) {
        try {
            SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(batch));
            for (BatchResultErrorEntry refused : response.failed()) {
                taken[Integer.parseInt(refused.id())] = false;
                JsonLog.warn("local event bus: a rule's target refused an event", Map.of("queue", queueUrl, "code", refused.code(),
                        "message", String.valueOf(refused.message())));
            }
        } catch (RuntimeException targetDown) {
            batch.forEach(entry -> taken[Integer.parseInt(entry.id())] = false);
            JsonLog.error("local event bus: a rule's target did not take " + batch.size() + " event(s)", Map.of("queue", queueUrl), targetDown);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        server.stop(0);
        file.close();
    }
}
