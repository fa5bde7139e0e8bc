package dev.platform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one AWS API the cold-start children reach that has no embedded emulator: EventBridge
 * {@code PutEvents} (AWS JSON 1.1) on loopback. Accepts every entry and counts them, so a child
 * publishes through its real EventBridge client and the harness can check that it did.
 */
final class StubEventBridge implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();

    StubEventBridge() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "stub-eventbridge");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::serve);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    long entries() {
        return entries.get();
    }

    long calls() {
        return calls.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!"AWSEvents.PutEvents".equals(target)) {
                reply(exchange, 400, "{\"__type\":\"UnknownOperationException\",\"message\":\"only PutEvents is stubbed\"}");
                return;
            }
            JsonNode request = Json.MAPPER.readTree(body);
            int count = request.path("Entries").size();
            calls.incrementAndGet();
            StringBuilder response = new StringBuilder("{\"FailedEntryCount\":0,\"Entries\":[");
            for (int i = 0; i < count; i++) {
                response.append(i == 0 ? "" : ",").append("{\"EventId\":\"bench-").append(entries.incrementAndGet()).append("\"}");
            }
            reply(exchange, 200, response.append("]}").toString());
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
