package dev.platform.functions.previeworchestrator;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.aws.dynamodb.DynamoDeploymentStateStore;
import dev.platform.aws.dynamodb.ProjectRegistry;
import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.GitHubPayloads;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.Json;
import dev.platform.core.orchestration.OrchestrateRepoEvent;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventCodec;
import dev.platform.embedded.EmbeddedDynamoDb;
import dev.platform.embedded.EmbeddedPlatform;
import dev.platform.embedded.LocalClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A JUnit extension: one embedded DynamoDB Local per test class, a fresh table per test with the demo
 * project linked to GitHub's example repository. Register with {@code @RegisterExtension static}.
 */
final class OrchestratorFixture implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));
    static final String REPO = "Codertocat/Hello-World";
    static final ProjectId PROJECT = EmbeddedPlatform.DEMO_PROJECT_ID;

    EmbeddedDynamoDb embedded;
    DynamoDbClient dynamoDb;

    /** Platform events in publish order; a test may make publishing fail. */
    final List<PlatformEvent> published = Collections.synchronizedList(new ArrayList<>());
    volatile Consumer<List<PlatformEvent>> beforePublish = events -> { };
    /** What the GitHub App answers for every approver. */
    volatile RepositoryPermission permission = RepositoryPermission.WRITE;
    /** Reactions the GitHub App was asked for, as {@code <commentId> <content>}. */
    final List<String> reactions = Collections.synchronizedList(new ArrayList<>());

    String table;
    DynamoDeploymentStateStore store;

    @Override
    public void beforeAll(ExtensionContext context) {
        embedded = EmbeddedDynamoDb.inMemory();
        dynamoDb = LocalClients.dynamoDb(embedded.endpoint());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        table = "platform-" + UUID.randomUUID();
        EmbeddedPlatform.createTable(dynamoDb, table);
        store = new DynamoDeploymentStateStore(dynamoDb, table);
        link(PROJECT, "main");
        published.clear();
        reactions.clear();
        beforePublish = events -> { };
    }

    void link(ProjectId projectId, String productionBranch) {
        EmbeddedPlatform.seed(dynamoDb, table, new ProjectLink(projectId, "team-1", REPO, productionBranch), Instant.now());
    }

    /** The real handler and orchestration on this test's table, publishing to {@link #published}. */
    PreviewOrchestratorHandler handler() {
        PlatformEventPublisher publisher = events -> {
            beforePublish.accept(events);
            published.addAll(events);
        };
        return new PreviewOrchestratorHandler(new OrchestrateRepoEvent(store, new ProjectRegistry(dynamoDb, table),
                (installation, repository, login) -> permission,
                (installation, repository, commentId, reaction) -> reactions.add(commentId + " " + reaction.content()),
                publisher, Clock.systemUTC()));
    }

    /** A variant of GitHub's real pull_request payload, parsed as the webhook would. */
    static RepoEvent.PullRequest pullRequest(String action, int number, CommitSha sha, Instant updatedAt, String deliveryId) {
        try {
            ObjectNode payload = (ObjectNode) Json.MAPPER.readTree(
                    Files.readAllBytes(ROOT.resolve("events/github/pull_request.synchronize.json")));
            payload.put("action", action);
            payload.put("number", number);
            ObjectNode pr = (ObjectNode) payload.get("pull_request");
            pr.put("number", number);
            pr.put("updated_at", updatedAt.toString());
            pr.put("state", "closed".equals(action) ? "closed" : "open");
            ((ObjectNode) pr.get("head")).put("sha", sha.value());
            var parsed = GitHubPayloads.parse("pull_request", deliveryId, Json.MAPPER.writeValueAsBytes(payload));
            return (RepoEvent.PullRequest) ((GitHubPayloads.Parsed.Handled) parsed).event();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A variant of GitHub's real push payload that moves {@code branch} to {@code sha}. */
    static RepoEvent.Push push(String ref, CommitSha sha, long pushedAt, String deliveryId) {
        try {
            ObjectNode payload = (ObjectNode) Json.MAPPER.readTree(
                    Files.readAllBytes(ROOT.resolve("events/github/push.with-new-branch.json")));
            payload.put("ref", ref);
            payload.put("after", sha.value());
            ((ObjectNode) payload.get("repository")).put("pushed_at", pushedAt);
            var parsed = GitHubPayloads.parse("push", deliveryId, Json.MAPPER.writeValueAsBytes(payload));
            return (RepoEvent.Push) ((GitHubPayloads.Parsed.Handled) parsed).event();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What was published, with build request ids blanked: most tests check what was requested, not
     * which delivery asked (the request ids are checked where the delivery is known).
     */
    List<PlatformEvent> publishedIgnoringRequests() {
        synchronized (published) {
            return published.stream().map(e -> e instanceof PlatformEvent.BuildRequested b
                    ? new PlatformEvent.BuildRequested(b.projectId(), b.target(), b.pr(), b.commitSha(), b.buildId(), null)
                    : e).toList();
        }
    }

    /** A preview build of the default build settings, without a request id (see {@link #publishedIgnoringRequests}). */
    static PlatformEvent.BuildRequested previewBuild(ProjectId projectId, int pr, CommitSha sha) {
        return new PlatformEvent.BuildRequested(projectId, PlatformEvent.BuildTarget.PREVIEW, PrNumber.of(pr), sha,
                BuildId.of(projectId, sha, BuildSettings.DEFAULTS), null);
    }

    static PlatformEvent.BuildRequested productionBuild(ProjectId projectId, CommitSha sha) {
        return new PlatformEvent.BuildRequested(projectId, PlatformEvent.BuildTarget.PRODUCTION, null, sha,
                BuildId.of(projectId, sha, BuildSettings.DEFAULTS), null);
    }

    static SQSEvent.SQSMessage message(RepoEvent event) {
        return message(RepoEventCodec.write(event), dev.platform.aws.sqs.SqsRepoEventQueue.messageGroupId(event));
    }

    static SQSEvent.SQSMessage message(String body, String group) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(UUID.randomUUID().toString());
        message.setBody(body);
        message.setAttributes(Map.of("MessageGroupId", group, "ApproximateReceiveCount", "1"));
        return message;
    }

    static SQSEvent batch(SQSEvent.SQSMessage... messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(messages));
        return event;
    }

    static List<String> failures(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    static CommitSha sha(int n) {
        return CommitSha.of(String.format("%040x", n));
    }

    /** The stored preview of pull request {@code pr} of {@code project}. */
    java.util.Optional<dev.platform.core.orchestration.Stored<dev.platform.core.preview.Preview>> preview(ProjectId project, int pr) {
        return store.preview(project, PrNumber.of(pr));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        dynamoDb.close();
        embedded.close();
    }
}
