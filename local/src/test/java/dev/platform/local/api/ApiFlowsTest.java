package dev.platform.local.api;

import static dev.platform.local.api.ApiFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.JsonLog;
import dev.platform.local.api.ApiFixture.Person;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API's promises a user relies on, over HTTP against the local runtime. */
class ApiFlowsTest {
    @TempDir
    static Path dataDir;
    private static ApiFixture fixture;
    private static ApiClient api;
    /** Every log line of the functions while the runtime runs, to scan for token values. */
    private static final java.io.ByteArrayOutputStream LOGS = new java.io.ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        ApiFixture.teeLogs(LOGS);
        fixture = new ApiFixture(dataDir);
        api = fixture.api;
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        JsonLog.redirect(System.out);
    }

    private static ApiClient.Answer newToken(String token, String body) {
        return api.call("POST", "/v1/tokens", token, body);
    }

    @Test
    void aRevokedTokenIsRefusedLikeAnUnknownOneAndItsValueIsShownOnlyOnce() {
        ApiClient.Answer created = newToken(fixture.owner, json("name", "deploy bot"));
        assertEquals(201, created.status(), created.raw());
        String value = created.text("token");
        assertTrue(value.matches("plat_[0-9A-Za-z]{43}"), value);
        assertEquals(200, api.call("GET", "/v1/user", value, null).status());

        ApiClient.Answer listed = api.call("GET", "/v1/tokens", fixture.owner, null);
        assertTrue(listed.raw().contains(created.text("tokenId")), listed.raw());
        assertFalse(listed.raw().contains(value), "a listed token shows its value");
        assertEquals(value.substring(0, 9), created.text("prefix"));

        String tokenId = created.text("tokenId");
        assertEquals(204, api.call("DELETE", "/v1/tokens/{tokenId}", "/v1/tokens/" + tokenId, fixture.owner, null).status());
        ApiClient.Answer revoked = api.call("GET", "/v1/user", value, null);
        ApiClient.Answer unknown = api.call("GET", "/v1/user", dev.platform.core.api.Secrets.newToken(), null);
        ApiClient.Answer garbage = api.call("GET", "/v1/user", "not-a-token", null);
        ApiClient.Answer none = api.call("GET", "/v1/user", null, null);
        for (ApiClient.Answer refused : List.of(revoked, unknown, garbage, none)) {
            assertEquals(401, refused.status(), refused.raw());
            assertEquals(revoked.raw(), refused.raw(), "every refused token gets the same answer");
        }
        assertEquals(404, api.call("DELETE", "/v1/tokens/{tokenId}", "/v1/tokens/" + tokenId, fixture.owner, null).status());

        // the token could act in the owner's teams: each team's log has its making and revoking
        for (String action : List.of("token.create", "token.revoke")) {
            ApiClient.Answer log = api.call("GET", "/v1/teams/{teamId}/audit", "/v1/teams/" + ApiFixture.DEMO_TEAM
                    + "/audit?action=" + action + "&target=token:" + tokenId, fixture.owner, null);
            assertEquals(1, log.body().path("items").size(), log.raw());
            assertEquals("succeeded", log.body().path("items").get(0).path("outcome").asText());
            assertFalse(log.raw().contains(value), "the audit log shows the token's value");
        }
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        ApiClient.Answer created = newToken(fixture.owner, json("name", "short", "expiresAt", Instant.now().plusSeconds(2).toString()));
        assertEquals(201, created.status(), created.raw());
        assertEquals(200, api.call("GET", "/v1/user", created.text("token"), null).status());
        Thread.sleep(2_500);
        assertEquals(401, api.call("GET", "/v1/user", created.text("token"), null).status());
        ApiClient.Answer past = newToken(fixture.owner, json("name", "past", "expiresAt", "2020-01-01T00:00:00Z"));
        assertEquals(400, past.status());
        assertEquals("expiresAt", past.body().path("error").path("field").asText());
    }

    @Test
    void invitationsAreSingleUseExpireAndCannotGrantMoreThanTheInvitersRole() throws Exception {
        String team = fixture.newTeam("invites");
        Person admin = fixture.member(team, "admin");
        ApiClient.Answer above = api.call("POST", "/v1/teams/{teamId}/invitations", "/v1/teams/" + team + "/invitations",
                admin.token(), json("email", "boss@example.com", "role", "owner"));
        assertEquals(403, above.status(), above.raw());

        String invitation = fixture.invite(admin.token(), team, "dev@example.com", "developer");
        ApiClient.Answer accepted = api.call("POST", "/v1/invitations/accept", null, json("token", invitation, "name", "Dev"));
        assertEquals(201, accepted.status(), accepted.raw());
        assertEquals("developer", accepted.body().path("team").path("role").asText());
        String devToken = accepted.body().path("token").path("token").asText();
        ApiClient.Answer members = api.call("GET", "/v1/teams/{teamId}/members", "/v1/teams/" + team + "/members", devToken, null);
        assertTrue(members.raw().contains("\"email\":\"dev@example.com\",\"role\":\"developer\""), members.raw());

        ApiClient.Answer reused = api.call("POST", "/v1/invitations/accept", null, json("token", invitation, "name", "Again"));
        assertEquals(410, reused.status(), reused.raw());

        ApiClient.Answer shortLived = api.call("POST", "/v1/teams/{teamId}/invitations", "/v1/teams/" + team + "/invitations",
                fixture.owner, json("email", "late@example.com", "role", "viewer", "expiresIn", "PT1S"));
        assertEquals(201, shortLived.status(), shortLived.raw());
        Thread.sleep(1_500);
        assertEquals(410, api.call("POST", "/v1/invitations/accept", null,
                json("token", shortLived.text("token"), "name", "Late")).status());

        String cancelled = fixture.invite(fixture.owner, team, "gone@example.com", "viewer");
        String cancelledId = api.call("GET", "/v1/teams/{teamId}/invitations", "/v1/teams/" + team + "/invitations?limit=100",
                fixture.owner, null).body().path("items").findValuesAsText("invitationId").get(0);
        assertEquals(204, api.call("DELETE", "/v1/teams/{teamId}/invitations/{invitationId}",
                "/v1/teams/" + team + "/invitations/" + cancelledId, fixture.owner, null).status());
        assertEquals(410, api.call("POST", "/v1/invitations/accept", null, json("token", cancelled, "name", "Gone")).status());
    }

    @Test
    void aTeamAlwaysKeepsAnOwner() {
        String team = fixture.newTeam("owned");
        String me = api.call("GET", "/v1/user", fixture.owner, null).text("userId");
        String path = "/v1/teams/" + team + "/members/" + me;
        String template = "/v1/teams/{teamId}/members/{userId}";
        ApiClient.Answer demote = api.call("PATCH", template, path, fixture.owner, json("role", "admin"));
        assertEquals(409, demote.status(), demote.raw());
        assertEquals("last_owner", demote.body().path("error").path("code").asText());
        assertEquals(409, api.call("DELETE", template, path, fixture.owner, null).status());

        Person second = fixture.member(team, "owner");
        Person admin = fixture.member(team, "admin");
        // admins do not manage owners
        assertEquals(403, api.call("PATCH", template, "/v1/teams/" + team + "/members/" + second.userId(), admin.token(),
                json("role", "viewer")).status());
        assertEquals(200, api.call("PATCH", template, path, fixture.owner, json("role", "admin")).status());
        // now the second owner is the last one: they cannot leave
        assertEquals(409, api.call("DELETE", template, "/v1/teams/" + team + "/members/" + second.userId(), second.token(),
                null).status());
        // anyone may leave
        assertEquals(204, api.call("DELETE", template, "/v1/teams/" + team + "/members/" + admin.userId(), admin.token(),
                null).status());
        assertEquals(404, api.call("GET", "/v1/teams/{teamId}", "/v1/teams/" + team, admin.token(), null).status());
    }

    @Test
    void badRequestsGetClearErrorsThatNameTheField() {
        ApiClient.Answer unknown = api.call("POST", "/v1/teams", fixture.owner, json("name", "x", "colour", "red"));
        assertEquals(400, unknown.status());
        assertEquals("colour", unknown.body().path("error").path("field").asText());
        ApiClient.Answer malformed = api.call("POST", "/v1/teams", fixture.owner, "{\"name\":");
        assertEquals(400, malformed.status());
        assertEquals("malformed_json", malformed.body().path("error").path("code").asText());
        assertEquals(400, api.call("POST", "/v1/teams", fixture.owner, "{\"name\":\"a\"} {}").status());
        ApiClient.Answer wrongType = api.call("POST", "/v1/teams", fixture.owner, "{\"name\":5}");
        assertEquals("name", wrongType.body().path("error").path("field").asText());
        String team = fixture.newTeam("errors");
        ApiClient.Answer nested = api.call("POST", "/v1/teams/{teamId}/projects", "/v1/teams/" + team + "/projects", fixture.owner,
                json("name", "web", "repository", "octo-org/web", "deploy", Map.of("port", 70000)));
        assertEquals(400, nested.status());
        assertEquals("deploy.port", nested.body().path("error").path("field").asText());
        ApiClient.Answer huge = api.call("POST", "/v1/teams", fixture.owner, json("name", "x".repeat(1024 * 1024 + 1)));
        assertEquals(413, huge.status());
        ApiClient.Answer text = api.call("POST", "/v1/teams", "/v1/teams", fixture.owner, "name=x", Map.of("Content-Type", "text/plain"));
        assertEquals(415, text.status());
        assertEquals(404, api.call("GET", "/v1/nothing", fixture.owner, null).status());
    }

    @Test
    void listsPageWithCursorsThatCannotBeForged() {
        for (int i = 0; i < 5; i++) {
            assertEquals(201, newToken(fixture.owner, json("name", "page " + i)).status());
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            String path = "/v1/tokens?limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
            ApiClient.Answer page = api.call("GET", "/v1/tokens", path, fixture.owner, null);
            assertEquals(200, page.status(), page.raw());
            assertTrue(page.body().path("items").size() <= 2);
            for (JsonNode token : page.body().path("items")) {
                assertTrue(seen.add(token.path("tokenId").asText()), "a token listed twice: " + token);
            }
            cursor = page.body().path("nextCursor").isNull() ? null : page.text("nextCursor");
            pages++;
        } while (cursor != null && pages < 50);
        assertTrue(seen.size() >= 6 && pages >= 3, seen.size() + " tokens in " + pages + " pages");

        String first = api.call("GET", "/v1/tokens", "/v1/tokens?limit=1", fixture.owner, null).text("nextCursor");
        String forged = first.substring(0, first.length() - 2) + (first.endsWith("A") ? "BB" : "AA");
        ApiClient.Answer refused = api.call("GET", "/v1/tokens", "/v1/tokens?limit=1&cursor=" + forged, fixture.owner, null);
        assertEquals(400, refused.status());
        assertEquals("cursor", refused.body().path("error").path("field").asText());
        assertEquals(400, api.call("GET", "/v1/tokens", "/v1/tokens?limit=101", fixture.owner, null).status());
    }

    @Test
    void aProjectUpdateWithAStaleETagIsRefusedAndADeletedProjectIsGoneAtOnce() {
        String team = fixture.newTeam("projects");
        ApiClient.Answer created = api.call("POST", "/v1/teams/{teamId}/projects", "/v1/teams/" + team + "/projects", fixture.owner,
                json("name", "Web App", "repository", "octo-org/web", "previews", Map.of("sleepAfter", "PT10M")));
        assertEquals(201, created.status(), created.raw());
        assertEquals("web-app", created.text("slug"));
        assertEquals("main", created.text("productionBranch"));
        assertEquals("PT10M", created.body().path("previews").path("sleepAfter").asText());
        String project = created.text("projectId");
        String path = "/v1/projects/" + project;
        String etag = created.response().headers().firstValue("ETag").orElseThrow();
        ApiClient.Answer duplicate = api.call("POST", "/v1/teams/{teamId}/projects", "/v1/teams/" + team + "/projects",
                fixture.owner, json("name", "Web App", "repository", "octo-org/other"));
        assertEquals(409, duplicate.status());

        ApiClient.Answer updated = api.call("PATCH", "/v1/projects/{projectId}", path, fixture.owner,
                json("productionBranch", "release", "deploy", Map.of("port", 8080)), Map.of("If-Match", etag));
        assertEquals(200, updated.status(), updated.raw());
        assertEquals(8080, updated.body().path("deploy").path("port").asInt());
        assertNotEquals(etag, updated.response().headers().firstValue("ETag").orElseThrow());
        ApiClient.Answer stale = api.call("PATCH", "/v1/projects/{projectId}", path, fixture.owner, json("name", "Lost"),
                Map.of("If-Match", etag));
        assertEquals(412, stale.status(), stale.raw());
        assertEquals("Web App", api.call("GET", "/v1/projects/{projectId}", path, fixture.owner, null).text("name"));

        assertEquals(204, api.call("DELETE", "/v1/projects/{projectId}", path, fixture.owner, null).status());
        assertEquals(404, api.call("GET", "/v1/projects/{projectId}", path, fixture.owner, null).status());
        assertFalse(api.call("GET", "/v1/teams/{teamId}/projects", "/v1/teams/" + team + "/projects", fixture.owner, null)
                .raw().contains(project));
    }

    @Test
    void everyChangeIsInTheTeamsAuditLogAndNoTokenValueAppearsAfterItsCreation() throws Exception {
        String team = fixture.newTeam("audited");
        Person viewer = fixture.member(team, "viewer");
        assertEquals(403, api.call("PATCH", "/v1/teams/{teamId}", "/v1/teams/" + team, viewer.token(), json("name", "mine")).status());
        assertEquals(200, api.call("PATCH", "/v1/teams/{teamId}", "/v1/teams/" + team, fixture.owner, json("name", "ours")).status());

        ApiClient.Answer log = api.call("GET", "/v1/teams/{teamId}/audit", "/v1/teams/" + team + "/audit", viewer.token(), null);
        List<String> actions = log.body().path("items").findValuesAsText("action");
        assertEquals(List.of("team.update", "team.update", "invitation.accept", "invitation.create", "team.create"), actions,
                log.raw());
        assertEquals("denied", log.body().path("items").get(1).path("outcome").asText());
        assertEquals(viewer.userId(), log.body().path("items").get(1).path("actor").asText());
        ApiClient.Answer filtered = api.call("GET", "/v1/teams/{teamId}/audit",
                "/v1/teams/" + team + "/audit?action=invitation.accept", fixture.owner, null);
        assertEquals(1, filtered.body().path("items").size(), filtered.raw());

        // a token's value is in its creation answer only: not in later answers, the event log or the table
        String value = viewer.token();
        List<String> answers = api.answered();
        long showing = answers.stream().filter(a -> a.contains(value)).count();
        assertEquals(1, showing, "the token appears in " + showing + " answers");
        Path events = dataDir.resolve("events.jsonl");
        assertFalse(Files.exists(events) && Files.readString(events).contains(value), "a token value in events.jsonl");
        String table = fixture.platform.dynamoDb().scan(r -> r.tableName("platform")).items().toString();
        assertFalse(table.contains(value), "a token value in the table");
        assertFalse(table.contains(fixture.owner), "the bootstrap token's value in the table");
        String logs;
        synchronized (LOGS) {
            logs = LOGS.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(logs.contains("\"message\":\"api request\""), "the functions' logs were captured");
        assertFalse(logs.contains(value) || logs.contains(fixture.owner), "a token value in the logs");
        assertFalse(logs.contains("pinv_"), "an invitation token in the logs");
    }
}
