package dev.platform.aws.dynamodb;

import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.ShardSlots;
import dev.platform.core.deploy.Slot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One item per load balancer shard ({@code SHARD#<k>} / {@code META}) whose {@code slots} map holds
 * {@code priority → environment}. A claim is one conditional UpdateItem that sets a free priority only
 * while that priority is free and the map holds fewer than the capacity, so concurrent claims never share
 * a priority nor overfill a shard; a claim that loses re-reads and tries again.
 */
public final class DynamoShardSlots implements ShardSlots {
    private static final int MAX_ATTEMPTS = 20;

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final int previewShards;
    private final int capacity;

    /**
     * @param previewShards how many preview load balancers there are
     * @param capacity previews (and production environments) one load balancer holds: at most 99, since an
     *     ALB holds at most 100 target groups
     */
    public DynamoShardSlots(DynamoDbClient dynamoDb, String tableName, int previewShards, int capacity) {
        if (previewShards < 1 || capacity < 1 || capacity > 99) {
            throw new IllegalArgumentException("need at least one shard and a capacity of 1-99: " + previewShards + ", " + capacity);
        }
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.previewShards = previewShards;
        this.capacity = capacity;
    }

    @Override
    public Optional<Slot> claim(EnvironmentRef environment) {
        String owner = owner(environment);
        List<Integer> shards = environment.preview() ? IntStream.range(0, previewShards).boxed().toList()
                : List.of(Slot.PRODUCTION);
        for (int shard : shards) {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                Map<String, String> slots = slots(shard);
                Optional<Integer> held = slots.entrySet().stream().filter(e -> e.getValue().equals(owner))
                        .map(e -> Integer.parseInt(e.getKey())).findFirst();
                if (held.isPresent()) {
                    return Optional.of(new Slot(shard, held.get()));
                }
                if (slots.size() >= capacity) {
                    break;
                }
                int free = IntStream.rangeClosed(1, capacity).filter(p -> !slots.containsKey(Integer.toString(p)))
                        .findFirst().orElseThrow();
                if (take(shard, free, owner)) {
                    return Optional.of(new Slot(shard, free));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void release(EnvironmentRef environment, Slot slot) {
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName).key(key(slot.shard()))
                    .updateExpression("REMOVE slots.#p")
                    .conditionExpression("slots.#p = :owner")
                    .expressionAttributeNames(Map.of("#p", Integer.toString(slot.priority())))
                    .expressionAttributeValues(Map.of(":owner", Attr.s(owner(environment)))));
        } catch (ConditionalCheckFailedException notHeld) {
            // freed already, or held by another environment since: nothing to free
        }
    }

    private Map<String, String> slots(int shard) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName).key(key(shard)).consistentRead(true)).item();
        Map<String, String> slots = new HashMap<>();
        if (item == null || item.isEmpty()) {
            // born with an empty map, so claims can set one priority of it by path
            try {
                dynamoDb.putItem(r -> r.tableName(tableName)
                        .item(Map.of(Keys.PK, Attr.s(Keys.shard(shard)), Keys.SK, Attr.s(Keys.META),
                                "type", Attr.s("shard"), "slots", AttributeValue.fromM(Map.of())))
                        .conditionExpression("attribute_not_exists(PK)"));
            } catch (ConditionalCheckFailedException createdMeanwhile) {
                // another claim created it
            }
            return slots;
        }
        AttributeValue stored = item.get("slots");
        if (stored != null && stored.hasM()) {
            stored.m().forEach((priority, holder) -> slots.put(priority, holder.s()));
        }
        return slots;
    }

    private boolean take(int shard, int priority, String owner) {
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName).key(key(shard))
                    .updateExpression("SET slots.#p = :owner")
                    .conditionExpression("attribute_not_exists(slots.#p) AND size(slots) < :capacity")
                    .expressionAttributeNames(Map.of("#p", Integer.toString(priority)))
                    .expressionAttributeValues(Map.of(":owner", Attr.s(owner), ":capacity", Attr.n(capacity))));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(int shard) {
        return StateItemMapper.key(Keys.shard(shard), Keys.META);
    }

    private static String owner(EnvironmentRef environment) {
        return environment.projectId().value() + "/" + environment.serviceName();
    }
}
