package dev.platform.aws.github;

import static dev.platform.aws.github.FakeGitHub.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.platform.core.github.app.CommentReactions.Reaction;
import dev.platform.core.github.app.GitHubException;
import dev.platform.core.github.app.PullRequestFeedback.State;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.json.Json;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Deployments, their statuses, the preview comment and reactions: the paths and bodies GitHub documents. */
class GitHubAppFeedbackTest extends GitHubAppFixture {
    private static final CommitSha HEAD = CommitSha.of("6dcb09b5b57875f334f61aebed695e2e4193db5e");
    private static final String MARKER = "<!-- platform:preview shop -->";

    @Test
    void aDeploymentIsCreatedOnlyWhenTheCommitHasNoneInThatEnvironment() throws Exception {
        github.on("GET", "/repos/acme/shop/deployments", json(200, "[]"));
        github.on("POST", "/repos/acme/shop/deployments", json(201, "{\"id\":77}"));
        github.on("GET", "/repos/acme/shop/deployments", json(200, "[{\"id\":77}]"));

        assertEquals(77, app.deployment(INSTALLATION, REPO, HEAD, "preview/pr-2"));
        assertEquals(77, app.deployment(INSTALLATION, REPO, HEAD, "preview/pr-2"));

        assertEquals(1, github.requests("POST", "/repos/acme/shop/deployments").size());
        assertEquals("sha=" + HEAD.value() + "&environment=preview%2Fpr-2&per_page=1",
                github.requests("GET", "/repos/acme/shop/deployments").getFirst().query());
        assertEquals(Json.MAPPER.readTree("""
                {"ref":"6dcb09b5b57875f334f61aebed695e2e4193db5e","environment":"preview/pr-2","transient_environment":true,
                 "production_environment":false,"auto_merge":false,"description":"Preview of 6dcb09b","required_contexts":[]}"""),
                github.requests("POST", "/repos/acme/shop/deployments").getFirst().json());
    }

    @Test
    void aStatusCarriesTheUrlAndADescriptionGitHubAccepts() throws Exception {
        github.on("POST", "/repos/acme/shop/deployments/77/statuses", json(201, "{\"id\":1}"));
        app.status(INSTALLATION, REPO, 77, State.SUCCESS, "https://pr-2-shop-abc.preview.example.com", null, "x".repeat(200));

        var body = github.requests("POST", "/repos/acme/shop/deployments/77/statuses").getFirst().json();
        assertEquals("success", body.path("state").asText());
        assertEquals("https://pr-2-shop-abc.preview.example.com", body.path("environment_url").asText());
        assertEquals(140, body.path("description").asText().length());
    }

    @Test
    void theCommentIsCreatedOnceAndThenEditedWhereverItIs() throws Exception {
        String comments = "/repos/acme/shop/issues/2/comments";
        github.on("GET", comments, json(200, "[{\"id\":5,\"body\":\"nice change\"}]"));
        github.on("POST", comments, json(201, "{\"id\":9}"));
        app.comment(INSTALLATION, REPO, PrNumber.of(2), MARKER, MARKER + "\nDeploying");

        StringBuilder fullPage = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            fullPage.append(i == 0 ? "" : ",").append("{\"id\":").append(100 + i).append(",\"body\":\"chatter\"}");
        }
        github.on("GET", comments, json(200, fullPage.append("]").toString()));
        github.on("GET", comments, json(200, "[{\"id\":9,\"body\":\"" + MARKER + "\\nDeploying\"}]"));
        github.on("PATCH", "/repos/acme/shop/issues/comments/9", json(200, "{\"id\":9}"));
        app.comment(INSTALLATION, REPO, PrNumber.of(2), MARKER, MARKER + "\nReady");

        assertEquals(1, github.requests("POST", comments).size(), "created once");
        assertEquals("page=2", github.requests("GET", comments).get(2).query().replaceFirst("per_page=100&", ""),
                "found on the second page");
        assertEquals(MARKER + "\nReady",
                github.requests("PATCH", "/repos/acme/shop/issues/comments/9").getFirst().json().path("body").asText());
        assertThrows(IllegalArgumentException.class, () -> app.comment(INSTALLATION, REPO, PrNumber.of(2), MARKER, "no marker"));
    }

    @Test
    void theLatestDeploymentOfAnEnvironmentIsTheFirstListed() {
        github.on("GET", "/repos/acme/shop/deployments", json(200, "[{\"id\":80},{\"id\":77}]"));
        github.on("GET", "/repos/acme/shop/deployments", json(200, "[]"));

        assertEquals(OptionalLong.of(80), app.latestDeployment(INSTALLATION, REPO, "preview/pr-2"));
        assertEquals(OptionalLong.empty(), app.latestDeployment(INSTALLATION, REPO, "preview/pr-3"));
    }
    @Test
    void aReactionIsPostedOnTheCommentAndAnExistingOneIsSuccessToo() throws Exception {
        String reactions = "/repos/acme/shop/issues/comments/492700400/reactions";
        github.on("POST", reactions, json(201, "{\"id\":1,\"content\":\"eyes\"}"));
        github.on("POST", reactions, json(200, "{\"id\":1,\"content\":\"eyes\"}"));
        github.on("POST", reactions, json(201, "{\"id\":2,\"content\":\"confused\"}"));

        app.react(INSTALLATION, REPO, 492700400L, Reaction.EYES);
        app.react(INSTALLATION, REPO, 492700400L, Reaction.EYES);
        app.react(INSTALLATION, REPO, 492700400L, Reaction.CONFUSED);

        var sent = github.requests("POST", reactions);
        assertEquals(3, sent.size());
        assertEquals(Json.MAPPER.readTree("{\"content\":\"eyes\"}"), sent.getFirst().json());
        assertEquals(Json.MAPPER.readTree("{\"content\":\"confused\"}"), sent.get(2).json());
        assertEquals("+1", Reaction.PLUS_ONE.content());
        assertEquals("rocket", Reaction.ROCKET.content());
    }

    @Test
    void aReactionGitHubRefusesIsAGitHubExceptionOfItsKind() {
        String reactions = "/repos/acme/shop/issues/comments/5/reactions";
        github.on("POST", reactions, json(404, "{\"message\":\"Not Found\"}"));
        github.on("POST", reactions, json(422, "{\"message\":\"Validation Failed\"}"));

        assertEquals(GitHubException.Kind.NOT_FOUND,
                assertThrows(GitHubException.class, () -> app.react(INSTALLATION, REPO, 5, Reaction.EYES)).kind());
        assertEquals(GitHubException.Kind.REJECTED,
                assertThrows(GitHubException.class, () -> app.react(INSTALLATION, REPO, 5, Reaction.EYES)).kind());
        assertThrows(IllegalArgumentException.class, () -> app.react(INSTALLATION, REPO, 0, Reaction.EYES));
    }
}
