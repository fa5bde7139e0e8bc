package dev.platform.local.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import dev.platform.embedded.FreePort;
import dev.platform.local.http.CallCounts;
import dev.platform.local.http.Exchanges;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
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
import java.util.HashMap;
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
 *   <li>Check runs are recorded as created and updated; so are deployments with their statuses (listed
 *       newest first, by {@code sha} and {@code environment}) and pull request comments (listed 100 a page,
 *       edited in place), and the App's reactions on comments (once per comment and content, as GitHub keeps
 *       them; any comment id is taken, since the comments people write are not here).</li>
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
    private static final Pattern DEPLOYMENTS = Pattern.compile("/repos/([^/]+)/([^/]+)/deployments");
    private static final Pattern DEPLOYMENT_STATUSES = Pattern.compile("/repos/([^/]+)/([^/]+)/deployments/(\\d+)/statuses");
    private static final Pattern ISSUE_COMMENTS = Pattern.compile("/repos/([^/]+)/([^/]+)/issues/(\\d+)/comments");
    private static final Pattern ISSUE_COMMENT = Pattern.compile("/repos/([^/]+)/([^/]+)/issues/comments/(\\d+)");
    private static final Pattern REACTIONS = Pattern.compile("/repos/([^/]+)/([^/]+)/issues/comments/(\\d+)/reactions");
    /** The {@code content}s GitHub accepts for a reaction. */
    private static final List<String> REACTION_CONTENTS = List.of("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes");
    /** Marks the runtime's own redeliveries, so its webhook does not record them a second time. */
    public static final String REDELIVERY_HEADER = "X-Local-GitHub-Redelivery";

    /** One webhook delivery attempt as GitHub lists it, with what is needed to send it again. */
    private record Attempt(long id, String guid, String event, Instant deliveredAt, boolean redelivery, int statusCode,
                           Map<String, String> headers, byte[] body) {
    }

    private final HttpServer server;
    private final CallCounts calls = new CallCounts();
    private final String host;
    private final KeyPair key;
    private final List<String> writers;
    private final SecureRandom random = new SecureRandom();
    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, Long> installationByToken = new ConcurrentHashMap<>();
    private final List<ObjectNode> checkRuns = new ArrayList<>();
    private final List<ObjectNode> deployments = new ArrayList<>();
    private final List<ObjectNode> comments = new ArrayList<>();
    private final List<ObjectNode> reactions = new ArrayList<>();
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
        ArrayNode shownDeployments = github.putArray("deployments");
        deployments.forEach(deployment -> shownDeployments.add(deployment.deepCopy()));
        ArrayNode shownComments = github.putArray("comments");
        comments.forEach(comment -> shownComments.add(comment.deepCopy()));
        ArrayNode shownReactions = github.putArray("reactions");
        reactions.forEach(reaction -> shownReactions.addObject().put("commentId", reaction.path("commentId").asLong())
                .put("content", reaction.path("content").asText()));
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
            calls.count(method + " " + path.replaceFirst("^/(repos|_codeload)/[^/]+/[^/]+", "/$1/{repo}")
                    .replaceAll("/[0-9a-f]{40}(?=/|$)", "/{sha}").replaceAll("/\\d+(?=/|$)", "/{id}"));
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
            } else if ((m = DEPLOYMENTS.matcher(path)).matches()) {
                if (installationAuthenticated(exchange)) {
                    deployments(exchange, m.group(1) + "/" + m.group(2));
                }
            } else if (method.equals("POST") && (m = DEPLOYMENT_STATUSES.matcher(path)).matches()) {
                if (installationAuthenticated(exchange)) {
                    deploymentStatus(exchange, Long.parseLong(m.group(3)));
                }
            } else if ((m = ISSUE_COMMENTS.matcher(path)).matches()) {
                if (installationAuthenticated(exchange)) {
                    issueComments(exchange, m.group(1) + "/" + m.group(2), Integer.parseInt(m.group(3)));
                }
            } else if (method.equals("POST") && (m = REACTIONS.matcher(path)).matches()) {
                if (installationAuthenticated(exchange)) {
                    react(exchange, m.group(1) + "/" + m.group(2), Long.parseLong(m.group(3)));
                }
            } else if (method.equals("PATCH") && (m = ISSUE_COMMENT.matcher(path)).matches()) {
                if (installationAuthenticated(exchange)) {
                    editComment(exchange, Long.parseLong(m.group(3)));
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

    /** {@code POST} creates a deployment; {@code GET} lists them newest first, filtered by {@code sha} and {@code environment}. */
    private void deployments(HttpExchange exchange, String repository) throws IOException {
        if (exchange.getRequestMethod().equals("POST")) {
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            ObjectNode deployment = Json.object();
            synchronized (this) {
                deployment.put("id", ids.incrementAndGet()).put("repository", repository)
                        .put("sha", request.path("ref").asText()).put("environment", request.path("environment").asText())
                        .put("transient_environment", request.path("transient_environment").asBoolean())
                        .put("production_environment", request.path("production_environment").asBoolean())
                        .put("description", request.path("description").asText(null));
                deployment.putArray("statuses");
                deployments.add(deployment);
            }
            json(exchange, 201, Json.object().put("id", deployment.get("id").asLong()));
            return;
        }
        Map<String, String> query = query(exchange);
        ArrayNode list = Json.MAPPER.createArrayNode();
        synchronized (this) {
            for (int i = deployments.size() - 1; i >= 0; i--) {
                ObjectNode deployment = deployments.get(i);
                if (deployment.path("repository").asText().equals(repository)
                        && (!query.containsKey("sha") || query.get("sha").equals(deployment.path("sha").asText()))
                        && (!query.containsKey("environment")
                                || query.get("environment").equals(deployment.path("environment").asText()))) {
                    list.addObject().put("id", deployment.path("id").asLong()).put("sha", deployment.path("sha").asText())
                            .put("environment", deployment.path("environment").asText());
                }
            }
        }
        json(exchange, 200, list);
    }

    private void deploymentStatus(HttpExchange exchange, long deploymentId) throws IOException {
        JsonNode status = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
        ObjectNode deployment;
        synchronized (this) {
            deployment = deployments.stream().filter(d -> d.path("id").asLong() == deploymentId).findFirst().orElse(null);
            if (deployment != null) {
                ((ArrayNode) deployment.get("statuses")).add(status);
                deployment.put("state", status.path("state").asText());
                if (status.hasNonNull("environment_url")) {
                    deployment.put("environment_url", status.path("environment_url").asText());
                }
            }
        }
        if (deployment == null) {
            json(exchange, 404, Json.object().put("message", "Not Found"));
        } else {
            json(exchange, 201, Json.object().put("id", ids.incrementAndGet()).put("state", status.path("state").asText()));
        }
    }

    /** {@code POST} adds a comment to the pull request; {@code GET} lists its comments oldest first, 100 a page. */
    private void issueComments(HttpExchange exchange, String repository, int number) throws IOException {
        if (exchange.getRequestMethod().equals("POST")) {
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            ObjectNode comment = Json.object();
            synchronized (this) {
                comment.put("id", ids.incrementAndGet()).put("repository", repository).put("pr", number)
                        .put("body", request.path("body").asText()).put("updated_at", Instant.now().toString());
                comments.add(comment);
            }
            json(exchange, 201, comment);
            return;
        }
        int page = Integer.parseInt(query(exchange).getOrDefault("page", "1"));
        ArrayNode list = Json.MAPPER.createArrayNode();
        synchronized (this) {
            comments.stream().filter(c -> c.path("repository").asText().equals(repository) && c.path("pr").asInt() == number)
                    .skip((page - 1) * 100L).limit(100).forEach(c -> list.add(c.deepCopy()));
        }
        json(exchange, 200, list);
    }

    /** A reaction of the App on a comment: 201 when new, 200 with the existing one when it reacted so before. */
    private void react(HttpExchange exchange, String repository, long commentId) throws IOException {
        String content = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()).path("content").asText();
        if (!REACTION_CONTENTS.contains(content)) {
            json(exchange, 422, Json.object().put("message", "Validation Failed"));
            return;
        }
        ObjectNode reaction;
        boolean created;
        synchronized (this) {
            reaction = reactions.stream().filter(r -> r.path("repository").asText().equals(repository)
                    && r.path("commentId").asLong() == commentId && r.path("content").asText().equals(content))
                    .findFirst().orElse(null);
            created = reaction == null;
            if (created) {
                reaction = Json.object().put("id", ids.incrementAndGet()).put("repository", repository)
                        .put("commentId", commentId).put("content", content);
                reactions.add(reaction);
            }
        }
        json(exchange, created ? 201 : 200, Json.object().put("id", reaction.path("id").asLong()).put("content", content));
    }

    private void editComment(HttpExchange exchange, long id) throws IOException {
        JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
        ObjectNode comment;
        synchronized (this) {
            comment = comments.stream().filter(c -> c.path("id").asLong() == id).findFirst().orElse(null);
            if (comment != null) {
                comment.put("body", request.path("body").asText()).put("updated_at", Instant.now().toString());
            }
        }
        if (comment == null) {
            json(exchange, 404, Json.object().put("message", "Not Found"));
        } else {
            json(exchange, 200, comment);
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
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

    /** The calls answered so far, per operation. */
    public CallCounts calls() {
        return calls;
    }
}
