package dev.platform.aws.github;

import static dev.platform.aws.github.FakeGitHub.json;
import static dev.platform.aws.github.FakeGitHub.redirect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.PlatformConfig;
import dev.platform.core.github.app.RepositoryPermission;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GitHub Enterprise Server: the API below {@code /api/v3}; every URL keeps that path. */
class GitHubAppEnterpriseTest extends GitHubAppFixture {

    @Override
    String apiPrefix() {
        return "/api/v3";
    }

    @Test
    void everyCallIsBelowTheBasePath() throws Exception {
        github.always("GET", "/repos/acme/shop/collaborators/octocat/permission", json(200, "{\"role_name\":\"admin\"}"));
        github.always("GET", "/app/hook/deliveries", json(200, "[]"));
        assertEquals(RepositoryPermission.ADMIN, app.permissionOf(INSTALLATION, REPO, "octocat"));
        assertEquals(List.of(), app.since(Instant.EPOCH));
        assertEquals(List.of("/api/v3/app/installations/42/access_tokens", "/api/v3/repos/acme/shop/collaborators/octocat/permission",
                "/api/v3/app/hook/deliveries"), github.requests().stream().map(FakeGitHub.Request::rawPath).toList());
    }

    @Test
    void aBaseUrlWithATrailingSlashIsTheSameBase() {
        GitHubApp slashed = new GitHubApp(URI.create(github.baseUrl() + "/"), GitHubAppSecrets.fixed(APP_ID, TestKeys.PKCS8_PEM),
                clock, FAST_TIMEOUTS, FAST_RETRIES);
        github.always("GET", "/repos/acme/shop/collaborators/octocat/permission", json(200, "{\"role_name\":\"read\"}"));
        assertEquals(RepositoryPermission.READ, slashed.permissionOf(INSTALLATION, REPO, "octocat"));
    }

    @Test
    void theApiUrlSettingIsTheBaseUrl() {
        github.always("GET", "/repos/acme/shop/collaborators/octocat/permission", json(200, "{\"role_name\":\"triage\"}"));
        GitHubApp configured = GitHubApp.fromConfig(new PlatformConfig(Map.of(PlatformConfig.GITHUB_API_URL, github.baseUrl().toString())),
                GitHubAppSecrets.fixed(APP_ID, TestKeys.PKCS1_PEM), clock);
        assertEquals(RepositoryPermission.TRIAGE, configured.permissionOf(INSTALLATION, REPO, "octocat"));

        for (String bad : List.of("ftp://ghe.example/api/v3", "ghe.example/api/v3", "https://user:secret@ghe.example/api/v3",
                "https://ghe.example/api/v3?x=1", "https://ghe example")) {
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> GitHubApp.fromConfig(
                    new PlatformConfig(Map.of(PlatformConfig.GITHUB_API_URL, bad)), GitHubAppSecrets.fixed(APP_ID, "unused"), clock));
            assertTrue(error.getMessage().startsWith("GITHUB_API_URL must be an http(s) URL"), error.getMessage());
            assertFalse(error.getMessage().contains("secret"), "a URL with credentials is never printed");
        }
    }

    @Test
    void theTokenGoesOnlyBelowTheApiPathEvenOnTheSameHost() throws Exception {
        // GitHub Enterprise Server may serve archives from its own host, outside the API (/_codeload/...).
        // A fake rooted at "/" (checking nothing) stands for the whole host.
        String tarball = "/api/v3/repos/acme/shop/tarball/" + GitHubAppTarballTest.COMMIT.value();
        byte[] archive = GitHubAppTarballTest.archive(200_000);
        try (FakeGitHub host = FakeGitHub.api("", clock, null, null)) {
            host.on("POST", "/api/v3/app/installations/42/access_tokens",
                    json(201, "{\"token\":\"ghs_enterprise\",\"expires_at\":\"2099-01-01T00:00:00Z\"}"));
            host.on("GET", tarball, redirect(host.baseUrl() + "/_codeload/acme/shop/x.tar.gz?token=S"));
            host.on("GET", "/_codeload/acme/shop/x.tar.gz", FakeGitHub.bytes(archive));
            GitHubApp onEnterprise = new GitHubApp(URI.create(host.baseUrl() + "/api/v3"),
                    GitHubAppSecrets.fixed(APP_ID, TestKeys.PKCS1_PEM), clock, FAST_TIMEOUTS, FAST_RETRIES);

            assertArrayEquals(archive, onEnterprise.withTarball(INSTALLATION, REPO, GitHubAppTarballTest.COMMIT,
                    InputStream::readAllBytes));

            List<FakeGitHub.Request> requests = host.requests();
            assertEquals(List.of("/api/v3/app/installations/42/access_tokens", tarball, "/_codeload/acme/shop/x.tar.gz"),
                    requests.stream().map(FakeGitHub.Request::rawPath).toList());
            assertEquals("Bearer ghs_enterprise", requests.get(1).header("Authorization"));
            assertNull(requests.get(2).header("Authorization"), "same host, but not the API: no token");
        }
    }
}
