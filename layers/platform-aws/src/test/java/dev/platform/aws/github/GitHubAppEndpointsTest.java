package dev.platform.aws.github;

import static dev.platform.aws.github.FakeGitHub.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.github.app.CheckRun;
import dev.platform.core.github.app.HookDelivery;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Permissions, check runs and webhook deliveries: the paths, headers and bodies GitHub documents. */
class GitHubAppEndpointsTest extends GitHubAppFixture {
    private static final CommitSha HEAD = CommitSha.of("6dcb09b5b57875f334f61aebed695e2e4193db5e");

    private RepositoryPermission permissionAnswered(String login, String body) {
        github.on("GET", "/repos/acme/shop/collaborators/" + login + "/permission", json(200, body));
        return app.permissionOf(INSTALLATION, REPO, login);
    }

    @Test
    void theRoleNameIsThePermissionAndThePermissionFieldTheFallback() {
        assertEquals(RepositoryPermission.MAINTAIN, permissionAnswered("m", "{\"permission\":\"write\",\"role_name\":\"maintain\"}"));
        assertEquals(RepositoryPermission.READ, permissionAnswered("r", "{\"permission\":\"read\",\"role_name\":\"read\"}"));
        assertEquals(RepositoryPermission.TRIAGE, permissionAnswered("t", "{\"permission\":\"read\",\"role_name\":\"triage\"}"));
        assertEquals(RepositoryPermission.WRITE, permissionAnswered("w", "{\"permission\":\"write\",\"role_name\":null}"));
        assertEquals(RepositoryPermission.ADMIN, permissionAnswered("a", "{\"permission\":\"admin\"}"));
        assertEquals(RepositoryPermission.NONE, permissionAnswered("n", "{\"permission\":\"none\",\"role_name\":\"none\"}"));
    }

    @Test
    void aUserWhoIsNotACollaboratorHasNoPermission() {
        assertEquals(RepositoryPermission.NONE, app.permissionOf(INSTALLATION, REPO, "stranger"));
        assertEquals(1, github.requests("GET", "/repos/acme/shop/collaborators/stranger/permission").size());
    }

    @Test
    void aBotsLoginIsEscapedInThePath() {
        github.on("GET", "/repos/acme/shop/collaborators/dependabot%5Bbot%5D/permission", json(200, "{\"role_name\":\"read\"}"));
        assertEquals(RepositoryPermission.READ, app.permissionOf(INSTALLATION, REPO, "dependabot[bot]"));
        assertThrows(IllegalArgumentException.class, () -> app.permissionOf(INSTALLATION, REPO, ".."));
    }

    @Test
    void everyApiCallCarriesGitHubsHeaders() {
        app.permissionOf(INSTALLATION, REPO, "octocat");
        for (FakeGitHub.Request request : github.requests()) {
            assertEquals("application/vnd.github+json", request.header("Accept"));
            assertEquals("2022-11-28", request.header("X-GitHub-Api-Version"));
            assertFalse(request.header("User-Agent").isBlank());
        }
        assertEquals(2, github.requests().size());
    }

    @Test
    void aCheckRunIsCreatedOnceAndUpdatedToCompleted() throws Exception {
        github.on("POST", "/repos/acme/shop/check-runs", json(201, "{\"id\":4242,\"status\":\"in_progress\"}"));
        github.on("PATCH", "/repos/acme/shop/check-runs/4242", json(200, "{\"id\":4242,\"status\":\"completed\"}"));

        long id = app.create(INSTALLATION, REPO, HEAD, new CheckRun("preview build", "b-0123", CheckRun.Status.IN_PROGRESS, null,
                "Building", "Building `Dockerfile` at 6dcb09b", "https://platform.example/builds/b-0123"));
        app.update(INSTALLATION, REPO, id, new CheckRun("preview build", "b-0123", CheckRun.Status.COMPLETED,
                CheckRun.Conclusion.SUCCESS, "Built", "Image ready", "https://platform.example/builds/b-0123"));

        assertEquals(4242, id);
        List<FakeGitHub.Request> created = github.requests("POST", "/repos/acme/shop/check-runs");
        assertEquals(1, created.size());
        assertEquals(Json.MAPPER.readTree("""
                {"name":"preview build","head_sha":"6dcb09b5b57875f334f61aebed695e2e4193db5e","external_id":"b-0123",
                 "status":"in_progress","details_url":"https://platform.example/builds/b-0123",
                 "output":{"title":"Building","summary":"Building `Dockerfile` at 6dcb09b"}}"""), created.get(0).json());
        assertEquals("application/json", created.get(0).header("Content-Type"));
        List<FakeGitHub.Request> updated = github.requests("PATCH", "/repos/acme/shop/check-runs/4242");
        assertEquals(1, updated.size());
        assertEquals(Json.MAPPER.readTree("""
                {"name":"preview build","external_id":"b-0123","status":"completed","conclusion":"success",
                 "details_url":"https://platform.example/builds/b-0123","output":{"title":"Built","summary":"Image ready"}}"""),
                updated.get(0).json());
    }

    @Test
    void aCheckRunWithoutOutputOrDetailsSendsNeither() throws Exception {
        github.on("POST", "/repos/acme/shop/check-runs", json(201, "{\"id\":1}"));
        app.create(INSTALLATION, REPO, HEAD, new CheckRun("preview build", null, CheckRun.Status.QUEUED, null, null, null, null));
        assertEquals(Json.MAPPER.readTree("{\"name\":\"preview build\",\"head_sha\":\"" + HEAD.value() + "\",\"status\":\"queued\"}"),
                github.requests("POST", "/repos/acme/shop/check-runs").get(0).json());
    }

    private static String delivery(long id, String guid, String deliveredAt, boolean redelivery, int statusCode) {
        return "{\"id\":" + id + ",\"guid\":\"" + guid + "\",\"delivered_at\":\"" + deliveredAt + "\",\"redelivery\":" + redelivery
                + ",\"duration\":0.27,\"status\":\"" + (statusCode == 202 ? "OK" : "Invalid HTTP Response: " + statusCode)
                + "\",\"status_code\":" + statusCode + ",\"event\":\"pull_request\",\"action\":\"opened\","
                + "\"installation_id\":42,\"repository_id\":7}";
    }

    private String link(String cursor) {
        return "<" + github.baseUrl() + "/app/hook/deliveries?per_page=100&cursor=" + cursor + ">; rel=\"next\"";
    }

    @Test
    void deliveriesArePagedByTheLinkCursorBackToSince() {
        github.on("GET", "/app/hook/deliveries",
                json(200, "[" + delivery(30, "g-30", "2026-03-01T11:50:00Z", false, 202) + ","
                        + delivery(29, "g-29", "2026-03-01T11:40:00Z", true, 502) + "]", "Link", link("v1_29")),
                json(200, "[" + delivery(28, "g-28", "2026-03-01T11:30:00Z", false, 0) + ","
                        + delivery(27, "g-27", "2026-03-01T10:59:00Z", false, 202) + "]", "Link", link("v1_27")),
                json(200, "[" + delivery(26, "g-26", "2026-03-01T10:00:00Z", false, 202) + "]"));

        List<HookDelivery> deliveries = app.since(Instant.parse("2026-03-01T11:00:00Z"));

        assertEquals(List.of(
                new HookDelivery(30, "g-30", Instant.parse("2026-03-01T11:50:00Z"), false, 202, "pull_request"),
                new HookDelivery(29, "g-29", Instant.parse("2026-03-01T11:40:00Z"), true, 502, "pull_request"),
                new HookDelivery(28, "g-28", Instant.parse("2026-03-01T11:30:00Z"), false, 0, "pull_request")), deliveries);
        assertFalse(deliveries.get(1).delivered());
        List<FakeGitHub.Request> pages = github.requests("GET", "/app/hook/deliveries");
        assertEquals(2, pages.size(), "the third page is older than since: not fetched");
        assertEquals("per_page=100", pages.get(0).query());
        assertEquals("per_page=100&cursor=v1_29", pages.get(1).query());
    }

    @Test
    void deliveriesEndWithTheLastPage() {
        github.on("GET", "/app/hook/deliveries",
                json(200, "[" + delivery(2, "g-2", "2026-03-01T11:50:00Z", false, 202) + "]",
                        "Link", link("v1_2") + ", <" + github.baseUrl() + "/app/hook/deliveries?per_page=100>; rel=\"first\""),
                json(200, "[" + delivery(1, "g-1", "2026-03-01T11:40:00Z", false, 202) + "]",
                        "Link", "<" + github.baseUrl() + "/app/hook/deliveries?per_page=100>; rel=\"first\""));
        assertEquals(List.of(2L, 1L), app.since(Instant.EPOCH).stream().map(HookDelivery::id).toList());
        assertEquals(2, github.requests("GET", "/app/hook/deliveries").size());
    }

    @Test
    void aRedeliveryIsPostedAsTheApp() {
        github.on("POST", "/app/hook/deliveries/12345/attempts", json(202, "{}"));
        app.redeliver(12345);
        List<FakeGitHub.Request> posted = github.requests("POST", "/app/hook/deliveries/12345/attempts");
        assertEquals(1, posted.size());
        String authorization = posted.get(0).header("Authorization");
        assertTrue(authorization.startsWith("Bearer ") && !authorization.startsWith("Bearer ghs_"), "the App's JWT");
        assertEquals(0, github.tokensIssued(), "no installation token for App calls");
        assertNull(posted.get(0).header("Content-Type"));
    }

    @Test
    void nextCursorReadsTheRelNextUrlOnly() {
        var headers = java.net.http.HttpHeaders.of(java.util.Map.of("Link", List.of(
                "<https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_1>; rel=\"prev\", "
                        + "<https://api.github.com/app/hook/deliveries?cursor=v1%3D9&per_page=100>; rel=\"next\"")), (a, b) -> true);
        assertEquals("v1=9", GitHubApp.nextCursor(headers));
        assertNull(GitHubApp.nextCursor(java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true)));
    }
}
