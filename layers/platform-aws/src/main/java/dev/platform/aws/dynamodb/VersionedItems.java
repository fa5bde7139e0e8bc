package dev.platform.aws.dynamodb;

import dev.platform.core.events.PlatformEventCodec;
import dev.platform.core.json.Json;
import dev.platform.core.orchestration.DeploymentStateStore.ConcurrentUpdateException;
import dev.platform.core.orchestration.Stored;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Items written with optimistic locking on {@code version} whose changes and the events they owe (in
 * the item's {@code outbox} map) are one conditional UpdateItem: build records and deploy environments.
 * Outbox entries are kept as {@code {"at":<epoch seconds>,"type":"<detail-type>","detail":{...}}}: these
 * items are not on the webhook's hot path, so readable beats compact here.
 */
final class VersionedItems {
    private final DynamoDbClient dynamoDb;
    private final String tableName;

    VersionedItems(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** Strongly consistent read. */
    Optional<Map<String, AttributeValue>> read(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName).key(key).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * Sets {@code attributes}, removes those of {@code optional} that are absent from them, and adds the
     * events, if the stored version is still {@code expectedVersion} (0: the item must not exist).
     *
     * @param what names the item in the conflict's message
     */
    void commit(Map<String, AttributeValue> key, String type, Map<String, AttributeValue> attributes,
                Collection<String> optional, long expectedVersion, List<Stored.OutboxEntry> events, String what) {
        UpdateExpression update = new UpdateExpression();
        attributes.forEach((name, value) -> update.set(value, name));
        optional.stream().filter(name -> !attributes.containsKey(name)).forEach(update::remove);
        update.set(Attr.s(type), "type").set(Attr.n(expectedVersion + 1), "version");
        if (expectedVersion == 0) {
            Map<String, AttributeValue> outbox = new HashMap<>();
            events.forEach(entry -> outbox.put(entry.key(), Attr.s(write(entry))));
            update.set(AttributeValue.fromM(outbox), "outbox").conditionAbsent(Keys.PK);
        } else {
            events.forEach(entry -> update.set(Attr.s(write(entry)), "outbox", entry.key()));
            update.conditionEquals("version", Attr.n(expectedVersion));
        }
        try {
            dynamoDb.updateItem(r -> update.applyTo(r.tableName(tableName).key(key)));
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentUpdateException(what + " changed since version " + expectedVersion);
        }
    }

    void removeFromOutbox(Map<String, AttributeValue> key, List<Stored.OutboxEntry> published) {
        if (published.isEmpty()) {
            return;
        }
        UpdateExpression update = new UpdateExpression().conditionPresent("outbox");
        published.forEach(entry -> update.remove("outbox", entry.key()));
        try {
            dynamoDb.updateItem(r -> update.applyTo(r.tableName(tableName).key(key)));
        } catch (ConditionalCheckFailedException gone) {
            // no outbox: nothing to remove
        }
    }

    /** The item's state with its version and outbox. */
    static <T> Stored<T> stored(T state, Map<String, AttributeValue> item) {
        return new Stored<>(state, Attr.number(item, "version"), outbox(item), List.of());
    }

    static String write(Stored.OutboxEntry entry) {
        var node = Json.object();
        node.put("at", entry.createdAt().getEpochSecond());
        node.put("type", entry.event().detailType());
        node.set("detail", PlatformEventCodec.detail(entry.event()));
        return Json.write(node);
    }

    private static List<Stored.OutboxEntry> outbox(Map<String, AttributeValue> item) {
        AttributeValue outbox = item.get("outbox");
        if (outbox == null || !outbox.hasM()) {
            return List.of();
        }
        List<Stored.OutboxEntry> entries = new ArrayList<>();
        outbox.m().forEach((key, value) -> {
            try {
                var node = Json.MAPPER.readTree(value.s());
                entries.add(new Stored.OutboxEntry(key,
                        PlatformEventCodec.read(node.path("type").asText(), node.path("detail")),
                        Instant.ofEpochSecond(node.path("at").asLong())));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable outbox entry " + key + " of " + Attr.string(item, Keys.PK), e);
            }
        });
        entries.sort(Comparator.comparing(Stored.OutboxEntry::createdAt).thenComparing(Stored.OutboxEntry::key));
        return entries;
    }
}
