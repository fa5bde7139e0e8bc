package dev.platform.functions.previeworchestrator;

import static dev.platform.functions.previeworchestrator.OrchestratorFixture.PROJECT;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.batch;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.failures;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.message;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.previewBuild;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.productionBuild;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.pullRequest;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.push;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent.BuildRequested;
import dev.platform.core.events.PlatformEvent.PreviewTeardownRequested;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.github.GitHubPayloads;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.OrchestrateRepoEvent;
import dev.platform.core.orchestration.Stored;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.PreviewCommand;
import dev.platform.core.preview.PreviewStatus;
import dev.platform.core.repoevent.RepoEvent;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PreviewOrchestratorHandlerTest {
    private static final Instant T0 = Instant.parse("2019-05-15T15:20:33Z");
    @RegisterExtension
    static final OrchestratorFixture fixture = new OrchestratorFixture();
    private PreviewOrchestratorHandler handler;

    @BeforeEach
    void newHandler() {
        handler = fixture.handler();
    }

    private Preview preview(int pr) {
        return fixture.preview(PROJECT, pr).orElseThrow().state();
    }

    @Test
    void theSampleBatchBuildsTheOpenedPullRequestAndIgnoresTheTagDeletion() throws Exception {
        SQSEvent sample;
        try (InputStream in = Files.newInputStream(OrchestratorFixture.ROOT.resolve("events/lambda/preview-orchestrator.json"))) {
            sample = LambdaEventSerializers.serializerFor(SQSEvent.class, getClass().getClassLoader()).fromJson(in);
        }
        SQSBatchResponse response = handler.handleRequest(sample, null);
        assertEquals(List.of(), failures(response));
        assertEquals(List.of(previewBuild(PROJECT, 2, CommitSha.of("ec26c3e57ca3a959ca5aad62de7213c562f8c821"))), fixture.publishedIgnoringRequests());
        assertEquals(PreviewStatus.PENDING, preview(2).status());
        assertTrue(fixture.store.productionBranch(PROJECT).isEmpty());
    }

    @Test
    void aReplayedDeliveryThatTiesOnTimeDoesNotBuildTwice() {
        // Two pushes within one second share updated_at; replaying the first must not rebuild it.
        RepoEvent first = pullRequest("synchronize", 6, sha(1), T0, "d-first");
        RepoEvent second = pullRequest("synchronize", 6, sha(2), T0, "d-second");
        handler.handleRequest(batch(message(first), message(second), message(first)), null);
        assertEquals(List.of(previewBuild(PROJECT, 6, sha(1)), previewBuild(PROJECT, 6, sha(2))),
                fixture.publishedIgnoringRequests());
        assertEquals(sha(2), preview(6).headSha());
    }

    @Test
    void aPoisonMessageFailsAloneAndHoldsBackOnlyItsOwnGroup() {
        SQSEvent.SQSMessage good = message(pullRequest("opened", 8, sha(1), T0, "d1"));
        SQSEvent.SQSMessage poison = message("{\"kind\":\"pull_request\",\"deliveryId\":\"x\"}", "codertocat/hello-world#pr-9");
        SQSEvent.SQSMessage sameGroupAfterPoison = message(pullRequest("opened", 9, sha(2), T0, "d2"));
        SQSEvent.SQSMessage notJson = message("definitely not json", "codertocat/hello-world#pr-10");
        SQSEvent.SQSMessage otherGroup = message(pullRequest("opened", 11, sha(3), T0, "d3"));
        SQSBatchResponse response = handler.handleRequest(batch(good, poison, sameGroupAfterPoison, notJson, otherGroup), null);
        assertEquals(List.of(poison.getMessageId(), sameGroupAfterPoison.getMessageId(), notJson.getMessageId()),
                failures(response));
        assertEquals(List.of(previewBuild(PROJECT, 8, sha(1)), previewBuild(PROJECT, 11, sha(3))),
                fixture.publishedIgnoringRequests());
        assertTrue(fixture.preview(PROJECT, 9).isEmpty(), "pr-9 waits for its group to be retried in order");
    }

    @Test
    void aCrashBetweenCommitAndPublishLosesNothingAndDuplicatesNothing() {
        fixture.beforePublish = events -> {
            throw new IllegalStateException("bus unavailable");
        };
        SQSEvent.SQSMessage opened = message(pullRequest("opened", 12, sha(1), T0, "d1"));
        assertEquals(List.of(opened.getMessageId()), failures(handler.handleRequest(batch(opened), null)));
        assertEquals(1, fixture.preview(PROJECT, 12).orElseThrow().outbox().size(), "the change kept its events");
        assertTrue(fixture.published.isEmpty());

        fixture.beforePublish = events -> { };
        assertEquals(List.of(), failures(handler.handleRequest(batch(opened), null)));
        assertEquals(List.of(), failures(handler.handleRequest(batch(opened), null)));
        assertEquals(List.of(BuildRequested.preview(PROJECT, PrNumber.of(12), sha(1), BuildSettings.DEFAULTS, "d1")), fixture.published,
                "published once, as the request of the delivery that caused it");
        assertTrue(fixture.preview(PROJECT, 12).orElseThrow().outbox().isEmpty());
    }

    @Test
    void eventsLeftByAWriterThatDiedArePublishedByTheNextDeliveryAfterTheLease() {
        handler.handleRequest(batch(message(pullRequest("opened", 15, sha(1), T0, "d1"))), null);
        Stored<Preview> stored = fixture.preview(PROJECT, 15).orElseThrow();
        // A writer that committed a teardown two lease periods ago and was stopped before publishing:
        var abandoned = new Stored.OutboxEntry("dead#0", new PreviewTeardownRequested(PROJECT, PrNumber.of(15)),
                Instant.now().minus(OrchestrateRepoEvent.OUTBOX_LEASE.multipliedBy(2)));
        var fresh = new Stored.OutboxEntry("alive#0", previewBuild(PROJECT, 15, sha(9)), Instant.now());
        fixture.store.commit(stored.state(), stored.version(), List.of(abandoned, fresh), stored.recentDeliveries());
        fixture.published.clear();

        handler.handleRequest(batch(message(pullRequest("synchronize", 15, sha(2), T0.plusSeconds(5), "d2"))), null);
        assertEquals(List.of(new PreviewTeardownRequested(PROJECT, PrNumber.of(15)), previewBuild(PROJECT, 15, sha(2))),
                fixture.publishedIgnoringRequests(), "the abandoned entry is published; a live writer's entry is left to it");
        assertEquals(List.of("alive#0"), fixture.preview(PROJECT, 15).orElseThrow().outbox().stream()
                .map(Stored.OutboxEntry::key).toList());
    }

    @Test
    void aPushToTheProductionBranchBuildsProductionAndOtherPushesDoNot() {
        handler.handleRequest(batch(
                message(push("refs/heads/main", sha(1), 1_000, "p1")),
                message(push("refs/heads/master", sha(2), 1_001, "p2")),
                message(push("refs/tags/v1.0", sha(3), 1_002, "p3")),
                message(push("refs/heads/main", sha(4), 900, "p4")),
                message(push("refs/heads/main", sha(1), 1_000, "p5"))), null);
        assertEquals(List.of(productionBuild(PROJECT, sha(1))), fixture.publishedIgnoringRequests());
        assertEquals(sha(1), fixture.store.productionBranch(PROJECT).orElseThrow().state().headSha());
    }

    @Test
    void theRealTagDeletionAndBranchCreationPayloadsDoNotDeployAProjectOnMain() {
        handler.handleRequest(batch(message(push("refs/tags/simple-tag", CommitSha.ZERO, 1, "t1"))), null);
        assertTrue(fixture.published.isEmpty());
    }

    @Test
    void theSampleSleepCommandIsOneEventThroughThePreviewsOutboxAndAnsweredOnce() throws Exception {
        byte[] body = Files.readAllBytes(OrchestratorFixture.ROOT.resolve("events/github/issue_comment.preview-sleep.json"));
        var parsed = (GitHubPayloads.Parsed.Handled) GitHubPayloads.parse("issue_comment", "d-sleep", body);
        SQSEvent.SQSMessage sleep = message(parsed.event());
        SQSEvent.SQSMessage early = message(parsed.event());
        assertEquals(List.of(), failures(handler.handleRequest(batch(early), null)));
        assertEquals(List.of(), fixture.published, "before the pull request is opened there is no preview to put to sleep");
        assertEquals(List.of(), fixture.reactions);

        handler.handleRequest(batch(message(pullRequest("opened", 2, sha(1), T0, "d-open"))), null);
        fixture.published.clear();
        fixture.beforePublish = events -> {
            throw new IllegalStateException("bus unavailable");
        };
        assertEquals(List.of(sleep.getMessageId()), failures(handler.handleRequest(batch(sleep), null)));
        assertEquals(1, fixture.preview(PROJECT, 2).orElseThrow().outbox().size(), "the request waits in the preview's outbox");

        fixture.beforePublish = events -> { };
        assertEquals(List.of(), failures(handler.handleRequest(batch(sleep, sleep), null)));
        assertEquals(List.of(new PlatformEvent.PreviewCommandRequested(PROJECT, PrNumber.of(2), PreviewCommand.Kind.SLEEP, null,
                "Codertocat", 492700400L, "d-sleep")), fixture.published, "published once for the delivery seen three times");
        assertEquals(List.of("492700400 eyes"), fixture.reactions, "answered when it was accepted, not again");
        assertTrue(fixture.preview(PROJECT, 2).orElseThrow().outbox().isEmpty());
        assertEquals(sha(1), preview(2).headSha());

        fixture.permission = RepositoryPermission.READ;
        var visitor = (GitHubPayloads.Parsed.Handled) GitHubPayloads.parse("issue_comment", "d-visitor", body);
        handler.handleRequest(batch(message(visitor.event())), null);
        assertEquals(1, fixture.published.size(), "a reader's command is ignored");
        assertEquals(List.of("492700400 eyes", "492700400 confused"), fixture.reactions);
    }

    @Test
    void everyProjectOfTheRepositoryGetsItsOwnPreview() {
        ProjectId second = ProjectId.of("second-project");
        fixture.link(second, "main");
        handler.handleRequest(batch(message(pullRequest("opened", 13, sha(1), T0, "d1"))), null);
        assertEquals(2, fixture.published.size());
        assertTrue(fixture.publishedIgnoringRequests().contains(previewBuild(second, 13, sha(1))));
        assertTrue(fixture.preview(second, 13).isPresent());
    }
}
