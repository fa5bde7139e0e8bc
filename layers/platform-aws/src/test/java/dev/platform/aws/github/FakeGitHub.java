package dev.platform.aws.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small GitHub for the tests: JDK {@code HttpServer} on 127.0.0.1, any free port, its API below a
 * prefix ("" as github.com, {@code /api/v3} as GitHub Enterprise Server). Each route is scripted per test
 * (replies used once, in order, then a standing reply). As GitHub does, it checks the App's JWT on
 * {@code /app/...} (RS256 with the App's public key, iss, iat and exp) and an installation token it
 * issued on {@code /repos/...}, answering 401 otherwise, and issues installation tokens itself. A fake
 * without a key checks nothing: it stands for codeload, where a tarball's redirect goes.
 */
final class FakeGitHub implements AutoCloseable {
    /** One request as it arrived. */
    record Request(String method, String rawPath, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            for (var entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().isEmpty() ? null : entry.getValue().get(0);
                }
            }
            return null;
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** How a route answers. */
    @FunctionalInterface
    interface Reply {
        void send(HttpExchange exchange) throws IOException;
    }

    private static final Pattern ACCESS_TOKENS = Pattern.compile("/app/installations/(\\d+)/access_tokens");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String prefix;
    private final Clock clock;
    private final String appId;
    private final RSAPublicKey appKey;
    private final Map<String, Deque<Reply>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Reply> standing = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> authFailures = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> issuedTokens = new ConcurrentHashMap<>();
    private final List<String> seenJwts = new CopyOnWriteArrayList<>();
    private final Map<Long, AtomicInteger> tokensPerInstallation = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final SecureRandom random = new SecureRandom();
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile Duration tokenDelay = Duration.ZERO;

    private FakeGitHub(String prefix, Clock clock, String appId, RSAPublicKey appKey) throws IOException {
        this.prefix = prefix;
        this.clock = clock;
        this.appId = appId;
        this.appKey = appKey;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The API of an App with {@code appId} and {@code appKey}, below {@code prefix}. */
    static FakeGitHub api(String prefix, Clock clock, String appId, RSAPublicKey appKey) {
        try {
            return new FakeGitHub(prefix, clock, appId, appKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Codeload: no credentials checked (its URLs are signed), no prefix. */
    static FakeGitHub codeload(Clock clock) {
        return api("", clock, null, null);
    }

    /** Where the API is: what {@code GitHubApp} takes as its base URL. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + prefix);
    }

    /** Replies for {@code method path} (below the prefix, no query), each used once, in order. */
    FakeGitHub on(String method, String path, Reply... replies) {
        scripted.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).addAll(List.of(replies));
        return this;
    }

    /** The reply for {@code method path} once the scripted ones are used. */
    FakeGitHub always(String method, String path, Reply reply) {
        standing.put(method + " " + path, reply);
        return this;
    }

    FakeGitHub tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    /** How long issuing a token takes: long enough for concurrent callers to meet. */
    FakeGitHub tokenDelay(Duration delay) {
        this.tokenDelay = delay;
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests for {@code method path} (path below the prefix, as sent: still escaped). */
    List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.rawPath().equals(prefix + path)).toList();
    }

    /** Why credentials were refused, one entry per refusal; empty when every call was authenticated. */
    List<String> authFailures() {
        return List.copyOf(authFailures);
    }

    int tokensIssued() {
        return tokensPerInstallation.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int tokensIssued(long installation) {
        AtomicInteger count = tokensPerInstallation.get(installation);
        return count == null ? 0 : count.get();
    }

    /** Every installation token and JWT handed out or seen: what must never appear in a message or a log. */
    List<String> secrets() {
        List<String> secrets = new ArrayList<>(issuedTokens.keySet());
        secrets.addAll(seenJwts);
        return secrets;
    }

    /** Released when the fake closes: lets a stalling reply end. */
    boolean awaitClose(Duration atMost) throws InterruptedException {
        return closed.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    // --- replies

    static Reply json(int status, String body, String... headerNamesAndValues) {
        return exchange -> {
            for (int i = 0; i < headerNamesAndValues.length; i += 2) {
                exchange.getResponseHeaders().add(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        };
    }

    static Reply status(int status) {
        return json(status, "");
    }

    static Reply redirect(String location) {
        return exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        };
    }

    /** The bytes, chunked, in 64 KiB writes. */
    static Reply bytes(byte[] body) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/x-gzip");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int from = 0; from < body.length; from += 65_536) {
                    out.write(body, from, Math.min(65_536, body.length - from));
                }
            }
        };
    }

    // --- serving

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI uri = exchange.getRequestURI();
            Request request = new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body);
            requests.add(request);
            if (!request.rawPath().startsWith(prefix + "/")) {
                json(404, "{\"message\":\"Not Found (outside " + prefix + ")\"}").send(exchange);
                return;
            }
            String path = request.rawPath().substring(prefix.length());
            if (appKey != null) {
                String refusal = path.startsWith("/app/") ? checkJwt(request.header("Authorization"))
                        : path.startsWith("/repos/") ? checkInstallationToken(request.header("Authorization")) : null;
                if (refusal != null) {
                    authFailures.add(request.method() + " " + path + ": " + refusal);
                    json(401, "{\"message\":\"Bad credentials\"}").send(exchange);
                    return;
                }
            }
            String route = request.method() + " " + path;
            Deque<Reply> replies = scripted.get(route);
            Reply reply = null;
            if (replies != null) {
                synchronized (replies) {
                    reply = replies.poll();
                }
            }
            if (reply == null) {
                reply = standing.get(route);
            }
            Matcher accessTokens = ACCESS_TOKENS.matcher(path);
            if (reply == null && request.method().equals("POST") && accessTokens.matches()) {
                reply = issueToken(Long.parseLong(accessTokens.group(1)));
            }
            if (reply == null) {
                reply = json(404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}");
            }
            reply.send(exchange);
        } catch (IOException | RuntimeException e) {
            // The client went away (a stalled stream it gave up on): nothing to answer.
            exchange.close();
        }
    }

    private Reply issueToken(long installation) {
        return exchange -> {
            try {
                Thread.sleep(tokenDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] raw = new byte[18];
            random.nextBytes(raw);
            String token = "ghs_" + HexFormat.of().formatHex(raw);
            Instant expiresAt = clock.instant().plus(tokenLifetime).truncatedTo(ChronoUnit.SECONDS);
            issuedTokens.put(token, expiresAt);
            tokensPerInstallation.computeIfAbsent(installation, k -> new AtomicInteger()).incrementAndGet();
            json(201, "{\"token\":\"" + token + "\",\"expires_at\":\"" + expiresAt + "\","
                    + "\"permissions\":{\"contents\":\"read\",\"checks\":\"write\"},\"repository_selection\":\"all\"}")
                    .send(exchange);
        };
    }

    /** The App's JWT as GitHub checks it; null when good, else why not. */
    private String checkJwt(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "no Bearer JWT";
        }
        String jwt = authorization.substring("Bearer ".length());
        seenJwts.add(jwt);
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return "not three parts";
        }
        try {
            Base64.Decoder base64url = Base64.getUrlDecoder();
            JsonNode header = Json.MAPPER.readTree(base64url.decode(parts[0]));
            if (!header.equals(Json.MAPPER.readTree("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"))) {
                return "header " + header;
            }
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(appKey);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(base64url.decode(parts[2]))) {
                return "signature does not verify with the App's public key";
            }
            JsonNode claims = Json.MAPPER.readTree(base64url.decode(parts[1]));
            if (!appId.equals(claims.path("iss").asText())) {
                return "iss " + claims.path("iss");
            }
            long now = clock.instant().getEpochSecond();
            long iat = claims.path("iat").asLong(Long.MIN_VALUE);
            long exp = claims.path("exp").asLong(Long.MIN_VALUE);
            if (Math.abs(iat - (now - 60)) > 5) {
                return "iat " + iat + " is not about a minute before now (" + now + ")";
            }
            if (exp - iat > 600 || exp <= now) {
                return "exp " + exp + " is not within ten minutes of iat " + iat + ", after now";
            }
            return null;
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return "unreadable JWT: " + e.getClass().getSimpleName();
        }
    }

    private String checkInstallationToken(String authorization) {
        if (authorization == null) {
            return "no token";
        }
        String token = authorization.replaceFirst("^(Bearer|token) ", "");
        Instant expiresAt = issuedTokens.get(token);
        if (expiresAt == null) {
            return "a token never issued";
        }
        return clock.instant().isBefore(expiresAt) ? null : "an expired token";
    }
}
