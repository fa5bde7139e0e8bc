package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting the runtime: what it binds, what it refuses, what it keeps and what it shows. Each test
 * starts its own runtime in this JVM.
 */
class LocalRuntimeStartTest {
    private static final String SECRET = "start-secret";
    private static final String OPENED_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

    @TempDir
    Path temp;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private LocalPlatform start(Path dataDir, int port, boolean persistent, String demoBranch) throws Exception {
        return LocalPlatform.start(new LocalSettings(port, SECRET, dataDir, persistent, "Codertocat/Hello-World",
                demoBranch, 1, LocalSettings.DEFAULT_BIND_ADDRESS, LocalSettings.DEFAULT_QUEUE_POLLERS), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @Test
    void everyServiceOfTheRuntimeListensOnLoopbackOnly() throws Exception {
        List<ListeningSockets.Listener> before = ListeningSockets.ofThisProcess();
        try (LocalPlatform platform = start(temp.resolve("data"), 0, true, "main")) {
            List<ListeningSockets.Listener> opened = ListeningSockets.ofThisProcess().stream()
                    .filter(listener -> !before.contains(listener)).toList();
            // the HTTP server, DynamoDB Local and ElasticMQ at least
            assertTrue(opened.size() >= 3, "listening sockets found: " + opened);
            assertTrue(opened.stream().anyMatch(l -> l.port() == platform.url().getPort()), opened.toString());
            for (ListeningSockets.Listener listener : opened) {
                assertTrue(listener.loopback(), "listens beyond loopback: " + listener);
            }
        }
    }

    @Test
    void aSecondStartOnTheSameDataDirIsRefusedAndChangesNothing() throws Exception {
        Path dataDir = temp.resolve("shared");
        try (LocalPlatform first = start(dataDir, 0, true, "main")) {
            new Deliveries(first.url(), SECRET).send("pull_request", UUID.randomUUID().toString(),
                    Deliveries.payload("pull_request.opened.json"));
            Deliveries.awaitEvents(dataDir.resolve("events.jsonl"), 1, Duration.ofSeconds(30));
            byte[] eventsBefore = Files.readAllBytes(dataDir.resolve("events.jsonl"));

            StartupConflict conflict = assertThrows(StartupConflict.class, () -> start(dataDir, 0, true, "main"));
            assertEquals("data dir " + dataDir + " is used by pid " + ProcessHandle.current().pid(), conflict.getMessage());
            assertTrue(Files.readString(dataDir.resolve("events.jsonl")).equals(new String(eventsBefore, StandardCharsets.UTF_8)),
                    "the refused start must not touch the event log");
            assertEquals(200, get(first, "/_local/state").statusCode(), "the first runtime keeps running");
        }
    }

    @Test
    void aBusyPortIsRefusedBeforeAnyFileIsTouched() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Path dataDir = temp.resolve("never-created");
            StartupConflict conflict = assertThrows(StartupConflict.class,
                    () -> start(dataDir, taken.getLocalPort(), true, "main"));
            assertEquals("port " + taken.getLocalPort() + " is in use; set PORT", conflict.getMessage());
            assertFalse(Files.exists(dataDir), "nothing may be created when the port is taken");
        }
    }

    @Test
    void theEventLogIsAppendedAcrossStartsNeverMoved() throws Exception {
        Path dataDir = temp.resolve("log");
        Files.createDirectories(dataDir);
        String earlier = "{\"source\":\"platform\",\"detail-type\":\"PreviewTeardownRequested\",\"detail\":{\"projectId\":\"x\",\"pr\":1}}";
        Files.writeString(dataDir.resolve("events.jsonl"), earlier + "\n");
        try (LocalPlatform platform = start(dataDir, 0, false, "main")) {
            new Deliveries(platform.url(), SECRET).send("pull_request", UUID.randomUUID().toString(),
                    Deliveries.payload("pull_request.opened.json"));
            List<String> lines = Deliveries.awaitEvents(dataDir.resolve("events.jsonl"), 2, Duration.ofSeconds(30));
            assertEquals(earlier, lines.get(0));
            assertEquals(2, lines.size(), lines.toString());
        }
        assertFalse(Files.exists(dataDir.resolve("events.previous.jsonl")));
    }

    @Test
    void theStateEndpointShowsProjectsPreviewsAndProduction() throws Exception {
        try (LocalPlatform platform = start(temp.resolve("state"), 0, true, "main")) {
            Deliveries deliveries = new Deliveries(platform.url(), SECRET);
            deliveries.send("pull_request", UUID.randomUUID().toString(), Deliveries.payload("pull_request.opened.json"));
            deliveries.send("push", UUID.randomUUID().toString(),
                    Deliveries.variant("push.with-new-branch.json", p -> p.put("ref", "refs/heads/main")));
            Deliveries.awaitEvents(temp.resolve("state/events.jsonl"), 2, Duration.ofSeconds(30));

            HttpResponse<String> response = get(platform, "/_local/state");
            assertEquals(200, response.statusCode());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
            JsonNode state = Json.MAPPER.readTree(response.body());
            JsonNode project = state.path("projects").get(0);
            assertEquals("hello-world", project.path("projectId").asText());
            assertEquals("Codertocat/Hello-World", project.path("repository").asText());
            assertEquals("main", project.path("productionBranch").asText());
            JsonNode preview = state.path("previews").get(0);
            assertEquals(2, preview.path("pr").asInt());
            // pending when requested, then the builder and the deployer move it on
            assertTrue(java.util.Set.of("pending", "building", "built", "deploying", "active").contains(preview.path("status").asText()),
                    preview.toString());
            assertEquals(OPENED_SHA, preview.path("head").asText());
            assertEquals("2019-05-15T15:20:33Z", preview.path("updatedAt").asText());
            assertFalse(preview.has("outbox"), "bookkeeping stays hidden");
            JsonNode production = state.path("production").get(0);
            assertEquals("main", production.path("branch").asText());
            assertEquals("6113728f27ae82c7b1a177c8d03f9e96e0adf246", production.path("head").asText());

            HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(platform.url().resolve("/_local/state"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals("method_not_allowed", Json.MAPPER.readTree(post.body()).path("error").path("code").asText());
        }
    }

    @Test
    void changingTheDemoBranchOnAnExistingDataDirMovesTheProjectAndSaysSo() throws Exception {
        Path dataDir = temp.resolve("demo");
        try (LocalPlatform first = start(dataDir, 0, true, "main")) {
            assertEquals("main", project(first).path("productionBranch").asText());
        }
        try (LocalPlatform second = start(dataDir, 0, true, "develop")) {
            assertTrue(console.toString(StandardCharsets.UTF_8).contains(
                    "Demo project hello-world now follows Codertocat/Hello-World, production branch develop"
                            + " (the data dir had Codertocat/Hello-World, branch main)"), console.toString(StandardCharsets.UTF_8));
            assertEquals("develop", project(second).path("productionBranch").asText());
            // the link moved too: a push to the new branch builds production
            new Deliveries(second.url(), SECRET).send("push", UUID.randomUUID().toString(),
                    Deliveries.variant("push.with-new-branch.json", p -> p.put("ref", "refs/heads/develop")));
            List<String> lines = Deliveries.awaitEvents(dataDir.resolve("events.jsonl"), 1, Duration.ofSeconds(30));
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"target\":\"production\"")), lines.toString());
        }
    }

    @Test
    void badSettingsNameTheSettingAndWhatIsExpected() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        Map<String, String> cases = Map.of(
                "PORT", "abc",
                "PLATFORM_QUEUE_VISIBILITY_SECONDS", "-1",
                "PLATFORM_BIND_ADDRESS", "example.com",
                "PLATFORM_DEMO_REPO", "not a repository",
                "PLATFORM_DATA_DIR", file.toString(),
                "PLATFORM_LOCAL_DEPLOY_SECONDS", "3601",
                "PLATFORM_LOCAL_FAIL_DEPLOY_SHAS", "not-hex",
                "PLATFORM_LOCAL_PREVIEW_SHARDS", "21",
                "PLATFORM_PREVIEW_DOMAIN", "under_score.localhost");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            LocalSettings.InvalidSetting e = assertThrows(LocalSettings.InvalidSetting.class,
                    () -> LocalSettings.fromEnvironment(Map.of(bad.getKey(), bad.getValue())), bad.toString());
            assertTrue(e.getMessage().startsWith(bad.getKey()), e.getMessage());
        }
        assertThrows(LocalSettings.InvalidSetting.class, () -> LocalSettings.fromEnvironment(Map.of("PORT", "70000")));
        assertThrows(LocalSettings.InvalidSetting.class,
                () -> LocalSettings.fromEnvironment(Map.of("PLATFORM_DATA_DIR", file.resolve("below-a-file").toString())));
        LocalSettings defaults = LocalSettings.fromEnvironment(Map.of());
        assertEquals(8080, defaults.port());
        assertEquals(2, defaults.deploySeconds());
        assertEquals(1, defaults.previewShards());
        assertEquals("preview.localhost", defaults.previewDomain());
    }

    private static JsonNode project(LocalPlatform platform) throws Exception {
        return Json.MAPPER.readTree(get(platform, "/_local/state").body()).path("projects").get(0);
    }

    private static HttpResponse<String> get(LocalPlatform platform, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(platform.url().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
