package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys in the local runtime, over HTTP as a user drives it: a signed {@code opened} becomes a build, a
 * service behind a host rule and a {@code DeploymentSucceeded} whose URL answers 200 with the commit it
 * serves; a failing deployment keeps the previous one serving; closing the pull request leaves nothing
 * tagged with it in {@code GET /_local/resources}; a production push deploys production.
 */
class DeploysTest {
    private static final String SECRET = "deploys-secret";
    private static final Instant T0 = Instant.parse("2019-05-15T15:20:33Z");
    private static final Duration WAIT = RuntimeProbe.WAIT;
    private static final String FAILING_DEPLOY = "bad";

    @TempDir
    Path dataDir;
    private LocalPlatform platform;
    private Deliveries deliveries;
    private RuntimeProbe probe;

    private void start() throws Exception {
        platform = LocalPlatform.start(new LocalSettings(0, SECRET, dataDir, true, "Codertocat/Hello-World", "main", 1,
                "127.0.0.1", 4, 0, List.of(), List.of(), 1, List.of(FAILING_DEPLOY), 1, LocalSettings.DEFAULT_PREVIEW_DOMAIN),
                new PrintStream(PrintStream.nullOutputStream()));
        deliveries = new Deliveries(platform.url(), SECRET);
        probe = new RuntimeProbe(platform, dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void anOpenedPullRequestIsServedAtItsUrlOnceAndClosingItLeavesNothing() throws Exception {
        start();
        String sha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
        assertEquals(202, deliveries.send("pull_request", "d-opened", Deliveries.payload("pull_request.opened.json")).statusCode());
        assertEquals(202, deliveries.send("pull_request", "d-opened", Deliveries.payload("pull_request.opened.json")).statusCode());

        JsonNode succeeded = probe.awaitEvent("DeploymentSucceeded", d -> d.path("commitSha").asText().equals(sha));
        assertEquals("preview", succeeded.path("target").asText());
        assertEquals(2, succeeded.path("pr").asInt());
        URI url = URI.create(succeeded.path("url").asText());
        assertTrue(url.getHost().matches("pr-2-hello-world-[a-z2-7]{10}\\.preview\\.localhost"), url.toString());
        assertEquals(platform.url().getPort(), url.getPort());
        RuntimeProbe.Page page = probe.page(url.getHost(), "/");
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains(sha.substring(0, 7)) || page.body().contains(sha), page.body());
        assertTrue(page.body().contains(succeeded.path("deploymentId").asText()), page.body());
        assertEquals(404, probe.page("pr-2-hello-world-guessedxyz.preview.localhost", "/").status(), "an unknown host");
        probe.awaitStatus(2, "active");
        assertEquals(url.toString(), probe.preview(2).path("url").asText());

        JsonNode resources = probe.get("/_local/resources");
        assertEquals(1, tagged(resources.path("services")).size(), "one service for the delivery sent twice");
        assertEquals(1, tagged(resources.path("listenerRules")).size());
        assertEquals(url.getHost(), tagged(resources.path("listenerRules")).getFirst().path("host").asText());
        assertEquals(1, tagged(resources.path("targetGroups")).size());
        assertEquals(1, tagged(resources.path("taskDefinitions")).size());
        assertEquals(1, probe.events("DeploymentSucceeded").size());
        JsonNode calls = resources.path("calls");
        assertEquals(1, calls.path("ecs").path("CreateService").asInt(), "one CreateService: " + calls);
        assertEquals(1, calls.path("elb").path("CreateRule").asInt(), "one CreateRule: " + calls);
        assertFalse(tagged(resources.path("services")).getFirst().path("createdAt").asText("").isEmpty());
        JsonNode gitHub = awaitGitHub(g -> g.path("deployments").path(0).path("state").asText().equals("success")
                && g.path("comments").path(0).path("body").asText().contains("Ready"));
        JsonNode deployment = gitHub.path("deployments").path(0);
        assertEquals("preview/pr-2", deployment.path("environment").asText());
        assertTrue(deployment.path("transient_environment").asBoolean());
        assertEquals(url.toString(), deployment.path("environment_url").asText());
        assertEquals(1, gitHub.path("comments").size(), "one comment on the pull request");
        JsonNode gitHubCalls = probe.get("/_local/resources").path("calls").path("github");
        assertEquals(3, gitHubCalls.path("POST /repos/{repo}/deployments/{id}/statuses").asInt(),
                "queued, in_progress and success: " + gitHubCalls);
        assertTrue(gitHub.path("comments").path(0).path("body").asText().contains(url.toString()));

        deliveries.send("pull_request", "d-closed", Deliveries.payload("pull_request.closed.json"));
        probe.awaitEvent("PreviewTornDown", d -> d.path("pr").asInt() == 2);
        JsonNode after = probe.get("/_local/resources");
        for (String kind : List.of("services", "listenerRules", "targetGroups", "taskDefinitions")) {
            assertEquals(List.of(), tagged(after.path(kind)), kind + " left after the close");
        }
        assertEquals(404, probe.page(url.getHost(), "/").status(), "the host no longer routes");
        // the pull request is told after the teardown (feedback never holds a deploy or teardown up)
        JsonNode told = awaitGitHub(g -> g.path("deployments").path(0).path("state").asText().equals("inactive")
                && g.path("comments").path(0).path("body").asText().contains("Removed"));
        assertTrue(told.path("comments").path(0).path("body").asText().contains("Removed"), told.toString());

        deliveries.send("pull_request", "d-closed-again", Deliveries.payload("pull_request.closed.json"));
        deliveries.send("pull_request", "d-never-built", Deliveries.withNumber(Deliveries.payload("pull_request.closed.json"), 9));
        Thread.sleep(1500);
        assertEquals(1, probe.events("PreviewTornDown").size(), "a second teardown, or one of a PR that never built, changes nothing");
    }

    @Test
    void aFailedDeploymentKeepsThePreviousOneServing() throws Exception {
        start();
        String good = "a".repeat(40);
        String bad = FAILING_DEPLOY + "b".repeat(37);
        deliveries.send("pull_request", "d-good", Deliveries.pullRequest("opened", good, T0));
        JsonNode first = probe.awaitEvent("DeploymentSucceeded", d -> d.path("commitSha").asText().equals(good));
        String host = URI.create(first.path("url").asText()).getHost();

        deliveries.send("pull_request", "d-bad", Deliveries.pullRequest("synchronize", bad, T0.plusSeconds(10)));
        JsonNode failed = probe.awaitEvent("DeploymentFailed", d -> d.path("commitSha").asText().equals(bad));
        assertTrue(failed.path("reason").asText().contains("circuit breaker"), failed.toString());
        probe.awaitStatus(2, "failed");
        RuntimeProbe.Page page = probe.page(host, "/");
        assertEquals(200, page.status());
        assertTrue(page.body().contains(first.path("deploymentId").asText()), "the previous deployment still serves: " + page.body());
    }

    @Test
    void aProductionPushDeploysProductionAtItsOwnHost() throws Exception {
        start();
        byte[] push = Deliveries.variant("push.with-new-branch.json", p -> p.put("ref", "refs/heads/main"));
        deliveries.send("push", "d-push", push);
        JsonNode succeeded = probe.awaitEvent("DeploymentSucceeded", d -> d.path("target").asText().equals("production"));
        assertTrue(succeeded.path("pr").isNull());
        URI url = URI.create(succeeded.path("url").asText());
        assertEquals("hello-world.prod.preview.localhost", url.getHost());
        assertEquals(200, probe.page(url.getHost(), "/").status());
    }

    /** Only what carries the platform's tags for pull request 2. */
    private static List<JsonNode> tagged(JsonNode resources) {
        List<JsonNode> found = new ArrayList<>();
        resources.forEach(r -> {
            if ("2".equals(r.path("tags").path("platform:pr").asText())) {
                found.add(r);
            }
        });
        return found;
    }

    private JsonNode awaitGitHub(Predicate<JsonNode> match) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode gitHub = probe.get("/_local/resources").path("github");
            if (match.test(gitHub)) {
                return gitHub;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the local GitHub never got there: " + probe.get("/_local/resources").path("github"));
    }

}
