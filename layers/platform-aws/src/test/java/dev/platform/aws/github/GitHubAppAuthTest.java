package dev.platform.aws.github;

import static dev.platform.aws.github.FakeGitHub.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.github.app.GitHubException;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.ids.InstallationId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The App's JWT from either PEM form, and installation tokens: fetched once, reused, refreshed before expiry. */
class GitHubAppAuthTest extends GitHubAppFixture {
    private static final String PERMISSION = "/repos/acme/shop/collaborators/octocat/permission";

    private void collaboratorsAreWriters() {
        github.always("GET", PERMISSION, json(200, "{\"permission\":\"write\",\"role_name\":\"write\"}"));
    }

    @Test
    void bothPemFormsSignJwtsGitHubAccepts() {
        github.always("GET", "/app/hook/deliveries", json(200, "[]"));
        for (String pem : List.of(TestKeys.PKCS1_PEM, TestKeys.PKCS8_PEM)) {
            GitHubApp withKey = app(pem);
            assertEquals(List.of(), withKey.since(Instant.EPOCH));
        }
        assertEquals(2, github.requests("GET", "/app/hook/deliveries").size());
        // the fixture checks at the end that the fake accepted every JWT
    }

    @Test
    void aGarbagePemIsAClearErrorAtFirstUseAndNothingIsSent() {
        GitHubApp garbage = app("-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n");
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> garbage.permissionOf(INSTALLATION, REPO, "octocat"));
        assertEquals("GitHub App 314159: private key: the RSA PRIVATE KEY block is not a valid RSA private key",
                error.getMessage());
        assertFalse(error.getMessage().contains("bm90IGEga2V5"));
        assertEquals(List.of(), github.requests());
    }

    @Test
    void aKeyOfAnotherAppIsRefusedByGitHubAsNoAccess() throws Exception {
        authFailuresExpected = true;
        var other = java.security.KeyPairGenerator.getInstance("RSA");
        other.initialize(2048);
        GitHubApp wrongKey = app(TestKeys.pem("PRIVATE KEY", other.generateKeyPair().getPrivate().getEncoded()));
        GitHubException error = assertThrows(GitHubException.class, () -> wrongKey.permissionOf(INSTALLATION, REPO, "octocat"));
        assertEquals(GitHubException.Kind.NO_ACCESS, error.kind());
        assertEquals("GitHub POST /app/installations/42/access_tokens: 401 (Bad credentials)", error.getMessage());
        assertEquals(1, github.authFailures().size());
    }

    @Test
    void anInstallationTokenIsFetchedOnceAndReusedForEveryCall() {
        collaboratorsAreWriters();
        github.always("POST", "/repos/acme/shop/check-runs", json(201, "{\"id\":7}"));
        for (int i = 0; i < 3; i++) {
            assertEquals(RepositoryPermission.WRITE, app.permissionOf(INSTALLATION, REPO, "octocat"));
        }
        app.create(INSTALLATION, REPO, dev.platform.core.ids.CommitSha.of("a".repeat(40)),
                new dev.platform.core.github.app.CheckRun("preview build", "b-1", dev.platform.core.github.app.CheckRun.Status.QUEUED,
                        null, null, null, null));
        assertEquals(1, github.tokensIssued(42));
        assertEquals(1, github.requests("POST", "/app/installations/42/access_tokens").size());
    }

    @Test
    void aTokenWithinFiveMinutesOfItsExpiryIsReplaced() {
        collaboratorsAreWriters();
        app.permissionOf(INSTALLATION, REPO, "octocat");
        clock.advance(Duration.ofMinutes(54));
        app.permissionOf(INSTALLATION, REPO, "octocat");
        assertEquals(1, github.tokensIssued(42), "six minutes left: still used");
        clock.advance(Duration.ofMinutes(2));
        app.permissionOf(INSTALLATION, REPO, "octocat");
        assertEquals(2, github.tokensIssued(42), "four minutes left: replaced");
        app.permissionOf(INSTALLATION, REPO, "octocat");
        assertEquals(2, github.tokensIssued(42));
    }

    @Test
    void eachInstallationHasItsOwnToken() {
        collaboratorsAreWriters();
        app.permissionOf(INSTALLATION, REPO, "octocat");
        app.permissionOf(InstallationId.of(43), REPO, "octocat");
        app.permissionOf(InstallationId.of(43), REPO, "octocat");
        assertEquals(1, github.tokensIssued(42));
        assertEquals(1, github.tokensIssued(43));
    }

    @Test
    void concurrentCallersForOneInstallationWaitForOneFetch() throws Exception {
        collaboratorsAreWriters();
        github.tokenDelay(Duration.ofMillis(300));
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RepositoryPermission>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return app.permissionOf(INSTALLATION, REPO, "octocat");
                }));
            }
            start.countDown();
            for (Future<RepositoryPermission> result : results) {
                assertEquals(RepositoryPermission.WRITE, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, github.tokensIssued(42));
    }

    @Test
    void aRefusedTokenIsDroppedAndTheNextCallFetchesAnother() {
        github.on("GET", PERMISSION, json(401, "{\"message\":\"Bad credentials\"}"));
        collaboratorsAreWriters();
        GitHubException error = assertThrows(GitHubException.class, () -> app.permissionOf(INSTALLATION, REPO, "octocat"));
        assertEquals(GitHubException.Kind.NO_ACCESS, error.kind());
        assertEquals(RepositoryPermission.WRITE, app.permissionOf(INSTALLATION, REPO, "octocat"));
        assertEquals(2, github.tokensIssued(42));
    }

    @Test
    void anInstallationThatIsGoneIsNoAccessNotAMissingRepository() {
        github.always("POST", "/app/installations/42/access_tokens", json(404, "{\"message\":\"Not Found\"}"));
        GitHubException error = assertThrows(GitHubException.class, () -> app.permissionOf(INSTALLATION, REPO, "octocat"));
        assertEquals(GitHubException.Kind.NO_ACCESS, error.kind(), "never read as \"not a collaborator\"");
        assertEquals(404, error.status());
        assertTrue(error.getMessage().startsWith("GitHub POST /app/installations/42/access_tokens: 404"), error.getMessage());
    }

    @Test
    void forgettingCachedTokensFetchesAnew() {
        collaboratorsAreWriters();
        app.permissionOf(INSTALLATION, REPO, "octocat");
        app.forgetCachedTokens();
        app.permissionOf(INSTALLATION, REPO, "octocat");
        assertEquals(2, github.tokensIssued(42));
    }
}
