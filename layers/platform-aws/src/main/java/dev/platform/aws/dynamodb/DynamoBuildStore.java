package dev.platform.aws.dynamodb;

import dev.platform.core.build.Build;
import dev.platform.core.build.BuildStore;
import dev.platform.core.ids.BuildId;
import dev.platform.core.orchestration.Stored;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Build records in the single table ({@code BUILD#<buildId>} / {@code META}), written with optimistic
 * locking through {@link VersionedItems} and mapped by {@link BuildItemMapper}.
 */
public final class DynamoBuildStore implements BuildStore {
    private final VersionedItems items;

    public DynamoBuildStore(DynamoDbClient dynamoDb, String tableName) {
        this.items = new VersionedItems(dynamoDb, tableName);
    }

    @Override
    public Optional<Stored<Build>> read(BuildId buildId) {
        return items.read(BuildItemMapper.key(buildId)).map(BuildItemMapper::build);
    }

    @Override
    public void commit(Build next, long expectedVersion, List<Stored.OutboxEntry> events) {
        items.commit(BuildItemMapper.key(next.buildId()), "build", BuildItemMapper.attributes(next), BuildItemMapper.OPTIONAL,
                expectedVersion, events, "build " + next.buildId());
    }

    @Override
    public void removeFromOutbox(BuildId buildId, List<Stored.OutboxEntry> published) {
        items.removeFromOutbox(BuildItemMapper.key(buildId), published);
    }
}
