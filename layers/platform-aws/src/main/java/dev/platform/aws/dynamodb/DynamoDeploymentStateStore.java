package dev.platform.aws.dynamodb;

import dev.platform.aws.dynamodb.StateItemMapper.StateItem;
import dev.platform.core.build.BuildTargets;
import dev.platform.core.deploy.DeployTargets;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.DeploymentStateStore;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Stored;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.PreviewStatus;
import dev.platform.core.preview.ProductionBranch;
import dev.platform.core.preview.TrackedState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Previews and production-branch states in the single table, written with optimistic locking on
 * {@code version}. A change is one conditional UpdateItem that also adds its events to the item's
 * {@code outbox} map (keyed per delivery and event, compactly encoded) and records the delivery in
 * {@code recentDeliveries}: one write of an item below 1 KB, no transaction. Items are mapped by
 * {@link StateItemMapper}.
 *
 * <p>As {@link BuildTargets} it marks what builds do on the same items ({@code status}, {@code buildId},
 * {@code statusReason}), each a single conditional UpdateItem that also moves {@code version} on, so an
 * orchestrator change made from an older read loses its conditional write and is made again. As
 * {@link DeployTargets} it marks what deploys do the same way ({@code status}, {@code statusReason},
 * {@code url}), each conditional on the target still being at the deployed commit.
 */
public final class DynamoDeploymentStateStore implements DeploymentStateStore, BuildTargets, DeployTargets {
    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDeploymentStateStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public List<ProjectLink> projectsOf(String repositoryKey) {
        List<ProjectLink> links = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            QueryResponse page = dynamoDb.query(r -> r.tableName(tableName)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.repo(repositoryKey)), ":sk", Attr.s("PROJECT#")))
                    .exclusiveStartKey(from));
            page.items().forEach(item -> links.add(StateItemMapper.link(item)));
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return links;
    }

    @Override
    public Optional<Stored<Preview>> preview(ProjectId projectId, PrNumber pr) {
        return get(Keys.project(projectId), Keys.preview(pr)).map(StateItemMapper::preview);
    }

    @Override
    public Optional<Stored<ProductionBranch>> productionBranch(ProjectId projectId) {
        return get(Keys.project(projectId), Keys.productionBranch()).map(StateItemMapper::productionBranch);
    }

    @Override
    public void commit(TrackedState next, long expectedVersion, List<Stored.OutboxEntry> events,
                       List<String> recentDeliveries) {
        StateItem state = StateItemMapper.stateItem(next);
        UpdateExpression update = new UpdateExpression();
        state.set().forEach((name, value) -> update.set(value, name));
        state.remove().forEach(update::remove);
        update.set(Attr.s(state.type()), "type")
                .set(Attr.n(expectedVersion + 1), "version")
                .set(AttributeValue.fromL(recentDeliveries.stream().map(Attr::s).toList()), "recentDeliveries");
        if (expectedVersion == 0) {
            // Every state item is born with an outbox map, so later changes can add entries by key.
            Map<String, AttributeValue> outbox = new HashMap<>();
            events.forEach(entry -> outbox.put(entry.key(), Attr.s(OutboxCodec.write(entry))));
            update.set(AttributeValue.fromM(outbox), "outbox").conditionAbsent(Keys.PK);
        } else {
            events.forEach(entry -> update.set(Attr.s(OutboxCodec.write(entry)), "outbox", entry.key()));
            update.conditionEquals("version", Attr.n(expectedVersion));
        }
        try {
            dynamoDb.updateItem(r -> update.applyTo(r.tableName(tableName).key(state.key())));
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentUpdateException(state.describe() + " changed since version " + expectedVersion);
        }
    }

    @Override
    public void removeFromOutbox(TrackedState state, List<Stored.OutboxEntry> published) {
        if (published.isEmpty()) {
            return;
        }
        UpdateExpression update = new UpdateExpression().conditionPresent("outbox");
        published.forEach(entry -> update.remove("outbox", entry.key()));
        try {
            dynamoDb.updateItem(r -> update.applyTo(r.tableName(tableName).key(StateItemMapper.stateItem(state).key())));
        } catch (ConditionalCheckFailedException gone) {
            // no outbox at all: nothing to remove
        }
    }

    @Override
    public Optional<TargetState> target(ProjectId projectId, BuildTarget target, PrNumber pr) {
        return get(Keys.project(projectId), targetKey(target, pr)).map(item -> new TargetState(
                CommitSha.of(Attr.string(item, "headSha")),
                PreviewStatus.DELETED.wireName().equals(Attr.string(item, "status")),
                Attr.string(item, "buildId") == null ? null : new BuildId(Attr.string(item, "buildId"))));
    }

    @Override
    public boolean building(ProjectId projectId, BuildTarget target, PrNumber pr, CommitSha commit, BuildId buildId) {
        UpdateExpression update = new UpdateExpression()
                .set(Attr.s(PreviewStatus.BUILDING.wireName()), "status")
                .set(Attr.s(buildId.value()), "buildId")
                .remove("statusReason")
                .increment("version")
                .conditionEquals("headSha", Attr.s(commit.value()));
        return markTarget(projectId, target, pr, update);
    }

    @Override
    public void buildEnded(ProjectId projectId, BuildTarget target, PrNumber pr, BuildId buildId, boolean succeeded,
                           String reason) {
        UpdateExpression update = new UpdateExpression()
                .set(Attr.s((succeeded ? PreviewStatus.BUILT : PreviewStatus.FAILED).wireName()), "status")
                .increment("version")
                .conditionEquals("buildId", Attr.s(buildId.value()));
        if (succeeded || reason == null) {
            update.remove("statusReason");
        } else {
            update.set(Attr.s(reason), "statusReason");
        }
        markTarget(projectId, target, pr, update);
    }

    @Override
    public void deploying(EnvironmentRef environment, CommitSha commit) {
        markDeploy(environment, commit, new UpdateExpression()
                .set(Attr.s(PreviewStatus.DEPLOYING.wireName()), "status").remove("statusReason"));
    }

    @Override
    public void deployed(EnvironmentRef environment, CommitSha commit, String url) {
        markDeploy(environment, commit, new UpdateExpression()
                .set(Attr.s(PreviewStatus.ACTIVE.wireName()), "status").set(Attr.s(url), "url").remove("statusReason"));
    }

    @Override
    public void deployFailed(EnvironmentRef environment, CommitSha commit, String reason) {
        markDeploy(environment, commit, new UpdateExpression()
                .set(Attr.s(PreviewStatus.FAILED.wireName()), "status").set(Attr.s(reason), "statusReason"));
    }

    @Override
    public void standing(EnvironmentRef environment, CommitSha commit, PreviewStatus status) {
        markDeploy(environment, commit, new UpdateExpression()
                .set(Attr.s(status.wireName()), "status").remove("statusReason"));
    }

    /** Read, then written on the condition that it is unchanged: a later time written meanwhile stays. */
    @Override
    public void requested(EnvironmentRef environment, Instant lastRequestAt) {
        if (!environment.preview()) {
            return;
        }
        Optional<Map<String, AttributeValue>> item = get(Keys.project(environment.projectId()), Keys.preview(environment.pr()));
        Instant shown = item.map(i -> Attr.instant(i, "lastRequestAt")).orElse(null);
        if (item.isEmpty() || shown != null && !lastRequestAt.isAfter(shown)) {
            return;
        }
        UpdateExpression update = new UpdateExpression().set(Attr.time(lastRequestAt), "lastRequestAt").increment("version");
        markTarget(environment.projectId(), environment.target(), environment.pr(), shown == null
                ? update.conditionAbsent("lastRequestAt") : update.conditionEquals("lastRequestAt", Attr.time(shown)));
    }

    private void markDeploy(EnvironmentRef environment, CommitSha commit, UpdateExpression update) {
        markTarget(environment.projectId(), environment.target(), environment.pr(),
                update.increment("version").conditionEquals("headSha", Attr.s(commit.value())));
    }

    /** @return false when the condition did not hold (the target moved on) */
    private boolean markTarget(ProjectId projectId, BuildTarget target, PrNumber pr, UpdateExpression update) {
        if (target == BuildTarget.PREVIEW) {
            update.conditionNotEquals("status", Attr.s(PreviewStatus.DELETED.wireName()));
        }
        try {
            dynamoDb.updateItem(r -> update.applyTo(r.tableName(tableName)
                    .key(StateItemMapper.key(Keys.project(projectId), targetKey(target, pr)))));
            return true;
        } catch (ConditionalCheckFailedException movedOn) {
            return false;
        }
    }

    private static String targetKey(BuildTarget target, PrNumber pr) {
        return target == BuildTarget.PREVIEW ? Keys.preview(pr) : Keys.productionBranch();
    }

    private Optional<Map<String, AttributeValue>> get(String pk, String sk) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName)
                .key(StateItemMapper.key(pk, sk))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }
}
