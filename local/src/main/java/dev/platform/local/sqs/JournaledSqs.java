package dev.platform.local.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import dev.platform.embedded.FreePort;
import dev.platform.local.http.Exchanges;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The local SQS endpoint: ElasticMQ behind a journaling front. Functions, the runtime and a user's AWS
 * CLI talk to this endpoint; every request is forwarded to ElasticMQ and its answer returned
 * unchanged. With a journal, a sent message is journaled before it is forwarded (so a sender that
 * heard "sent" cannot lose it to a kill), and it leaves the journal when a consumer deletes it; at
 * start the messages still in the journal are sent again, in their original order, with their group
 * and deduplication ids. ElasticMQ's own persistence modules do not resolve from the registry this
 * project builds against, hence this front (see docs/design-notes.md).
 *
 * <p>It understands the AWS JSON protocol the SDKs use ({@code X-Amz-Target: AmazonSQS.*}): SendMessage,
 * SendMessageBatch, ReceiveMessage, DeleteMessage, DeleteMessageBatch, PurgeQueue. Requests in the
 * older query protocol are forwarded without journaling.
 */
public final class JournaledSqs implements AutoCloseable {
    private static final String PREFIX = "AmazonSQS.";
    private static final Set<String> UNFORWARDED_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding");

    private final HttpServer server;
    private final String host;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private volatile URI backend;
    private volatile SqsJournal journal;
    /**
     * message id -> its journal entries, for messages sent through this front since it started: more than
     * one when a sender retried a send and the FIFO queue deduplicated the copy (guarded by this)
     */
    private final Map<String, List<Long>> journalIdsByMessageId = new HashMap<>();
    /**
     * Messages deleted lately, with when: a send answered after its message was deleted (a fast consumer)
     * or deduplicated against a deleted message (a late retry) settles its entry at once. Kept for the
     * FIFO deduplication interval (guarded by this).
     */
    private final LinkedHashMap<String, Long> recentlyDeleted = new LinkedHashMap<>();
    private static final long DEDUPLICATION_INTERVAL_NANOS = java.time.Duration.ofMinutes(5).toNanos();
    /** receipt handle -> message id, from the receives seen */
    private final Map<String, String> messageIdByReceipt = new ConcurrentHashMap<>();

    private JournaledSqs(HttpServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /** Listens at once, so the queues can be created with this endpoint in their URLs; serves after {@link #start}. */
    public static JournaledSqs bind(String host) throws IOException {
        HttpServer server = Exchanges.listen(host, 0, 128);
        JournaledSqs front = new JournaledSqs(server, host);
        server.createContext("/", front::serve);
        return front;
    }

    /**
     * @param backend ElasticMQ's endpoint
     * @param journalFile where messages are journaled, or null to keep queues in memory only
     */
    public void start(URI backend, Path journalFile) {
        this.backend = backend;
        this.journal = journalFile == null ? null : SqsJournal.open(journalFile);
        server.start();
    }

    public URI endpoint() {
        return FreePort.url(host, server.getAddress().getPort());
    }

    /**
     * Sends the journaled messages again (after a restart: ElasticMQ starts empty).
     *
     * @param queueUrl the current URL of a queue by name
     * @return how many were sent
     */
    public int replay(Function<String, String> queueUrl) {
        if (journal == null) {
            return 0;
        }
        List<SqsJournal.Entry> pending = journal.pending();
        for (SqsJournal.Entry entry : pending) {
            ObjectNode request = (ObjectNode) read(entry.request().getBytes(StandardCharsets.UTF_8));
            String url = queueUrl.apply(entry.queue());
            if (url == null) {
                JsonLog.warn("queue journal: message for a queue that no longer exists dropped",
                        Map.of("queue", entry.queue(), "journalId", entry.id()));
                journal.done(entry.id());
                continue;
            }
            request.put("QueueUrl", url);
            Forwarded answer = forward("SendMessage", Map.of("Content-Type", List.of("application/x-amz-json-1.0"),
                    "X-Amz-Target", List.of(PREFIX + "SendMessage")), Json.write(request).getBytes(StandardCharsets.UTF_8));
            if (answer.status() != 200) {
                throw new IllegalStateException("ElasticMQ refused a journaled message (" + answer.status() + "): "
                        + new String(answer.body(), StandardCharsets.UTF_8));
            }
            sent(read(answer.body()).path("MessageId").asText(), entry.id());
        }
        return pending.size();
    }

    /** Messages sent and not deleted yet (0 without a journal). */
    public int pendingCount() {
        return journal == null ? 0 : journal.pendingCount();
    }

    public Path journalFile() {
        return journal == null ? null : journal.file();
    }

    private record Forwarded(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target != null && target.startsWith(PREFIX) ? target.substring(PREFIX.length()) : "";
            Forwarded answer;
            try {
                answer = journal == null ? forward(operation, exchange.getRequestHeaders(), body)
                        : journaled(operation, exchange.getRequestHeaders(), body);
            } catch (RuntimeException e) {
                JsonLog.error("local SQS front failed", Map.of("operation", operation), e);
                byte[] error = "{\"__type\":\"com.amazonaws.sqs#ServiceUnavailable\",\"message\":\"local SQS is unavailable\"}"
                        .getBytes(StandardCharsets.UTF_8);
                answer = new Forwarded(503, Map.of("Content-Type", List.of("application/x-amz-json-1.0")), error);
            }
            answer.headers().forEach((name, values) -> {
                if (!UNFORWARDED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(value -> exchange.getResponseHeaders().add(name, value));
                }
            });
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        }
    }

    private Forwarded journaled(String operation, Map<String, List<String>> headers, byte[] body) {
        return switch (operation) {
            case "SendMessage" -> {
                JsonNode request = read(body);
                long id = journal.append(queueName(request), new String(body, StandardCharsets.UTF_8));
                Forwarded answer = forwardOrForget(operation, headers, body, List.of(id));
                if (answer.status() == 200) {
                    sent(read(answer.body()).path("MessageId").asText(), id);
                } else {
                    journal.done(id); // refused: the sender was told, nothing to keep
                }
                yield answer;
            }
            case "SendMessageBatch" -> {
                JsonNode request = read(body);
                Map<String, Long> idByEntry = new HashMap<>();
                for (JsonNode entry : request.path("Entries")) {
                    ObjectNode single = ((ObjectNode) entry.deepCopy());
                    single.remove("Id");
                    single.put("QueueUrl", request.path("QueueUrl").asText());
                    idByEntry.put(entry.path("Id").asText(), journal.append(queueName(request), Json.write(single)));
                }
                Forwarded answer = forwardOrForget(operation, headers, body, List.copyOf(idByEntry.values()));
                JsonNode response = answer.status() == 200 ? read(answer.body()) : Json.object();
                for (JsonNode ok : response.path("Successful")) {
                    Long id = idByEntry.remove(ok.path("Id").asText());
                    if (id != null) {
                        sent(ok.path("MessageId").asText(), id);
                    }
                }
                idByEntry.values().forEach(journal::done); // failed entries, or the whole call
                yield answer;
            }
            case "ReceiveMessage" -> {
                Forwarded answer = forward(operation, headers, body);
                if (answer.status() == 200) {
                    for (JsonNode message : read(answer.body()).path("Messages")) {
                        messageIdByReceipt.put(message.path("ReceiptHandle").asText(), message.path("MessageId").asText());
                    }
                }
                yield answer;
            }
            case "DeleteMessage" -> {
                Forwarded answer = forward(operation, headers, body);
                if (answer.status() == 200) {
                    deleted(read(body).path("ReceiptHandle").asText());
                }
                yield answer;
            }
            case "DeleteMessageBatch" -> {
                Forwarded answer = forward(operation, headers, body);
                if (answer.status() == 200) {
                    Map<String, String> receiptByEntry = new HashMap<>();
                    read(body).path("Entries").forEach(e -> receiptByEntry.put(e.path("Id").asText(), e.path("ReceiptHandle").asText()));
                    read(answer.body()).path("Successful").forEach(ok -> deleted(receiptByEntry.get(ok.path("Id").asText())));
                }
                yield answer;
            }
            case "PurgeQueue" -> {
                Forwarded answer = forward(operation, headers, body);
                if (answer.status() == 200) {
                    String queue = queueName(read(body));
                    journal.pending().stream().filter(e -> e.queue().equals(queue)).forEach(e -> journal.done(e.id()));
                }
                yield answer;
            }
            default -> forward(operation, headers, body);
        };
    }

    /**
     * ElasticMQ took journal entry {@code id} as message {@code messageId} (a deduplicated copy is answered
     * with the original's message id).
     */
    private synchronized void sent(String messageId, long id) {
        if (recentlyDeleted.containsKey(messageId)) {
            journal.done(id);
        } else {
            journalIdsByMessageId.computeIfAbsent(messageId, m -> new ArrayList<>()).add(id);
        }
    }

    /** A consumer deleted the message received with this handle: every journal entry of it is done. */
    private synchronized void deleted(String receiptHandle) {
        String messageId = receiptHandle == null ? null : messageIdByReceipt.remove(receiptHandle);
        if (messageId == null) {
            return;
        }
        List<Long> ids = journalIdsByMessageId.remove(messageId);
        if (ids != null) {
            ids.forEach(journal::done);
        }
        long now = System.nanoTime();
        recentlyDeleted.put(messageId, now);
        var oldest = recentlyDeleted.entrySet().iterator();
        while (oldest.hasNext() && now - oldest.next().getValue() > DEDUPLICATION_INTERVAL_NANOS) {
            oldest.remove();
        }
    }

    /** Forwards; if ElasticMQ cannot be reached the journaled entries are dropped again and the error rethrown. */
    private Forwarded forwardOrForget(String operation, Map<String, List<String>> headers, byte[] body, List<Long> ids) {
        try {
            return forward(operation, headers, body);
        } catch (RuntimeException e) {
            ids.forEach(journal::done);
            throw e;
        }
    }

    private Forwarded forward(String operation, Map<String, List<String>> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(backend.resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, values) -> {
            if (!UNFORWARDED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Forwarded(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("ElasticMQ did not answer " + operation, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while forwarding " + operation, e);
        }
    }

    private static String queueName(JsonNode request) {
        String url = request.path("QueueUrl").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static JsonNode read(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        if (journal != null) {
            journal.close();
        }
    }
}
