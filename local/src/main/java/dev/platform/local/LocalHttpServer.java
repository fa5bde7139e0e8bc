package dev.platform.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.json.JsonLog;
import dev.platform.local.elb.LocalRouter;
import dev.platform.local.http.Exchanges;
import dev.platform.local.lambda.LocalContext;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Trigger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * API Gateway, locally: each topology route is served by its function through a REST proxy event
 * built from the HTTP request (raw body, headers), and the proxy response is written back.
 */
final class LocalHttpServer implements AutoCloseable {
    /** API Gateway REST refuses larger payloads before any function runs; so does this server. */
    static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    /** How much of a refused body is read and dropped before the connection is closed anyway. */
    private static final long MAX_DISCARDED_BYTES = 64L * 1024 * 1024;
    private static final String TOO_LARGE = "{\"error\":{\"code\":\"payload_too_large\",\"message\":\"the request body is over "
            + MAX_REQUEST_BYTES + " bytes, the API Gateway limit\"}}";

    private record Route(FunctionSpec function, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {
    }

    /** An answer of the runtime's own endpoints. */
    record LocalAnswer(int status, String contentType, byte[] body) {
        static LocalAnswer json(int status, String json) {
            return new LocalAnswer(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** One of the runtime's own {@code /_local/...} endpoints. */
    @FunctionalInterface
    interface LocalEndpoint {
        /** @param rest the path after the endpoint's prefix */
        LocalAnswer handle(String rest) throws IOException;
    }

    private record Local(String method, LocalEndpoint endpoint) {
    }

    /** Sees every answered request to a route, with what it was answered (the local GitHub records webhook deliveries). */
    @FunctionalInterface
    interface Answered {
        void answered(FunctionSpec function, Map<String, String> headers, byte[] body, int status);
    }

    private final HttpServer server;
    private final Map<String, Map<String, Route>> routesByPath = new HashMap<>();
    /** {@code /_local/...} endpoints of the runtime itself, by path prefix (ending in / for a family of paths). */
    private final Map<String, Local> localEndpoints = new HashMap<>();
    private volatile Answered answered = (function, headers, body, status) -> { };
    private volatile LocalRouter router;

    /**
     * Binds the port at once (nothing is served before {@link #start()}), so a busy port is found before
     * the runtime touches any file.
     *
     * @throws StartupConflict when the port is taken
     */
    LocalHttpServer(String bindAddress, int port) throws IOException {
        try {
            server = Exchanges.listen(bindAddress, port, 64);
        } catch (java.net.BindException inUse) {
            throw new StartupConflict("port " + port + " is in use; set PORT");
        }
        server.createContext("/", this::serve);
    }

    /** A read-only endpoint of the local runtime, answered with {@code application/json}. */
    void localEndpoint(String path, java.util.function.Supplier<String> json) {
        localEndpoints.put(path, new Local("GET", rest -> LocalAnswer.json(200, json.get())));
    }

    /** An endpoint of the local runtime; a {@code pathPrefix} ending in {@code /} serves every path below it. */
    void localEndpoint(String method, String pathPrefix, LocalEndpoint endpoint) {
        localEndpoints.put(pathPrefix, new Local(method, endpoint));
    }

    /** Requests whose Host is the load balancers' (a preview's or production's) go there instead of to the routes. */
    void routeHosts(LocalRouter router) {
        this.router = router;
    }

    void onAnswered(Answered listener) {
        this.answered = listener;
    }

    void route(FunctionSpec function, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {
        Trigger.HttpRoute route = (Trigger.HttpRoute) function.trigger();
        routesByPath.computeIfAbsent(route.path(), p -> new HashMap<>()).put(route.method(), new Route(function, handler));
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            LocalRouter hosts = router;
            Optional<LocalRouter.Answer> routed = hosts == null ? Optional.empty()
                    : hosts.route(new LocalRouter.Request(exchange.getRequestMethod(), exchange.getRequestURI(),
                            exchange.getRequestHeaders(), exchange.getRemoteAddress().getAddress().getHostAddress(),
                            exchange.getLocalAddress().getPort(), exchange.getRequestBody()));
            if (routed.isPresent()) {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                routed.get().headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                Exchanges.send(exchange, routed.get().status(), null, routed.get().body());
                return;
            }
            String path = exchange.getRequestURI().getPath();
            for (Map.Entry<String, Local> local : localEndpoints.entrySet()) {
                String prefix = local.getKey();
                if (path.equals(prefix) || (prefix.endsWith("/") && path.startsWith(prefix) && path.length() > prefix.length())) {
                    serveLocal(exchange, local.getValue(), path.substring(prefix.length()));
                    return;
                }
            }
            Map<String, Route> byMethod = routesByPath.get(path);
            if (byMethod == null) {
                respond(exchange, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no route for " + path.replace("\"", "") + "\"}}");
                return;
            }
            Route route = byMethod.get(exchange.getRequestMethod());
            if (route == null) {
                exchange.getResponseHeaders().add("Allow", String.join(", ", byMethod.keySet()));
                respond(exchange, 405, "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"use " + String.join(", ", byMethod.keySet()) + "\"}}");
                return;
            }
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > MAX_REQUEST_BYTES) {
                refuseTooLarge(exchange, Long.parseLong(declared));
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                respond(exchange, 413, TOO_LARGE);
                return;
            }
            APIGatewayProxyResponseEvent response;
            try {
                response = route.handler().handleRequest(toEvent(exchange, route, body), LocalContext.of(route.function()));
            } catch (RuntimeException e) {
                JsonLog.error("function threw", Map.of("function", route.function().name()), e);
                respond(exchange, 502, "{\"error\":{\"code\":\"function_error\",\"message\":\"the function "
                        + route.function().name() + " failed; see the runtime's log\"}}");
                return;
            }
            int status = response.getStatusCode() == null ? 200 : response.getStatusCode();
            answered.answered(route.function(), flatHeaders(exchange), body, status);
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            }
            String responseBody = response.getBody() == null ? "" : response.getBody();
            byte[] bytes = Boolean.TRUE.equals(response.getIsBase64Encoded())
                    ? Base64.getDecoder().decode(responseBody) : responseBody.getBytes(StandardCharsets.UTF_8);
            Exchanges.send(exchange, status, null, bytes);
        }
    }

    private static void serveLocal(HttpExchange exchange, Local local, String rest) throws IOException {
        if (!exchange.getRequestMethod().equals(local.method())) {
            exchange.getResponseHeaders().add("Allow", local.method());
            respond(exchange, 405, "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"use " + local.method() + "\"}}");
            return;
        }
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        LocalAnswer answer;
        try {
            answer = local.endpoint().handle(rest);
        } catch (IOException | RuntimeException e) {
            JsonLog.error("local endpoint failed", Map.of("path", exchange.getRequestURI().getPath()), e);
            respond(exchange, 500, "{\"error\":{\"code\":\"internal_error\",\"message\":\"the local runtime could not answer; see its log\"}}");
            return;
        }
        Exchanges.send(exchange, answer.status(), answer.contentType(), answer.body());
    }

    private static Map<String, String> flatHeaders(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(values.size() - 1)));
        return headers;
    }

    /** Reads the body once, as bytes; null when it exceeds {@link #MAX_REQUEST_BYTES} (the rest is discarded). */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        if (body.length > MAX_REQUEST_BYTES) {
            in.transferTo(OutputStream.nullOutputStream());
            return null;
        }
        return body;
    }

    private static APIGatewayProxyRequestEvent toEvent(HttpExchange exchange, Route route, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiValueHeaders = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name, values.get(values.size() - 1));
            multiValueHeaders.put(name, new ArrayList<>(values));
        });
        Trigger.HttpRoute httpRoute = (Trigger.HttpRoute) route.function().trigger();
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod(exchange.getRequestMethod())
                .withPath(exchange.getRequestURI().getPath())
                .withResource(httpRoute.path())
                .withHeaders(headers)
                .withMultiValueHeaders(multiValueHeaders)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withRequestId(UUID.randomUUID().toString())
                        .withStage("local")
                        .withHttpMethod(exchange.getRequestMethod())
                        .withResourcePath(httpRoute.path()));
        // Like API Gateway: text stays text; anything that is not valid UTF-8 arrives base64-encoded.
        String text = utf8(body);
        return text != null
                ? event.withBody(text).withIsBase64Encoded(false)
                : event.withBody(Base64.getEncoder().encodeToString(body)).withIsBase64Encoded(true);
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Refused on the declared size: the 413 is sent before the body is read. Then the body is read and
     * dropped (up to {@link #MAX_DISCARDED_BYTES}), as servers do, because a client that writes its whole
     * body before it reads the answer would otherwise see the connection reset instead of the 413.
     */
    private static void refuseTooLarge(HttpExchange exchange, long declared) throws IOException {
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        byte[] body = TOO_LARGE.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(413, body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(body);
        out.flush();
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(new DiscardUpTo(Math.min(declared, MAX_DISCARDED_BYTES)));
        } catch (IOException | DiscardUpTo.Enough done) {
            // the client went away, or sent more than is worth reading: the connection is closed either way
        }
        out.close();
    }

    /** Drops what is written to it; past its limit it stops the copy. */
    private static final class DiscardUpTo extends OutputStream {
        static final class Enough extends RuntimeException {
            Enough() {
                super(null, null, false, false);
            }
        }

        private long left;

        DiscardUpTo(long limit) {
            this.left = limit;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            left -= len;
            if (left < 0) {
                throw new Enough();
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        Exchanges.send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(1);
    }
}
