package dev.platform.aws.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.github.GitHubHttp.Answer;
import dev.platform.aws.github.GitHubHttp.Call;
import dev.platform.core.github.app.CheckRun;
import dev.platform.core.github.app.CheckRuns;
import dev.platform.core.github.app.CommentReactions;
import dev.platform.core.github.app.CommitArchives;
import dev.platform.core.github.app.GitHubException;
import dev.platform.core.github.app.HookDeliveries;
import dev.platform.core.github.app.HookDelivery;
import dev.platform.core.github.app.PullRequestFeedback;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.github.app.RepositoryPermissions;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's GitHub App over GitHub's REST API: commit tarballs, repository permissions, check runs,
 * deployments, the pull request comment and reactions on comments with installation tokens, webhook
 * deliveries with the App's JWT. Works against github.com and
 * GitHub Enterprise Server ({@code https://HOST/api/v3}): every URL is the base URL plus a path.
 * Thread-safe; build one per function and keep it (it holds the token cache and the HTTP client).
 */
public final class GitHubApp implements CommitArchives, RepositoryPermissions, CheckRuns, HookDeliveries,
        PullRequestFeedback, CommentReactions {
    public static final URI DEFAULT_API_URL = URI.create("https://api.github.com");
    /** Three attempts: retried after half a second, then after a second. */
    public static final List<Duration> DEFAULT_RETRY_DELAYS = List.of(Duration.ofMillis(500), Duration.ofSeconds(1));

    /**
     * @param connect to open a connection
     * @param request for one attempt of an API call, the answer's body included (and a tarball's headers)
     * @param streamIdle longest silence while a tarball streams (it may take minutes in all)
     */
    public record Timeouts(Duration connect, Duration request, Duration streamIdle) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30));

        public Timeouts {
            for (Duration timeout : new Duration[] {connect, request, streamIdle}) {
                if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                    throw new IllegalArgumentException("GitHub timeouts are positive: " + connect + ", " + request + ", " + streamIdle);
                }
            }
        }
    }

    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}");
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"([^\"]*)\"");
    private static final int DELIVERIES_PER_PAGE = 100;
    private static final int COMMENTS_PER_PAGE = 100;
    /** GitHub's limit for a check run's summary. */
    private static final int MAX_SUMMARY_CHARS = 65_535;

    private final GitHubHttp http;
    private final AppJwt jwt;
    private final InstallationTokens tokens;

    /**
     * @param apiUrl {@link #DEFAULT_API_URL}, or {@code https://HOST/api/v3} for GitHub Enterprise Server
     * @param retryDelays the waits between attempts (their number + 1 attempts); empty: no retries
     */
    public GitHubApp(URI apiUrl, GitHubAppCredentialsSource credentials, Clock clock, Timeouts timeouts,
                     List<Duration> retryDelays) {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(clock, "clock");
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(timeouts.connect())
                // Followed by hand: the tarball's redirect goes to a signed URL on another host, which must
                // not receive the installation token.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.http = new GitHubHttp(checkedApiUrl(apiUrl), client, timeouts.request(), timeouts.streamIdle(), retryDelays);
        this.jwt = new AppJwt(credentials, clock);
        this.tokens = new InstallationTokens(this::issueToken, clock);
    }

    /** {@code GITHUB_API_URL} (default {@link #DEFAULT_API_URL}), default timeouts and retries. */
    public static GitHubApp fromConfig(PlatformConfig config, GitHubAppCredentialsSource credentials, Clock clock) {
        URI apiUrl = config.get(PlatformConfig.GITHUB_API_URL).map(value -> {
            try {
                return checkedApiUrl(URI.create(value.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(PlatformConfig.GITHUB_API_URL
                        + " must be an http(s) URL without query or credentials, such as https://api.github.com or https://HOST/api/v3");
            }
        }).orElse(DEFAULT_API_URL);
        return new GitHubApp(apiUrl, credentials, clock, Timeouts.DEFAULT, DEFAULT_RETRY_DELAYS);
    }

    /** SnapStart restore: drop installation tokens captured in the snapshot. */
    public void forgetCachedTokens() {
        tokens.forgetAll();
    }

    @Override
    public <T> T withTarball(InstallationId installation, String repository, CommitSha commit, ArchiveReader<T> reader)
            throws IOException {
        Objects.requireNonNull(reader, "reader");
        Call call = new Call("GET", "/repos/" + repository(repository) + "/tarball/" + commit.value(), null, null,
                installationToken(installation));
        try {
            return asInstallation(installation, () -> {
                try {
                    return http.stream(call, reader);
                } catch (IOException e) {
                    throw new StreamFailure(e);
                }
            });
        } catch (StreamFailure e) {
            throw e.ioException();
        }
    }

    @Override
    public RepositoryPermission permissionOf(InstallationId installation, String repository, String login) {
        Call call = new Call("GET", "/repos/" + repository(repository) + "/collaborators/" + login(login) + "/permission",
                null, null, installationToken(installation));
        JsonNode json;
        try {
            json = asInstallation(installation, () -> http.send(call)).json();
        } catch (GitHubException e) {
            if (e.kind() == GitHubException.Kind.NOT_FOUND) {
                return RepositoryPermission.NONE;  // not a collaborator (or no such user)
            }
            throw e;
        }
        String role = text(json, "role_name");
        return RepositoryPermission.fromWire(role != null ? role : text(json, "permission"));
    }

    @Override
    public long create(InstallationId installation, String repository, CommitSha head, CheckRun run) {
        ObjectNode body = checkRunBody(run);
        body.put("head_sha", head.value());
        Call call = new Call("POST", "/repos/" + repository(repository) + "/check-runs", null, body,
                installationToken(installation));
        Answer answer = asInstallation(installation, () -> http.send(call));
        return id(call, answer, "no check run id");
    }

    @Override
    public void update(InstallationId installation, String repository, long checkRunId, CheckRun run) {
        if (checkRunId < 1) {
            throw new IllegalArgumentException("a check run id is positive: " + checkRunId);
        }
        Call call = new Call("PATCH", "/repos/" + repository(repository) + "/check-runs/" + checkRunId, null,
                checkRunBody(run), installationToken(installation));
        asInstallation(installation, () -> http.send(call));
    }

    @Override
    public List<HookDelivery> since(Instant since) {
        Objects.requireNonNull(since, "since");
        List<HookDelivery> deliveries = new ArrayList<>();
        String cursor = null;
        while (true) {
            String query = "per_page=" + DELIVERIES_PER_PAGE
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Call call = new Call("GET", "/app/hook/deliveries", query, null, appJwt());
            Answer answer = http.send(call);
            JsonNode page = answer.json();
            if (!page.isArray()) {
                throw GitHubHttp.notAsDocumented(call, answer.status(), "no list of deliveries");
            }
            for (JsonNode entry : page) {
                HookDelivery delivery = delivery(call, answer.status(), entry);
                if (delivery.deliveredAt().isBefore(since)) {
                    return deliveries;  // newest first: the rest is older still
                }
                deliveries.add(delivery);
            }
            String next = nextCursor(answer.headers());
            if (next == null || next.equals(cursor) || page.isEmpty()) {
                return deliveries;
            }
            cursor = next;
        }
    }

    @Override
    public void redeliver(long deliveryId) {
        if (deliveryId < 1) {
            throw new IllegalArgumentException("a delivery id is positive: " + deliveryId);
        }
        http.send(new Call("POST", "/app/hook/deliveries/" + deliveryId + "/attempts", null, null, appJwt()));
    }

    @Override
    public long deployment(InstallationId installation, String repository, CommitSha commit, String environment) {
        String path = "/repos/" + repository(repository) + "/deployments";
        OptionalLong existing = firstDeployment(installation, path, "sha=" + commit.value() + "&environment="
                + URLEncoder.encode(environment, StandardCharsets.UTF_8));
        if (existing.isPresent()) {
            return existing.getAsLong();
        }
        ObjectNode body = Json.object().put("ref", commit.value()).put("environment", environment)
                .put("transient_environment", true).put("production_environment", false).put("auto_merge", false)
                .put("description", "Preview of " + commit.shortForm());
        body.putArray("required_contexts");  // the preview build's check run may still be running: deploy anyway
        Call call = new Call("POST", path, null, body, installationToken(installation));
        Answer answer = asInstallation(installation, () -> http.send(call));
        return id(call, answer, "no deployment id");
    }

    @Override
    public void status(InstallationId installation, String repository, long deploymentId, State state, String environmentUrl,
                       String logUrl, String description) {
        ObjectNode body = Json.object().put("state", state.wireName()).put("auto_inactive", true);
        if (environmentUrl != null) {
            body.put("environment_url", environmentUrl);
        }
        if (logUrl != null) {
            body.put("log_url", logUrl);
        }
        if (description != null) {
            // GitHub refuses descriptions over 140 characters
            body.put("description", description.length() > 140 ? description.substring(0, 139) + "…" : description);
        }
        Call call = new Call("POST", "/repos/" + repository(repository) + "/deployments/" + deploymentId + "/statuses", null,
                body, installationToken(installation));
        asInstallation(installation, () -> http.send(call));
    }

    @Override
    public OptionalLong latestDeployment(InstallationId installation, String repository, String environment) {
        return firstDeployment(installation, "/repos/" + repository(repository) + "/deployments",
                "environment=" + URLEncoder.encode(environment, StandardCharsets.UTF_8));
    }

    @Override
    public void comment(InstallationId installation, String repository, PrNumber pr, String marker, String body) {
        if (!body.contains(marker)) {
            throw new IllegalArgumentException("the comment's body must carry its marker");
        }
        String comments = "/repos/" + repository(repository) + "/issues/" + pr.value() + "/comments";
        ObjectNode text = Json.object().put("body", body);
        for (int page = 1; ; page++) {
            Call list = new Call("GET", comments, "per_page=" + COMMENTS_PER_PAGE + "&page=" + page, null,
                    installationToken(installation));
            Answer answer = asInstallation(installation, () -> http.send(list));
            if (!answer.json().isArray()) {
                throw GitHubHttp.notAsDocumented(list, answer.status(), "no list of comments");
            }
            for (JsonNode comment : answer.json()) {
                String existing = text(comment, "body");
                if (existing != null && existing.contains(marker)) {
                    Call edit = new Call("PATCH", "/repos/" + repository(repository) + "/issues/comments/"
                            + id(list, comment), null, text, installationToken(installation));
                    asInstallation(installation, () -> http.send(edit));
                    return;
                }
            }
            if (answer.json().size() < COMMENTS_PER_PAGE) {
                break;
            }
        }
        Call create = new Call("POST", comments, null, text, installationToken(installation));
        asInstallation(installation, () -> http.send(create));
    }

    @Override
    public void react(InstallationId installation, String repository, long commentId, Reaction reaction) {
        if (commentId < 1) {
            throw new IllegalArgumentException("a comment id is positive: " + commentId);
        }
        Objects.requireNonNull(reaction, "reaction");
        // 201 for a new reaction, 200 when the App had already reacted so: both are the reaction being there
        Call call = new Call("POST", "/repos/" + repository(repository) + "/issues/comments/" + commentId + "/reactions",
                null, Json.object().put("content", reaction.content()), installationToken(installation));
        asInstallation(installation, () -> http.send(call));
    }

    /** Deployments are listed newest first. */
    private OptionalLong firstDeployment(InstallationId installation, String path, String query) {
        Call call = new Call("GET", path, query + "&per_page=1", null, installationToken(installation));
        Answer answer = asInstallation(installation, () -> http.send(call));
        if (!answer.json().isArray()) {
            throw GitHubHttp.notAsDocumented(call, answer.status(), "no list of deployments");
        }
        return answer.json().isEmpty() ? OptionalLong.empty() : OptionalLong.of(id(call, answer.json().get(0)));
    }

    private static long id(Call call, Answer answer, String missing) {
        JsonNode id = answer.json().get("id");
        if (id == null || !id.isIntegralNumber()) {
            throw GitHubHttp.notAsDocumented(call, answer.status(), missing);
        }
        return id.longValue();
    }

    private static long id(Call call, JsonNode entry) {
        JsonNode id = entry.get("id");
        if (id == null || !id.isIntegralNumber()) {
            throw GitHubHttp.notAsDocumented(call, 200, "an entry without an id");
        }
        return id.longValue();
    }

    // --- authentication

    private Supplier<String> appJwt() {
        return () -> "Bearer " + jwt.token();
    }

    private Supplier<String> installationToken(InstallationId installation) {
        Objects.requireNonNull(installation, "installation");
        return () -> "Bearer " + tokens.token(installation);
    }

    private InstallationTokens.Token issueToken(InstallationId installation) {
        Call call = new Call("POST", "/app/installations/" + installation.value() + "/access_tokens", null, null, appJwt());
        Answer answer;
        try {
            answer = http.send(call);
        } catch (GitHubException e) {
            if (e.kind() == GitHubException.Kind.NOT_FOUND) {
                // The installation is gone: the App is not installed there (never "no such commit").
                throw new GitHubException(GitHubException.Kind.NO_ACCESS, e.status(),
                        e.getMessage() + ": the App is not installed there", e);
            }
            throw e;
        }
        JsonNode json = answer.json();
        String token = text(json, "token");
        String expiresAt = text(json, "expires_at");
        if (token == null || token.isBlank() || expiresAt == null) {
            throw GitHubHttp.notAsDocumented(call, answer.status(), "no token or expires_at");
        }
        try {
            return new InstallationTokens.Token(token, Instant.parse(expiresAt));
        } catch (DateTimeParseException e) {
            throw GitHubHttp.notAsDocumented(call, answer.status(), "an expires_at that is not an ISO-8601 time");
        }
    }

    /** A 401 on an installation's call means its cached token is no good: the next call fetches another. */
    private <T> T asInstallation(InstallationId installation, Supplier<T> work) {
        try {
            return work.get();
        } catch (GitHubException e) {
            if (e.status() == 401) {
                tokens.refused(installation);
            }
            throw e;
        }
    }

    /** Carries a tarball reader's IOException through a {@link Supplier}. */
    private static final class StreamFailure extends RuntimeException {
        StreamFailure(IOException cause) {
            super(cause);
        }

        IOException ioException() {
            return (IOException) getCause();
        }
    }

    // --- bodies

    /** The fields GitHub documents for creating and updating a check run (head_sha added on create). */
    private static ObjectNode checkRunBody(CheckRun run) {
        Objects.requireNonNull(run, "run");
        ObjectNode body = Json.object();
        body.put("name", run.name());
        if (run.externalId() != null) {
            body.put("external_id", run.externalId());
        }
        body.put("status", run.status().wireName());
        if (run.conclusion() != null) {
            body.put("conclusion", run.conclusion().wireName());
        }
        if (run.detailsUrl() != null) {
            body.put("details_url", run.detailsUrl());
        }
        if (run.title() != null || run.summary() != null) {
            // GitHub requires both in an output; a missing title is the check's name.
            String summary = run.summary() == null ? "" : run.summary();
            body.putObject("output")
                    .put("title", run.title() != null ? run.title() : run.name())
                    .put("summary", summary.length() > MAX_SUMMARY_CHARS ? summary.substring(0, MAX_SUMMARY_CHARS) : summary);
        }
        return body;
    }

    private static HookDelivery delivery(Call call, int status, JsonNode entry) {
        JsonNode id = entry.get("id");
        String guid = text(entry, "guid");
        String deliveredAt = text(entry, "delivered_at");
        if (id == null || !id.isIntegralNumber() || guid == null || deliveredAt == null) {
            throw GitHubHttp.notAsDocumented(call, status, "a delivery without id, guid or delivered_at");
        }
        Instant at;
        try {
            at = Instant.parse(deliveredAt);
        } catch (DateTimeParseException e) {
            throw GitHubHttp.notAsDocumented(call, status, "a delivered_at that is not an ISO-8601 time");
        }
        JsonNode statusCode = entry.get("status_code");
        return new HookDelivery(id.longValue(), guid, at, entry.path("redelivery").asBoolean(false),
                statusCode != null && statusCode.canConvertToInt() ? statusCode.intValue() : 0, text(entry, "event"));
    }

    /** The {@code cursor} of the {@code Link} header's {@code rel="next"} URL; null on the last page. */
    static String nextCursor(HttpHeaders headers) {
        for (String link : headers.allValues("Link")) {
            Matcher matcher = LINK.matcher(link);
            while (matcher.find()) {
                if (!List.of(matcher.group(2).trim().split("\\s+")).contains("next")) {
                    continue;
                }
                String url = matcher.group(1);
                int query = url.indexOf('?');
                if (query < 0) {
                    return null;
                }
                for (String parameter : url.substring(query + 1).split("&")) {
                    if (parameter.startsWith("cursor=")) {
                        return URLDecoder.decode(parameter.substring("cursor=".length()), StandardCharsets.UTF_8);
                    }
                }
                return null;
            }
        }
        return null;
    }

    // --- paths

    private static String repository(String repository) {
        if (repository == null || !REPOSITORY.matcher(repository).matches() || repository.endsWith("/.")
                || repository.endsWith("/..")) {
            throw new IllegalArgumentException("a repository is owner/name: " + repository);
        }
        return repository;
    }

    /** Logins are letters, digits and dashes; an App's bot ({@code name[bot]}) has brackets, escaped here. */
    private static String login(String login) {
        if (login == null || login.isBlank() || login.length() > 100) {
            throw new IllegalArgumentException("a GitHub login is 1 to 100 characters: " + login);
        }
        StringBuilder escaped = new StringBuilder();
        for (byte b : login.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '~')) {
                escaped.append(c);
            } else {
                escaped.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        String segment = escaped.toString();
        if (segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("a GitHub login is not " + login);
        }
        return segment;
    }

    private static URI checkedApiUrl(URI apiUrl) {
        Objects.requireNonNull(apiUrl, "apiUrl");
        String scheme = apiUrl.getScheme();
        if (!apiUrl.isAbsolute() || apiUrl.getHost() == null || apiUrl.getRawQuery() != null || apiUrl.getRawFragment() != null
                || apiUrl.getRawUserInfo() != null || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
            // Not printed: it may hold credentials.
            throw new IllegalArgumentException("a GitHub API URL is http(s)://host[/path], without query or credentials");
        }
        return apiUrl;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
