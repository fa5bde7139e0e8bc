package dev.platform.aws.dynamodb;

import dev.platform.core.build.Build;
import dev.platform.core.build.BuildStore;
import dev.platform.core.ids.BuildId;
import dev.platform.core.orchestration.DeploymentStateStore.ConcurrentUpdateException;
import dev.platform.core.orchestration.Stored;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Build records in the single table, written with optimistic locking on {@code version}: a change and
 * the events it owes (in the item's {@code outbox} map) are one conditional UpdateItem. Mapped by
 * {@link BuildItemMapper}.
 */
public final class DynamoBuildStore implements BuildStore {
    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoBuildStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Optional<Stored<Build>> read(BuildId buildId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName)
                .key(BuildItemMapper.key(buildId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(BuildItemMapper.build(item));
    }

    @Override
    public void commit(Build next, long expectedVersion, List<Stored.OutboxEntry> events) {
        Map<String, AttributeValue> attributes = BuildItemMapper.attributes(next);
        UpdateExpression update = new UpdateExpression();
        attributes.forEach((name, value) -> update.set(value, name));
        BuildItemMapper.OPTIONAL.stream().filter(name -> !attributes.containsKey(name)).forEach(update::remove);
        update.set(Attr.s("build"), "type").set(Attr.n(expectedVersion + 1), "version");
        if (expectedVersion == 0) {
            Map<String, AttributeValue> outbox = new HashMap<>();
            events.forEach(entry -> outbox.put(entry.key(), Attr.s(BuildItemMapper.write(entry))));
            update.set(AttributeValue.fromM(outbox), "outbox").conditionAbsent(Keys.PK);
        } else {
            events.forEach(entry -> update.set(Attr.s(BuildItemMapper.write(entry)), "outbox", entry.key()));
            update.conditionEquals("version", Attr.n(expectedVersion));
        }
        try {
            dynamoDb.updateItem(r -> update.applyTo(r.tableName(tableName).key(BuildItemMapper.key(next.buildId()))));
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentUpdateException("build " + next.buildId() + " changed since version " + expectedVersion);
        }
    }

    @Override
    public void removeFromOutbox(BuildId buildId, List<Stored.OutboxEntry> published) {
        if (published.isEmpty()) {
            return;
        }
        UpdateExpression update = new UpdateExpression().conditionPresent("outbox");
        published.forEach(entry -> update.remove("outbox", entry.key()));
        try {
            dynamoDb.updateItem(r -> update.applyTo(r.tableName(tableName).key(BuildItemMapper.key(buildId))));
        } catch (ConditionalCheckFailedException gone) {
            // no outbox: nothing to remove
        }
    }
}
