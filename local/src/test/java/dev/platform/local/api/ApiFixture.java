package dev.platform.local.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.api.Secrets;
import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import dev.platform.local.Deliveries;
import java.net.http.HttpResponse;
import dev.platform.local.LocalPlatform;
import dev.platform.local.LocalSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** A local runtime with its bootstrap owner, and the API moves tests set up with. */
final class ApiFixture implements AutoCloseable {
    static final String SECRET = "api-secret";
    static final String DEMO_TEAM = "demo-team";
    final LocalPlatform platform;
    final ApiClient api;
    /** The bootstrap user's token: owner of the demo team, and of every team the fixture makes. */
    final String owner = Secrets.newToken();
    private int people;

    ApiFixture(Path dataDir) throws Exception {
        platform = LocalPlatform.start(new LocalSettings(0, SECRET, dataDir, true, "Codertocat/Hello-World", "main", 1,
                "127.0.0.1", 2, 1, List.of(), List.of(), 1, List.of(), 1, LocalSettings.DEFAULT_PREVIEW_DOMAIN,
                LocalSettings.SleepPolicy.UNSET, owner), new PrintStream(PrintStream.nullOutputStream()));
        api = new ApiClient(platform.url());
    }

    /** Every log line of the functions from now on goes to the console and into {@code into} (to scan for secrets). */
    static void teeLogs(java.io.ByteArrayOutputStream into) {
        PrintStream console = System.out;
        JsonLog.redirect(new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                console.write(b, off, len);
                synchronized (into) {
                    into.write(b, off, len);
                }
            }
        }, true));
    }

    /** A user with a token; they are in no team yet. */
    record Person(String userId, String token, String email) {
    }

    static String json(Object... pairs) {
        ObjectNode node = Json.object();
        for (int i = 0; i < pairs.length; i += 2) {
            node.set((String) pairs[i], Json.MAPPER.valueToTree(pairs[i + 1]));
        }
        return Json.write(node);
    }

    String newTeam(String name) {
        ApiClient.Answer team = api.call("POST", "/v1/teams", owner, json("name", name));
        assertEquals(201, team.status(), team.raw());
        return team.text("teamId");
    }

    /** An invitation's token, made by {@code inviter}. */
    String invite(String inviter, String teamId, String email, String role) {
        ApiClient.Answer invitation = api.call("POST", "/v1/teams/{teamId}/invitations", "/v1/teams/" + teamId + "/invitations",
                inviter, json("email", email, "role", role));
        assertEquals(201, invitation.status(), invitation.raw());
        return invitation.text("token");
    }

    /** A new person, member of the team with the role (through an invitation they accept without an account). */
    Person member(String teamId, String role) {
        String email = "person" + (++people) + "@example.com";
        String invitation = invite(owner, teamId, email, role);
        ApiClient.Answer accepted = api.call("POST", "/v1/invitations/accept", null, json("token", invitation, "name", "Person " + people));
        assertEquals(201, accepted.status(), accepted.raw());
        return new Person(accepted.body().path("user").path("userId").asText(), accepted.body().path("token").path("token").asText(), email);
    }

    /** An existing person joins another team with a role. */
    void join(Person person, String teamId, String role) {
        String invitation = invite(owner, teamId, "join" + (++people) + "@example.com", role);
        ApiClient.Answer accepted = api.call("POST", "/v1/invitations/accept", person.token(), json("token", invitation));
        assertEquals(200, accepted.status(), accepted.raw());
    }

    /** The demo project's preview of pull request 2, deployed (the sample opened delivery, built and rolled out). */
    JsonNode deployedDemoPreview() throws Exception {
        HttpResponse<String> sent = new Deliveries(platform.url(), SECRET).send("pull_request", "d-api-" + System.nanoTime(),
                Deliveries.payload("pull_request.opened.json"));
        assertEquals(202, sent.statusCode(), sent.body());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            ApiClient.Answer preview = api.call("GET", "/v1/projects/{projectId}/previews/{pr}", "/v1/projects/hello-world/previews/2",
                    owner, null);
            if (preview.status() == 200 && "active".equals(preview.body().path("environment").path("status").asText())) {
                return preview.body();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the demo preview was not deployed within a minute");
    }

    String newProject(String teamId, String name) {
        ApiClient.Answer project = api.call("POST", "/v1/teams/{teamId}/projects", "/v1/teams/" + teamId + "/projects", owner,
                json("name", name, "repository", "octo-org/" + name));
        assertEquals(201, project.status(), project.raw());
        return project.text("projectId");
    }

    @Override
    public void close() throws Exception {
        platform.close();
    }
}
