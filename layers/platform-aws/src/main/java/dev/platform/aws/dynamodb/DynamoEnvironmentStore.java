package dev.platform.aws.dynamodb;

import dev.platform.core.deploy.Deployment;
import dev.platform.core.deploy.DeploymentRecords;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.Stored;
import dev.platform.core.sleep.PreviewIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Deploy environments ({@code ENV#...}, versioned with an outbox through {@link VersionedItems}) and the
 * deployment history ({@code DEPLOY#<id>}, plain puts: a deployment's latest state replaces the earlier
 * one) in the project's partition of the single table, mapped by {@link DeploymentItemMapper}.
 *
 * <p>Also the {@link PreviewIndex}: the environments' sparse GSI2 (running previews) and GSI1 (expiry) entries,
 * read with Query, never Scan, and a {@code HOST#<host>} item per preview host, written before the preview's
 * first version so that the waker finds every preview that was ever created.
 */
public final class DynamoEnvironmentStore implements EnvironmentStore, DeploymentRecords, PreviewIndex {
    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final VersionedItems items;

    public DynamoEnvironmentStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.items = new VersionedItems(dynamoDb, tableName);
    }

    @Override
    public Optional<Stored<Environment>> read(EnvironmentRef ref) {
        return items.read(DeploymentItemMapper.key(ref))
                .map(item -> VersionedItems.stored(DeploymentItemMapper.environment(item), item));
    }

    @Override
    public void commit(Environment next, long expectedVersion, List<Stored.OutboxEntry> events) {
        if (expectedVersion == 0 && next.ref().preview() && next.host() != null) {
            dynamoDb.putItem(r -> r.tableName(tableName).item(Map.of(
                    Keys.PK, Attr.s(Keys.host(next.host())), Keys.SK, Attr.s("HOST"), "type", Attr.s("host"),
                    "projectId", Attr.s(next.ref().projectId().value()), "pr", Attr.n(next.ref().pr().value()))));
        }
        items.commit(DeploymentItemMapper.key(next.ref()), "environment", DeploymentItemMapper.attributes(next),
                DeploymentItemMapper.ENVIRONMENT_OPTIONAL, expectedVersion, events, next.ref().toString());
    }

    @Override
    public void removeFromOutbox(EnvironmentRef ref, List<Stored.OutboxEntry> published) {
        items.removeFromOutbox(DeploymentItemMapper.key(ref), published);
    }

    @Override
    public void put(Deployment deployment) {
        Map<String, AttributeValue> item = new HashMap<>(DeploymentItemMapper.attributes(deployment));
        item.putAll(DeploymentItemMapper.key(deployment.environment().projectId(), deployment.deploymentId()));
        item.put("type", Attr.s("deployment"));
        dynamoDb.putItem(r -> r.tableName(tableName).item(item));
    }

    @Override
    public Optional<Deployment> deployment(ProjectId projectId, String deploymentId) {
        return items.read(DeploymentItemMapper.key(projectId, deploymentId)).map(DeploymentItemMapper::deployment);
    }

    @Override
    public List<Deployment> deployments(ProjectId projectId, int limit) {
        return dynamoDb.query(r -> r.tableName(tableName)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.project(projectId)), ":sk", Attr.s("DEPLOY#")))
                        .scanIndexForward(false)
                        .limit(limit))
                .items().stream().map(DeploymentItemMapper::deployment).toList();
    }

    @Override
    public List<EnvironmentRef> running() {
        return indexed("GSI2", "GSI2PK = :pk", Map.of(":pk", Attr.s(Keys.ACTIVE_PREVIEWS)));
    }

    @Override
    public List<EnvironmentRef> running(ProjectId projectId) {
        return indexed("GSI2", "GSI2PK = :pk AND begins_with(GSI2SK, :project)", Map.of(
                ":pk", Attr.s(Keys.ACTIVE_PREVIEWS), ":project", Attr.s(projectId.value() + "#")));
    }

    @Override
    public List<EnvironmentRef> expiryDue(Instant now) {
        // '~' sorts after every character of a project id: every entry due at or before now
        return indexed("GSI1", "GSI1PK = :pk AND GSI1SK <= :due", Map.of(
                ":pk", Attr.s(Keys.EXPIRING_PREVIEWS), ":due", Attr.s(DeploymentItemMapper.indexTime(now) + "#~")));
    }

    @Override
    public Optional<EnvironmentRef> atHost(String host) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName)
                .key(Map.of(Keys.PK, Attr.s(Keys.host(host)), Keys.SK, Attr.s("HOST")))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(EnvironmentRef.preview(ProjectId.of(Attr.string(item, "projectId")),
                PrNumber.of((int) Attr.number(item, "pr"))));
    }

    /** Every page of an index query, as the environments its entries key (the table's PK and SK are projected). */
    private List<EnvironmentRef> indexed(String index, String condition, Map<String, AttributeValue> values) {
        List<EnvironmentRef> refs = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(tableName).indexName(index).keyConditionExpression(condition)
                        .expressionAttributeValues(values))
                .items().forEach(item -> environmentKey(item).ifPresent(refs::add));
        return refs;
    }

    /** {@code PROJECT#<id>} / {@code ENV#preview#<n>}; other items in the partition (older versions indexed preview items) are skipped. */
    private static Optional<EnvironmentRef> environmentKey(Map<String, AttributeValue> item) {
        String pk = Attr.string(item, Keys.PK);
        String sk = Attr.string(item, Keys.SK);
        String prefix = "ENV#preview#";
        if (pk == null || sk == null || !pk.startsWith("PROJECT#") || !sk.startsWith(prefix)) {
            return Optional.empty();
        }
        return Optional.of(EnvironmentRef.preview(ProjectId.of(pk.substring("PROJECT#".length())),
                PrNumber.of(Integer.parseInt(sk.substring(prefix.length())))));
    }
}
