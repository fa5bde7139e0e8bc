package dev.platform.local.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.json.Json;
import dev.platform.embedded.FreePort;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The platform's event bus, locally: an endpoint speaking EventBridge's {@code PutEvents} (AWS JSON
 * 1.1), so functions publish through their real EventBridge adapter. Every event on the platform bus
 * becomes one line {@code {"source":...,"detail-type":...,"detail":{...}}}, appended to events.jsonl
 * (flushed before the call is answered) and printed on the console. Entries for another bus are
 * refused per entry, as EventBridge refuses a bus that does not exist.
 */
public final class LocalEventBus implements AutoCloseable {
    private final HttpServer server;
    private final String host;
    private final String busName;
    private final BufferedWriter file;
    private final PrintStream console;

    private LocalEventBus(HttpServer server, String host, String busName, BufferedWriter file, PrintStream console) {
        this.server = server;
        this.host = host;
        this.busName = busName;
        this.file = file;
        this.console = console;
    }

    public static LocalEventBus start(String host, String busName, Path eventsFile, PrintStream console) throws IOException {
        Files.createDirectories(eventsFile.getParent());
        BufferedWriter file = Files.newBufferedWriter(eventsFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), 0), 64);
        LocalEventBus bus = new LocalEventBus(server, host, busName, file, console);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", bus::serve);
        server.start();
        return bus;
    }

    public URI endpoint() {
        return FreePort.url(host, server.getAddress().getPort());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            int status;
            ObjectNode answer;
            if (!target.equals("AWSEvents.PutEvents")) {
                status = 400;
                answer = error("UnknownOperationException", "the local event bus answers PutEvents only, not " + target);
            } else {
                try {
                    answer = putEvents(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
                    status = 200;
                } catch (IOException | RuntimeException e) {
                    status = 400;
                    answer = error("ValidationException", "PutEvents request is not valid: " + e.getMessage());
                }
            }
            byte[] body = Json.write(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private synchronized ObjectNode putEvents(JsonNode request) throws IOException {
        ObjectNode response = Json.object();
        ArrayNode results = response.putArray("Entries");
        int failed = 0;
        for (JsonNode entry : request.path("Entries")) {
            String bus = entry.path("EventBusName").asText("default");
            if (!bus.equals(busName) && !bus.endsWith(":event-bus/" + busName)) {
                failed++;
                results.addObject().put("ErrorCode", "NotFoundException").put("ErrorMessage", "Event bus " + bus + " does not exist.");
                continue;
            }
            ObjectNode line = Json.object();
            line.put("source", entry.path("Source").asText());
            line.put("detail-type", entry.path("DetailType").asText());
            line.set("detail", Json.MAPPER.readTree(entry.path("Detail").asText("{}")));
            String text = Json.write(line);
            file.write(text);
            file.newLine();
            console.println(text);
            results.addObject().put("EventId", UUID.randomUUID().toString());
        }
        file.flush();
        response.put("FailedEntryCount", failed);
        return response;
    }

    private static ObjectNode error(String type, String message) {
        return Json.object().put("__type", type).put("message", message);
    }

    @Override
    public synchronized void close() throws IOException {
        server.stop(0);
        file.close();
    }
}
