package dev.platform.local.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import dev.platform.embedded.FreePort;
import dev.platform.local.http.Exchanges;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub, locally, as the platform's GitHub App sees it: the REST endpoints the App's adapter calls,
 * behind the same authentication GitHub uses. The runtime generates the App's RSA key at start and
 * hands it to the functions as their App credentials; app JWTs are verified against it, installation
 * tokens are issued (an hour long) and required on repository calls.
 *
 * <ul>
 *   <li>Every commit of every repository exists: its tarball is a small generated repository (a
 *       Dockerfile and a page naming the commit), served through a redirect as GitHub's codeload does.</li>
 *   <li>Permissions: a repository's owner is its admin, the logins of {@code PLATFORM_LOCAL_GITHUB_WRITERS}
 *       may write, everyone else may read.</li>
 *   <li>Check runs are recorded as created and updated.</li>
 *   <li>The App's webhook deliveries are the deliveries the runtime's webhook answered; a redelivery sends
 *       the same request again to the webhook and is recorded as a new attempt.</li>
 * </ul>
 */
public final class LocalGitHub implements AutoCloseable {
    public static final String APP_ID = "1";
    private static final Pattern ACCESS_TOKENS = Pattern.compile("/app/installations/(\\d+)/access_tokens");
    private static final Pattern TARBALL = Pattern.compile("/repos/([^/]+)/([^/]+)/tarball/([0-9a-f]{40})");
    private static final Pattern CODELOAD = Pattern.compile("/_codeload/([^/]+)/([^/]+)/legacy\\.tar\\.gz/([0-9a-f]{40})");
    private static final Pattern PERMISSION = Pattern.compile("/repos/([^/]+)/([^/]+)/collaborators/([^/]+)/permission");
    private static final Pattern CHECK_RUNS = Pattern.compile("/repos/([^/]+)/([^/]+)/check-runs");
    private static final Pattern CHECK_RUN = Pattern.compile("/repos/([^/]+)/([^/]+)/check-runs/(\\d+)");
    private static final Pattern DELIVERY_ATTEMPTS = Pattern.compile("/app/hook/deliveries/(\\d+)/attempts");
    /** Marks the runtime's own redeliveries, so its webhook does not record them a second time. */
    public static final String REDELIVERY_HEADER = "X-Local-GitHub-Redelivery";

    /** One webhook delivery attempt as GitHub lists it, with what is needed to send it again. */
    private record Attempt(long id, String guid, String event, Instant deliveredAt, boolean redelivery, int statusCode,
                           Map<String, String> headers, byte[] body) {
    }

    private final HttpServer server;
    private final String host;
    private final KeyPair key;
    private final List<String> writers;
    private final SecureRandom random = new SecureRandom();
    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, Long> installationByToken = new ConcurrentHashMap<>();
    private final List<ObjectNode> checkRuns = new ArrayList<>();
    private final List<Attempt> deliveries = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile URI webhook;

    private LocalGitHub(HttpServer server, String host, KeyPair key, List<String> writers) {
        this.server = server;
        this.host = host;
        this.key = key;
        this.writers = writers.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
    }

    public static LocalGitHub start(String host, List<String> writers) throws IOException {
        KeyPair key;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            key = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is unavailable", e);
        }
        HttpServer server = Exchanges.listen(host, 0, 64);
        LocalGitHub gitHub = new LocalGitHub(server, host, key, writers);
        server.createContext("/", gitHub::serve);
        server.start();
        return gitHub;
    }

    /** The API's base URL (what {@code GITHUB_API_URL} is set to). */
    public URI endpoint() {
        return FreePort.url(host, server.getAddress().getPort());
    }

    /** The App's private key, PKCS#8 PEM: the functions' App credentials. */
    public String privateKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** Where redeliveries are sent: the runtime's webhook. */
    public void deliverTo(URI webhookUrl) {
        this.webhook = webhookUrl;
    }

    /** The runtime's webhook answered a delivery: GitHub records the attempt. */
    public synchronized void recorded(Map<String, String> headers, byte[] body, int statusCode) {
        String guid = header(headers, "X-GitHub-Delivery");
        if (guid == null || header(headers, REDELIVERY_HEADER) != null) {
            return;
        }
        deliveries.add(new Attempt(ids.incrementAndGet(), guid, header(headers, "X-GitHub-Event"), Instant.now(), false,
                statusCode, Map.copyOf(headers), body));
    }

    /** What the local GitHub holds, for {@code GET /_local/resources}. */
    public synchronized ObjectNode resources() {
        ObjectNode github = Json.object();
        ArrayNode runs = github.putArray("checkRuns");
        checkRuns.forEach(run -> runs.add(run.deepCopy()));
        ArrayNode attempts = github.putArray("deliveries");
        for (Attempt attempt : deliveries) {
            attempts.addObject().put("id", attempt.id()).put("guid", attempt.guid()).put("event", attempt.event())
                    .put("deliveredAt", attempt.deliveredAt().toString()).put("redelivery", attempt.redelivery())
                    .put("statusCode", attempt.statusCode());
        }
        return github;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher m;
            if (method.equals("POST") && (m = ACCESS_TOKENS.matcher(path)).matches()) {
                if (appAuthenticated(exchange)) {
                    String token = "ghs_local" + HexFormat.of().formatHex(random.generateSeed(16));
                    installationByToken.put(token, Long.parseLong(m.group(1)));
                    json(exchange, 201, Json.object().put("token", token)
                            .put("expires_at", Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
                }
            } else if (method.equals("GET") && (m = TARBALL.matcher(path)).matches()) {
                if (installationAuthenticated(exchange)) {
                    exchange.getResponseHeaders().add("Location", endpoint().resolve("/_codeload/" + m.group(1) + "/" + m.group(2)
                            + "/legacy.tar.gz/" + m.group(3) + "?token=" + HexFormat.of().formatHex(random.generateSeed(8))).toString());
                    exchange.sendResponseHeaders(302, -1);
                }
            } else if (method.equals("GET") && (m = CODELOAD.matcher(path)).matches()) {
                byte[] tarball = RepositoryArchive.tarGz(m.group(1) + "/" + m.group(2), m.group(3));
                Exchanges.send(exchange, 200, "application/x-gzip", tarball);
            } else if (method.equals("GET") && (m = PERMISSION.matcher(path)).matches()) {
                if (installationAuthenticated(exchange)) {
                    String role = roleOf(m.group(1), m.group(3));
                    ObjectNode answer = Json.object().put("permission", role.equals("maintain") ? "write" : role).put("role_name", role);
                    answer.putObject("user").put("login", m.group(3));
                    json(exchange, 200, answer);
                }
            } else if (method.equals("POST") && (m = CHECK_RUNS.matcher(path)).matches()) {
                if (installationAuthenticated(exchange)) {
                    ObjectNode run = (ObjectNode) Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
                    synchronized (this) {
                        run.put("id", ids.incrementAndGet());
                        run.put("repository", m.group(1) + "/" + m.group(2));
                        checkRuns.add(run);
                    }
                    json(exchange, 201, Json.object().put("id", run.get("id").asLong()));
                }
            } else if (method.equals("PATCH") && (m = CHECK_RUN.matcher(path)).matches()) {
                if (installationAuthenticated(exchange)) {
                    JsonNode update = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
                    long id = Long.parseLong(m.group(3));
                    ObjectNode run;
                    synchronized (this) {
                        run = checkRuns.stream().filter(r -> r.path("id").asLong() == id).findFirst().orElse(null);
                        if (run != null) {
                            run.setAll((ObjectNode) update);
                        }
                    }
                    if (run == null) {
                        json(exchange, 404, Json.object().put("message", "Not Found"));
                    } else {
                        json(exchange, 200, Json.object().put("id", id));
                    }
                }
            } else if (method.equals("GET") && path.equals("/app/hook/deliveries")) {
                if (appAuthenticated(exchange)) {
                    json(exchange, 200, deliveryList());
                }
            } else if (method.equals("POST") && (m = DELIVERY_ATTEMPTS.matcher(path)).matches()) {
                if (appAuthenticated(exchange)) {
                    redeliver(exchange, Long.parseLong(m.group(1)));
                }
            } else {
                json(exchange, 404, Json.object().put("message", "Not Found").put("documentation_url",
                        "the local GitHub answers only what the platform's GitHub App calls"));
            }
        } catch (RuntimeException e) {
            JsonLog.error("local GitHub failed", Map.of("path", exchange.getRequestURI().getPath()), e);
            json(exchange, 500, Json.object().put("message", "the local GitHub failed; see the runtime's log"));
        }
    }

    /** Newest first, as GitHub lists them (one page: the local runtime keeps few). */
    private synchronized ArrayNode deliveryList() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (int i = deliveries.size() - 1; i >= 0; i--) {
            Attempt attempt = deliveries.get(i);
            list.addObject().put("id", attempt.id()).put("guid", attempt.guid()).put("event", attempt.event())
                    .put("delivered_at", attempt.deliveredAt().toString()).put("redelivery", attempt.redelivery())
                    .put("status_code", attempt.statusCode());
        }
        return list;
    }

    /** Sends the attempt's request to the webhook again, as GitHub does, and records how it went. */
    private void redeliver(HttpExchange exchange, long id) throws IOException {
        Attempt original;
        synchronized (this) {
            original = deliveries.stream().filter(a -> a.id() == id).findFirst().orElse(null);
        }
        if (original == null || webhook == null) {
            json(exchange, 404, Json.object().put("message", "Not Found"));
            return;
        }
        json(exchange, 202, Json.object());
        Thread.ofVirtual().start(() -> {
            int status;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(webhook).POST(HttpRequest.BodyPublishers.ofByteArray(original.body()))
                        .header(REDELIVERY_HEADER, Long.toString(id));
                original.headers().forEach((name, value) -> {
                    if (name.regionMatches(true, 0, "X-GitHub-", 0, 9) || name.regionMatches(true, 0, "X-Hub-", 0, 6)
                            || name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("User-Agent")) {
                        request.header(name, value);
                    }
                });
                status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException | InterruptedException e) {
                status = 0;
            }
            synchronized (this) {
                deliveries.add(new Attempt(ids.incrementAndGet(), original.guid(), original.event(), Instant.now(), true, status,
                        original.headers(), original.body()));
            }
        });
    }

    private String roleOf(String owner, String login) {
        if (login.equalsIgnoreCase(owner)) {
            return "admin";
        }
        return writers.contains(login.toLowerCase(Locale.ROOT)) ? "write" : "read";
    }

    /** A valid app JWT: RS256 under the App's key, issued by the App, not expired, at most 10 minutes long. */
    private boolean appAuthenticated(HttpExchange exchange) throws IOException {
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        String[] parts = authorization.startsWith("Bearer ") ? authorization.substring(7).split("\\.") : new String[0];
        boolean valid = false;
        if (parts.length == 3) {
            try {
                Signature verifier = Signature.getInstance("SHA256withRSA");
                verifier.initVerify((RSAPublicKey) key.getPublic());
                verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
                JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
                long now = Instant.now().getEpochSecond();
                valid = verifier.verify(Base64.getUrlDecoder().decode(parts[2]))
                        && APP_ID.equals(claims.path("iss").asText())
                        && claims.path("exp").asLong() > now && claims.path("iat").asLong() <= now + 60
                        && claims.path("exp").asLong() - claims.path("iat").asLong() <= 600;
            } catch (java.security.GeneralSecurityException | IllegalArgumentException | IOException e) {
                valid = false;
            }
        }
        if (!valid) {
            json(exchange, 401, Json.object().put("message", "A JSON web token could not be decoded"));
        }
        return valid;
    }

    private boolean installationAuthenticated(HttpExchange exchange) throws IOException {
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        String token = authorization.replaceFirst("^(token|Bearer) ", "");
        if (!installationByToken.containsKey(token)) {
            json(exchange, 401, Json.object().put("message", "Bad credentials"));
            return false;
        }
        return true;
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        Exchanges.send(exchange, status, "application/json; charset=utf-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
