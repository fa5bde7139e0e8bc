package dev.platform.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
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
import java.net.URLDecoder;
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

    /**
     * @param template the route's path as the topology writes it ({@code {name}} segments), API Gateway's resource
     * @param tokenRequired whether the authorizer must allow the request first
     */
    private record Route(FunctionSpec function, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler,
                         String template, boolean tokenRequired) {
    }

    /** A route matched to a request path, with the path parameters it binds. */
    private record Matched(Map<String, Route> byMethod, Map<String, String> pathParameters) {
    }

    private static final String UNAUTHORIZED = "{\"error\":{\"code\":\"unauthorized\",\"message\":"
            + "\"a valid API token is required: Authorization: Bearer <token>\"}}";

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
    /** Routes with path parameters, by template: matched segment by segment, as API Gateway does. */
    private final Map<String, Map<String, Route>> templates = new LinkedHashMap<>();
    private volatile RequestHandler<APIGatewayCustomAuthorizerEvent, Map<String, Object>> authorizer;
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
        switch (function.trigger()) {
            case Trigger.HttpRoute route -> add(new Route(function, handler, route.path(), false), route.method());
            case Trigger.ApiRoutes api -> api.routes().forEach(route ->
                    add(new Route(function, handler, route.path(), route.tokenRequired()), route.method()));
            default -> throw new IllegalArgumentException(function.name() + " has no HTTP route");
        }
    }

    private void add(Route route, String method) {
        Map<String, Map<String, Route>> table = route.template().contains("{") ? templates : routesByPath;
        table.computeIfAbsent(route.template(), p -> new HashMap<>()).put(method, route);
    }

    /** The REST API's authorizer: every route that needs a token asks it first, as API Gateway does. */
    void authorizeWith(RequestHandler<APIGatewayCustomAuthorizerEvent, Map<String, Object>> handler) {
        this.authorizer = handler;
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                serveRequest(exchange);
            } catch (RuntimeException e) {
                // a request the server itself cannot handle is answered, never dropped with the connection
                JsonLog.error("local request failed", Map.of("path", exchange.getRequestURI().getRawPath()), e);
                if (exchange.getResponseCode() == -1) {
                    respond(exchange, 500, "{\"error\":{\"code\":\"internal_error\",\"message\":\"the local runtime could not answer; see its log\"}}");
                }
            }
        }
    }

    private void serveRequest(HttpExchange exchange) throws IOException {
        {
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
            Matched matched = match(path);
            if (matched == null) {
                respond(exchange, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no route for "
                        + path.replaceAll("[^A-Za-z0-9/._~%-]", "") + "\"}}");
                return;
            }
            Map<String, Route> byMethod = matched.byMethod();
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
            APIGatewayProxyRequestEvent event = toEvent(exchange, route, body, matched.pathParameters());
            if (route.tokenRequired()) {
                Map<String, Object> allowed = authorize(exchange, event);
                if (allowed == null) {
                    respond(exchange, 401, UNAUTHORIZED);
                    return;
                }
                event.getRequestContext().setAuthorizer(allowed);
            }
            APIGatewayProxyResponseEvent response;
            try {
                response = route.handler().handleRequest(event, LocalContext.of(route.function()));
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

    private Matched match(String path) {
        Map<String, Route> exact = routesByPath.get(path);
        if (exact != null) {
            return new Matched(exact, Map.of());
        }
        String[] segments = path.split("/", -1);
        for (Map.Entry<String, Map<String, Route>> template : templates.entrySet()) {
            String[] parts = template.getKey().split("/", -1);
            if (parts.length != segments.length) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            boolean matches = true;
            for (int i = 0; i < parts.length && matches; i++) {
                if (parts[i].startsWith("{") && parts[i].endsWith("}")) {
                    matches = !segments[i].isEmpty();
                    parameters.put(parts[i].substring(1, parts[i].length() - 1), decoded(segments[i], false));
                } else {
                    matches = parts[i].equals(segments[i]);
                }
            }
            if (matches) {
                return new Matched(template.getValue(), parameters);
            }
        }
        return null;
    }

    /**
     * A path segment or query part as API Gateway hands it on: percent-decoded, or as sent when it is not valid
     * percent-encoding. A {@code +} is a space only in a query.
     */
    private static String decoded(String part, boolean inQuery) {
        try {
            return URLDecoder.decode(inQuery ? part : part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notPercentEncoded) {
            return part;
        }
    }

    /**
     * The authorizer's context for the request, or null when it is refused. Like API Gateway, a request without
     * the identity source ({@code Authorization}) is refused without asking, and a Deny is the same 401.
     */
    private Map<String, Object> authorize(HttpExchange exchange, APIGatewayProxyRequestEvent event) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        RequestHandler<APIGatewayCustomAuthorizerEvent, Map<String, Object>> handler = authorizer;
        if (authorization == null || authorization.isBlank() || handler == null) {
            return null;
        }
        APIGatewayCustomAuthorizerEvent request = new APIGatewayCustomAuthorizerEvent();
        request.setType("REQUEST");
        request.setMethodArn("arn:aws:execute-api:us-east-1:000000000000:local/local/" + event.getHttpMethod() + event.getPath());
        request.setHeaders(event.getHeaders());
        request.setHttpMethod(event.getHttpMethod());
        request.setResource(event.getResource());
        request.setPath(event.getPath());
        request.setPathParameters(event.getPathParameters());
        request.setQueryStringParameters(event.getQueryStringParameters());
        Map<String, Object> answer;
        try {
            answer = handler.handleRequest(request, LocalContext.of(dev.platform.topology.Topology.API_AUTHORIZER));
        } catch (RuntimeException e) {
            JsonLog.error("authorizer threw", Map.of("path", event.getPath()), e);
            return null;
        }
        if (!allows(answer)) {
            return null;
        }
        Map<String, Object> context = new LinkedHashMap<>();
        if (answer.get("context") instanceof Map<?, ?> values) {
            values.forEach((key, value) -> context.put(String.valueOf(key), value));
        }
        context.put("principalId", answer.get("principalId"));
        return context;
    }

    private static boolean allows(Map<String, Object> answer) {
        if (answer == null || !(answer.get("policyDocument") instanceof Map<?, ?> policy)
                || !(policy.get("Statement") instanceof List<?> statements)) {
            return false;
        }
        boolean allowed = false;
        for (Object statement : statements) {
            if (statement instanceof Map<?, ?> s) {
                if ("Deny".equals(s.get("Effect"))) {
                    return false;
                }
                allowed |= "Allow".equals(s.get("Effect"));
            }
        }
        return allowed;
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

    private static APIGatewayProxyRequestEvent toEvent(HttpExchange exchange, Route route, byte[] body,
                                                       Map<String, String> pathParameters) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiValueHeaders = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name, values.get(values.size() - 1));
            multiValueHeaders.put(name, new ArrayList<>(values));
        });
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod(exchange.getRequestMethod())
                .withPath(exchange.getRequestURI().getPath())
                .withResource(route.template())
                .withHeaders(headers)
                .withMultiValueHeaders(multiValueHeaders)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withRequestId(UUID.randomUUID().toString())
                        .withStage("local")
                        .withHttpMethod(exchange.getRequestMethod())
                        .withResourcePath(route.template()));
        // API Gateway: null when there are none, else the decoded values (the last of a repeated one)
        event.setPathParameters(pathParameters.isEmpty() ? null : pathParameters);
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, List<String>> multiQuery = new LinkedHashMap<>();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decoded(eq < 0 ? pair : pair.substring(0, eq), true);
                String value = eq < 0 ? "" : decoded(pair.substring(eq + 1), true);
                query.put(name, value);
                multiQuery.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        event.setQueryStringParameters(query.isEmpty() ? null : query);
        event.setMultiValueQueryStringParameters(multiQuery.isEmpty() ? null : multiQuery);
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
