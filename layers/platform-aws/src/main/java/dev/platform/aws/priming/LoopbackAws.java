package dev.platform.aws.priming;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An AWS JSON-protocol endpoint on 127.0.0.1: every request is answered in this process by
 * {@code answers} and recorded. Nothing leaves the machine. SnapStart priming points a function's
 * SDK clients here so that a synthetic request runs the real code path without side effects; tests
 * use it to record what a function calls.
 */
public final class LoopbackAws implements AutoCloseable {

    /**
     * One request. {@code target} is the {@code X-Amz-Target} header, e.g. {@code AmazonSQS.SendMessage}.
     */
    public record Call(String target, String body) {
        /** The operation name, e.g. {@code SendMessage}. */
        public String operation() {
            return target.substring(target.lastIndexOf('.') + 1);
        }
    }

    /** What the endpoint answers: a status and a JSON body. */
    public record Answer(int status, String json) {
        public static Answer ok(String json) {
            return new Answer(200, json);
        }

        /** An error in the AWS JSON protocol's shape; the SDK throws it as the service's exception. */
        public static Answer error(int status, String type, String message) {
            return new Answer(status, "{\"__type\":\"" + type + "\",\"message\":\"" + message.replace("\"", "'") + "\"}");
        }
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private LoopbackAws(HttpServer server) {
        this.server = server;
    }

    public static LoopbackAws start(Function<Call, Answer> answers) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on the loopback interface", e);
        }
        LoopbackAws aws = new LoopbackAws(server);
        server.createContext("/", exchange -> aws.serve(exchange, answers));
        server.start();
        return aws;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request received so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<String> operations() {
        return calls.stream().map(Call::operation).toList();
    }

    private void serve(HttpExchange exchange, Function<Call, Answer> answers) throws IOException {
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            Call call = new Call(target, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            calls.add(call);
            Answer answer;
            try {
                answer = answers.apply(call);
            } catch (RuntimeException e) {
                answer = Answer.error(500, "InternalFailure", String.valueOf(e.getMessage()));
            }
            byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops listening at once: no socket stays open in a SnapStart snapshot. */
    @Override
    public void close() {
        server.stop(0);
    }
}
