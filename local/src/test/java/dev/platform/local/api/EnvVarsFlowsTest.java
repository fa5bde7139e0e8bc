package dev.platform.local.api;

import static dev.platform.local.api.ApiFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.JsonLog;
import dev.platform.local.api.ApiFixture.Person;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Environment variables over HTTP against the local runtime (its KMS stand-in seals every value): who may read and
 * change what, sensitive values never read back, history, dotenv import and export, and no plaintext of a
 * sensitive value anywhere the platform keeps or says things.
 */
class EnvVarsFlowsTest {
    /** Distinctive, so a scan that finds it found a leak. */
    private static final String SECRET_VALUE = "s3cr3t-Zq8vW2-never-shown";
    private static final String PLAIN_VALUE = "plain-Kx71-value";
    @TempDir
    static Path dataDir;
    private static final ByteArrayOutputStream LOGS = new ByteArrayOutputStream();
    private static ApiFixture fixture;
    private static ApiClient api;

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

    private static String env(String project, String rest) {
        return "/v1/projects/" + project + "/env" + rest;
    }

    private static ApiClient.Answer set(String token, String project, String scope, String name, String body) {
        return api.call("PUT", "/v1/projects/{projectId}/env/{scope}/{name}", env(project, "/" + scope + "/" + name), token, body);
    }

    private static ApiClient.Answer list(String token, String project) {
        return api.call("GET", "/v1/projects/{projectId}/env", env(project, ""), token, null);
    }

    private static JsonNode item(ApiClient.Answer page, String name) {
        for (JsonNode item : page.body().path("items")) {
            if (item.path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError(name + " not listed: " + page.raw());
    }

    @Test
    void rolesDecideWhoSetsWhichScopeAndWhoSeesValuesAndNobodyReadsASensitiveOneBack() {
        String team = fixture.newTeam("env roles");
        String project = fixture.newProject(team, "envroles");
        Person developer = fixture.member(team, "developer");
        Person viewer = fixture.member(team, "viewer");
        Person admin = fixture.member(team, "admin");

        ApiClient.Answer created = set(developer.token(), project, "preview", "API_URL", json("value", PLAIN_VALUE));
        assertEquals(201, created.status(), created.raw());
        assertEquals(PLAIN_VALUE, created.text("value"));
        assertTrue(created.text("hint").contains("redeploy"), "a change says it applies at the next deployment");
        assertEquals(403, set(developer.token(), project, "production", "API_URL", json("value", "x")).status(),
                "developers do not set production variables");
        assertEquals(403, set(viewer.token(), project, "preview", "OTHER", json("value", "x")).status());
        assertEquals(201, set(admin.token(), project, "production", "DB_PASSWORD",
                json("value", SECRET_VALUE, "sensitive", true)).status());
        Person stranger = fixture.member(fixture.newTeam("elsewhere"), "owner");
        assertEquals(404, list(stranger.token(), project).status(), "another team's project does not exist for them");

        for (String token : List.of(fixture.owner, admin.token(), developer.token())) {
            ApiClient.Answer listed = list(token, project);
            assertEquals(200, listed.status(), listed.raw());
            assertEquals(PLAIN_VALUE, item(listed, "API_URL").path("value").asText());
            assertEquals("********", item(listed, "DB_PASSWORD").path("value").asText(), "the owner too sees only the mask");
            assertFalse(listed.raw().contains(SECRET_VALUE));
        }
        ApiClient.Answer names = list(viewer.token(), project);
        assertEquals(200, names.status());
        assertEquals(2, names.body().path("items").size());
        assertFalse(item(names, "API_URL").has("value"), "viewers see names only: " + names.raw());
        assertEquals(403, api.call("GET", "/v1/projects/{projectId}/env/export", env(project, "/export?scope=preview"),
                viewer.token(), null).status());
        ApiClient.Answer updated = set(admin.token(), project, "production", "DB_PASSWORD", json("value", SECRET_VALUE + "2"));
        assertEquals(200, updated.status(), updated.raw());
        assertTrue(updated.body().path("sensitive").asBoolean(), "a sensitive variable stays sensitive when a change does not say");
        assertEquals("********", updated.text("value"));
    }

    @Test
    void everyChangeIsAVersionWithAKeyedHashAndTheSameValueAgainIsNoChange() {
        String team = fixture.newTeam("env history");
        String project = fixture.newProject(team, "envhistory");
        assertEquals(201, set(fixture.owner, project, "development", "PORT", json("value", "3000")).status());
        assertEquals(200, set(fixture.owner, project, "development", "PORT", json("value", "3000")).status());
        ApiClient.Answer changed = set(fixture.owner, project, "development", "PORT", json("value", "4000"));
        assertEquals(2, changed.body().path("version").asInt(), "the same value again made no version");
        assertEquals(204, api.call("DELETE", "/v1/projects/{projectId}/env/{scope}/{name}", env(project, "/development/PORT"),
                fixture.owner, null).status());
        assertEquals(404, api.call("DELETE", "/v1/projects/{projectId}/env/{scope}/{name}", env(project, "/development/PORT"),
                fixture.owner, null).status());
        assertEquals(0, list(fixture.owner, project).body().path("items").size(), "a deleted variable is not listed");
        assertEquals(201, set(fixture.owner, project, "development", "PORT", json("value", "3000")).status());

        ApiClient.Answer history = api.call("GET", "/v1/projects/{projectId}/env/{scope}/{name}/history",
                env(project, "/development/PORT/history"), fixture.owner, null);
        assertEquals(200, history.status(), history.raw());
        JsonNode versions = history.body().path("items");
        assertEquals(List.of("set", "delete", "set", "set"), versions.findValuesAsText("action"), "newest first");
        assertEquals(List.of(4, 3, 2, 1), List.of(versions.get(0).path("version").asInt(), versions.get(1).path("version").asInt(),
                versions.get(2).path("version").asInt(), versions.get(3).path("version").asInt()));
        assertEquals(versions.get(0).path("valueHash").asText(), versions.get(3).path("valueHash").asText(),
                "the same value hashes alike");
        assertNotEquals(versions.get(0).path("valueHash").asText(), versions.get(2).path("valueHash").asText());
        assertTrue(versions.get(1).path("valueHash").isNull());
        assertFalse(history.raw().contains("\"3000\"") || history.raw().contains("\"4000\""), "no value in the history");

        ApiClient.Answer audit = api.call("GET", "/v1/teams/{teamId}/audit",
                "/v1/teams/" + team + "/audit?target=env:development/PORT", fixture.owner, null);
        assertEquals(List.of("env.set", "env.delete", "env.set", "env.set"), audit.body().path("items").findValuesAsText("action"),
                "the unchanged set wrote nothing: " + audit.raw());
    }

    @Test
    void aDotenvImportExportsBackAsItWasWithoutItsSensitiveValuesAndABadLineWritesNothing() {
        String team = fixture.newTeam("env dotenv");
        String project = fixture.newProject(team, "envdotenv");
        String dotenv = String.join("\n",
                "# the app's settings",
                "export API_URL=https://api.example.com",
                "GREETING=\"Hello,\\n\\\"world\\\"\"",
                "SINGLE='literal $HOME \\n'",
                "MULTI=\"line one",
                "line two\"",
                "EMPTY=",
                "API_URL=https://api2.example.com # later wins",
                "");
        ApiClient.Answer imported = api.call("POST", "/v1/projects/{projectId}/env/import", env(project, "/import"), fixture.owner,
                json("scope", "preview", "branch", "feature/login", "dotenv", dotenv));
        assertEquals(200, imported.status(), imported.raw());
        assertEquals(5, imported.body().path("created").asInt());
        assertEquals(1, imported.body().path("warnings").size(), "the duplicate is reported: " + imported.raw());
        assertEquals(201, set(fixture.owner, project, "preview", "TOKEN?branch=feature/login",
                json("value", SECRET_VALUE, "sensitive", true)).status());

        ApiClient.Answer exported = api.call("GET", "/v1/projects/{projectId}/env/export",
                env(project, "/export?scope=preview&branch=feature/login"), fixture.owner, null);
        assertEquals(200, exported.status(), exported.raw());
        assertEquals(List.of("TOKEN"), List.of(exported.body().path("omitted").get(0).asText()));
        assertFalse(exported.raw().contains(SECRET_VALUE));
        assertTrue(exported.text("dotenv").contains("API_URL=https://api2.example.com"), exported.text("dotenv"));

        // the export imports into another branch as the same values
        ApiClient.Answer again = api.call("POST", "/v1/projects/{projectId}/env/import", env(project, "/import"), fixture.owner,
                json("scope", "preview", "branch", "copy", "dotenv", exported.text("dotenv")));
        assertEquals(5, again.body().path("created").asInt(), again.raw());
        ApiClient.Answer copy = api.call("GET", "/v1/projects/{projectId}/env/export", env(project, "/export?scope=preview&branch=copy"),
                fixture.owner, null);
        assertEquals(exported.text("dotenv"), copy.text("dotenv"), "the round trip is lossless");
        ApiClient.Answer listed = list(fixture.owner, project);
        assertEquals("Hello,\n\"world\"", item(listed, "GREETING").path("value").asText());
        assertEquals("line one\nline two", item(listed, "MULTI").path("value").asText());
        assertEquals("literal $HOME \\n", item(listed, "SINGLE").path("value").asText());

        int before = listed.body().path("items").size();
        ApiClient.Answer bad = api.call("POST", "/v1/projects/{projectId}/env/import", env(project, "/import"), fixture.owner,
                json("scope", "preview", "dotenv", "GOOD=1\nnot a line\nAWS_REGION=x\nALSO_GOOD=2\n"));
        assertEquals(400, bad.status(), bad.raw());
        assertEquals("dotenv", bad.body().path("error").path("field").asText());
        String message = bad.body().path("error").path("message").asText();
        assertTrue(message.contains("line 2") && message.contains("line 3"), message);
        assertEquals(before, list(fixture.owner, project).body().path("items").size(), "nothing was written");
        assertEquals(400, api.call("POST", "/v1/projects/{projectId}/env/import", env(project, "/import"), fixture.owner,
                json("scope", "production", "branch", "main", "dotenv", "A=1")).status(), "only preview values have a branch");
    }

    @Test
    void badNamesAndValuesAreRefusedByName() {
        String team = fixture.newTeam("env input");
        String project = fixture.newProject(team, "envinput");
        ApiClient.Answer reserved = set(fixture.owner, project, "preview", "AWS_SECRET_ACCESS_KEY", json("value", "x"));
        assertEquals(400, reserved.status());
        assertEquals("name", reserved.body().path("error").path("field").asText());
        assertEquals(400, set(fixture.owner, project, "preview", "1BAD", json("value", "x")).status());
        ApiClient.Answer scope = set(fixture.owner, project, "staging", "OK", json("value", "x"));
        assertEquals(400, scope.status());
        assertEquals("scope", scope.body().path("error").path("field").asText());
        ApiClient.Answer big = set(fixture.owner, project, "preview", "BIG", json("value", "x".repeat(64 * 1024 + 1)));
        assertEquals(400, big.status());
        assertEquals("value", big.body().path("error").path("field").asText());
        assertEquals(201, set(fixture.owner, project, "preview", "JUST_FITS", json("value", "é".repeat(32 * 1024))).status());
        ApiClient.Answer unknown = set(fixture.owner, project, "preview", "OK", json("value", "x", "secret", true));
        assertEquals(400, unknown.status());
        assertEquals("secret", unknown.body().path("error").path("field").asText());
    }

    @Test
    void noSensitiveValueIsInTheTableTheEventLogOrTheLogsAndNoValueIsStoredInPlaintext() throws Exception {
        String team = fixture.newTeam("env leaks");
        String project = fixture.newProject(team, "envleaks");
        assertEquals(201, set(fixture.owner, project, "production", "STRIPE_KEY", json("value", SECRET_VALUE, "sensitive", true))
                .status());
        assertEquals(201, set(fixture.owner, project, "preview", "PUBLIC_URL", json("value", PLAIN_VALUE)).status());
        list(fixture.owner, project);

        String table = fixture.platform.dynamoDb().scan(r -> r.tableName("platform")).items().toString();
        assertFalse(table.contains(SECRET_VALUE), "a sensitive value in the table");
        assertFalse(table.contains(PLAIN_VALUE), "values are stored sealed, not in plaintext");
        Path events = dataDir.resolve("events.jsonl");
        assertFalse(Files.exists(events) && Files.readString(events).contains(SECRET_VALUE), "a sensitive value in events.jsonl");
        String logs;
        synchronized (LOGS) {
            logs = LOGS.toString(StandardCharsets.UTF_8);
        }
        assertTrue(logs.contains("\"message\":\"api request\""), "the functions' logs were captured");
        assertFalse(logs.contains(SECRET_VALUE), "a sensitive value in the logs");
        assertFalse(api.answered().stream().anyMatch(answer -> answer.contains(SECRET_VALUE)), "a sensitive value in an answer");
    }
}
