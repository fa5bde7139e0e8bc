package dev.platform.aws.dynamodb;

import dev.platform.core.deploy.Deployment;
import dev.platform.core.deploy.DeploymentRecords;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.Stored;
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
 */
public final class DynamoEnvironmentStore implements EnvironmentStore, DeploymentRecords {
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
}
