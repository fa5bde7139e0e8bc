package dev.platform.aws.github;

import static dev.platform.aws.github.FakeGitHub.json;
import static dev.platform.aws.github.FakeGitHub.redirect;
import static dev.platform.aws.github.FakeGitHub.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.github.app.CheckRun;
import dev.platform.core.github.app.GitHubException;
import dev.platform.core.github.app.GitHubException.Kind;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.ids.CommitSha;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** GitHub's failures as GitHubException kinds, retried where retrying can help; no secret in any message or log. */
class GitHubAppErrorsTest extends GitHubAppFixture {
    private static final String PERMISSION = "/repos/acme/shop/collaborators/octocat/permission";
    private static final String CHECK_RUNS = "/repos/acme/shop/check-runs";
    private static final String WRITE = "{\"role_name\":\"write\"}";
    private static final CheckRun QUEUED = new CheckRun("preview build", "b-1", CheckRun.Status.QUEUED, null, null, null, null);
    private static final CommitSha HEAD = CommitSha.of("b".repeat(40));

    private final List<String> messages = new ArrayList<>();

    private GitHubException failure(Executable call) {
        GitHubException error = assertThrows(GitHubException.class, call);
        messages.add(error.getMessage());
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            messages.add(String.valueOf(cause.getMessage()));
        }
        return error;
    }

    @Test
    void aServerErrorIsRetriedUntilItSucceeds() {
        github.on("GET", PERMISSION, status(500), json(502, "{\"message\":\"Server Error\"}"), json(200, WRITE));
        assertEquals(RepositoryPermission.WRITE, app.permissionOf(INSTALLATION, REPO, "octocat"));
        assertEquals(3, github.requests("GET", PERMISSION).size());
        assertTrue(log().contains("GitHub call retried"), log());
    }

    @Test
    void aServerErrorEveryTimeIsUnavailableAfterTheRetries() {
        github.always("GET", PERMISSION, json(503, "{\"message\":\"Service Unavailable\"}"));
        GitHubException error = failure(() -> app.permissionOf(INSTALLATION, REPO, "octocat"));
        assertEquals(Kind.UNAVAILABLE, error.kind());
        assertEquals(503, error.status());
        assertEquals("GitHub GET " + PERMISSION + ": 503 (Service Unavailable) after 3 attempts", error.getMessage());
        assertEquals(3, github.requests("GET", PERMISSION).size());
    }

    @Test
    void rateLimitsAreRetriedThenUnavailable() {
        github.on("GET", PERMISSION, json(403, "{\"message\":\"API rate limit exceeded\"}", "x-ratelimit-remaining", "0"),
                json(429, "{\"message\":\"secondary rate limit\"}", "retry-after", "1"), json(200, WRITE));
        assertEquals(RepositoryPermission.WRITE, app.permissionOf(INSTALLATION, REPO, "octocat"));

        github.always("POST", CHECK_RUNS, json(429, "{\"message\":\"slow down\"}"));
        GitHubException error = failure(() -> app.create(INSTALLATION, REPO, HEAD, QUEUED));
        assertEquals(Kind.UNAVAILABLE, error.kind());
        assertEquals("GitHub POST " + CHECK_RUNS + ": 429 rate limited (slow down) after 3 attempts", error.getMessage());
    }

    @Test
    void unauthorizedOrForbiddenIsNoAccessAndNotRetried() {
        github.always("GET", PERMISSION, json(401, "{\"message\":\"Bad credentials\"}"));
        GitHubException unauthorized = failure(() -> app.permissionOf(INSTALLATION, REPO, "octocat"));
        assertEquals(Kind.NO_ACCESS, unauthorized.kind());
        assertEquals(401, unauthorized.status());
        assertEquals(1, github.requests("GET", PERMISSION).size());

        github.always("POST", CHECK_RUNS, json(403, "{\"message\":\"Resource not accessible by integration\"}",
                "x-ratelimit-remaining", "4999"));
        GitHubException forbidden = failure(() -> app.create(INSTALLATION, REPO, HEAD, QUEUED));
        assertEquals(Kind.NO_ACCESS, forbidden.kind());
        assertEquals("GitHub POST " + CHECK_RUNS + ": 403 (Resource not accessible by integration)", forbidden.getMessage());
        assertEquals(1, github.requests("POST", CHECK_RUNS).size());
    }

    @Test
    void otherRefusalsAreRejectedAndNotRetried() {
        github.always("POST", CHECK_RUNS, json(422, "{\"message\":\"Validation Failed\",\"errors\":[{\"code\":\"invalid\"}]}"));
        GitHubException error = failure(() -> app.create(INSTALLATION, REPO, HEAD, QUEUED));
        assertEquals(Kind.REJECTED, error.kind());
        assertEquals(422, error.status());
        assertEquals("GitHub POST " + CHECK_RUNS + ": 422 (Validation Failed)", error.getMessage());
        assertEquals(1, github.requests("POST", CHECK_RUNS).size());
    }

    @Test
    void aSlowAnswerIsATimeoutRetriedThenUnavailable() {
        GitHubApp impatient = new GitHubApp(github.baseUrl(), GitHubAppSecrets.fixed(APP_ID, TestKeys.PKCS1_PEM), clock,
                new GitHubApp.Timeouts(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(2)), FAST_RETRIES);
        impatient.permissionOf(INSTALLATION, REPO, "nobody");  // a token first: only the slow call times out
        github.always("GET", PERMISSION, exchange -> {
            try {
                github.awaitClose(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        GitHubException error = failure(() -> impatient.permissionOf(INSTALLATION, REPO, "octocat"));
        assertEquals(Kind.UNAVAILABLE, error.kind());
        assertEquals(0, error.status());
        assertEquals("GitHub GET " + PERMISSION + ": no answer after 3 attempts (HttpTimeoutException)", error.getMessage());
        assertEquals(3, github.requests("GET", PERMISSION).size());
    }

    @Test
    void noServerIsUnavailable() throws Exception {
        URI nothing;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nothing = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        GitHubApp nowhere = new GitHubApp(nothing, GitHubAppSecrets.fixed(APP_ID, TestKeys.PKCS1_PEM), clock, FAST_TIMEOUTS,
                FAST_RETRIES);
        GitHubException error = failure(() -> nowhere.redeliver(1));
        assertEquals(Kind.UNAVAILABLE, error.kind());
        assertEquals(0, error.status());
        assertTrue(error.getMessage().startsWith("GitHub POST /app/hook/deliveries/1/attempts: no answer after 3 attempts ("),
                error.getMessage());
    }

    @Test
    void noTokenJwtKeyOrSignedUrlEverAppearsInAMessageOrTheLog() throws Exception {
        String tarball = "/repos/acme/shop/tarball/" + HEAD.value();
        github.on("GET", PERMISSION, status(500), json(401, "{\"message\":\"Bad credentials\"}"));
        github.always("POST", CHECK_RUNS, json(422, "{\"message\":\"Validation Failed\"}"));
        github.always("GET", tarball, redirect(codeload.baseUrl() + "/a/b/legacy.tar.gz?token=SIGNEDCODELOADTOKEN123"));
        codeload.always("GET", "/a/b/legacy.tar.gz", status(500));
        github.always("GET", "/app/hook/deliveries", status(502));

        failure(() -> app.permissionOf(INSTALLATION, REPO, "octocat"));
        failure(() -> app.create(INSTALLATION, REPO, HEAD, QUEUED));
        failure(() -> app.withTarball(INSTALLATION, REPO, HEAD, InputStream::readAllBytes));
        failure(() -> app.since(java.time.Instant.EPOCH));

        List<String> secrets = new ArrayList<>(github.secrets());
        secrets.add("SIGNEDCODELOADTOKEN123");
        secrets.add(TestKeys.PKCS1_PEM.split("\n")[3]);
        assertTrue(github.secrets().size() >= 3, "tokens and JWTs were used");
        assertTrue(log().contains("GitHub call retried"), "the retries were logged");
        for (String secret : secrets) {
            for (String message : messages) {
                assertFalse(message.contains(secret), message);
            }
            assertFalse(log().contains(secret), "the log holds no secret");
        }
        assertEquals(4, messages.stream().filter(m -> m.startsWith("GitHub ")).count(), messages.toString());
    }
}
