package dev.platform.aws.dynamodb;

import dev.platform.core.orchestration.DeploymentStateStore;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Stored;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.PreviewStatus;
import dev.platform.core.preview.ProductionBranch;
import dev.platform.core.preview.TrackedState;
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
 * {@code recentDeliveries}: one write of an item below 1 KB, no transaction.
 */
public final class DynamoDeploymentStateStore implements DeploymentStateStore {
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
            for (Map<String, AttributeValue> item : page.items()) {
                links.add(new ProjectLink(Attr.string(item, "projectId"), Attr.string(item, "teamId"),
                        Attr.string(item, "repository"), Attr.string(item, "productionBranch"), BuildSettingsAttributes.read(item)));
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return links;
    }

    @Override
    public Optional<Stored<Preview>> preview(String projectId, int pr) {
        return get(Keys.project(projectId), Keys.preview(pr)).map(item -> new Stored<>(
                new Preview(
                        Attr.string(item, "projectId"),
                        (int) Attr.number(item, "pr"),
                        PreviewStatus.fromWire(Attr.string(item, "status")),
                        Attr.string(item, "headSha"),
                        Attr.string(item, "headRef"),
                        Attr.instant(item, "prUpdatedAt"),
                        Attr.flag(item, "draft"),
                        Attr.flag(item, "fork"),
                        Attr.string(item, "buildRequestedSha"),
                        Attr.instant(item, "createdAt"),
                        Attr.instant(item, "changedAt"),
                        Attr.instant(item, "closedAt"),
                        Attr.instant(item, "lastRequestAt")),
                Attr.number(item, "version"),
                outbox(item),
                recentDeliveries(item)));
    }

    @Override
    public Optional<Stored<ProductionBranch>> productionBranch(String projectId) {
        return get(Keys.project(projectId), Keys.productionBranch()).map(item -> new Stored<>(
                new ProductionBranch(
                        Attr.string(item, "projectId"),
                        Attr.string(item, "branch"),
                        Attr.string(item, "headSha"),
                        Attr.number(item, "pushedAt"),
                        Attr.instant(item, "changedAt")),
                Attr.number(item, "version"),
                outbox(item),
                recentDeliveries(item)));
    }

    @Override
    public void commit(TrackedState next, long expectedVersion, List<Stored.OutboxEntry> events,
                       List<String> recentDeliveries) {
        StateItem state = stateItem(next);
        Map<String, AttributeValue> values = new HashMap<>(state.set());
        values.put("version", Attr.n(expectedVersion + 1));
        values.put("type", Attr.s(state.type()));
        values.put("recentDeliveries", AttributeValue.fromL(recentDeliveries.stream().map(Attr::s).toList()));
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> expressionValues = new HashMap<>();
        List<String> assignments = new ArrayList<>();
        int i = 0;
        if (expectedVersion == 0) {
            // Every state item is born with an outbox map, so later changes can add entries by key.
            Map<String, AttributeValue> outbox = new HashMap<>();
            events.forEach(entry -> outbox.put(entry.key(), Attr.s(OutboxCodec.write(entry))));
            values.put("outbox", AttributeValue.fromM(outbox));
        } else {
            for (Stored.OutboxEntry entry : events) {
                names.put("#o" + i, entry.key());
                expressionValues.put(":o" + i, Attr.s(OutboxCodec.write(entry)));
                assignments.add("outbox.#o" + i + " = :o" + i);
                i++;
            }
        }
        for (Map.Entry<String, AttributeValue> entry : values.entrySet()) {
            names.put("#a" + i, entry.getKey());
            expressionValues.put(":a" + i, entry.getValue());
            assignments.add("#a" + i + " = :a" + i);
            i++;
        }
        List<String> removals = new ArrayList<>();
        for (String attribute : state.remove()) {
            names.put("#r" + i, attribute);
            removals.add("#r" + i);
            i++;
        }
        String condition;
        if (expectedVersion == 0) {
            condition = "attribute_not_exists(PK)";
        } else {
            names.put("#version", "version");
            expressionValues.put(":expected", Attr.n(expectedVersion));
            condition = "#version = :expected";
        }
        String updateExpression = "SET " + String.join(", ", assignments)
                + (removals.isEmpty() ? "" : " REMOVE " + String.join(", ", removals));
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName)
                    .key(state.key())
                    .updateExpression(updateExpression)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(expressionValues));
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentUpdateException(state.describe() + " changed since version " + expectedVersion);
        }
    }

    @Override
    public void removeFromOutbox(TrackedState state, List<Stored.OutboxEntry> published) {
        if (published.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < published.size(); i++) {
            names.put("#k" + i, published.get(i).key());
            paths.add("outbox.#k" + i);
        }
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName)
                    .key(stateItem(state).key())
                    .updateExpression("REMOVE " + String.join(", ", paths))
                    .conditionExpression("attribute_exists(outbox)")
                    .expressionAttributeNames(names));
        } catch (ConditionalCheckFailedException gone) {
            // no outbox at all: nothing to remove
        }
    }



    private Optional<Map<String, AttributeValue>> get(String pk, String sk) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName)
                .key(Map.of(Keys.PK, Attr.s(pk), Keys.SK, Attr.s(sk)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static List<Stored.OutboxEntry> outbox(Map<String, AttributeValue> item) {
        AttributeValue outbox = item.get("outbox");
        if (outbox == null || !outbox.hasM()) {
            return List.of();
        }
        String projectId = Attr.string(item, "projectId");
        return outbox.m().entrySet().stream()
                .map(entry -> OutboxCodec.read(entry.getKey(), entry.getValue().s(), projectId))
                .sorted(java.util.Comparator.comparing(Stored.OutboxEntry::createdAt).thenComparing(Stored.OutboxEntry::key))
                .toList();
    }

    private static List<String> recentDeliveries(Map<String, AttributeValue> item) {
        AttributeValue recent = item.get("recentDeliveries");
        return recent == null || !recent.hasL() ? List.of() : recent.l().stream().map(AttributeValue::s).toList();
    }

    /** A state as an item: its key, the attributes to set and the (null) attributes to remove. */
    private record StateItem(String type, Map<String, AttributeValue> key, Map<String, AttributeValue> set,
                             List<String> remove) {
        String describe() {
            return key.get(Keys.PK).s() + "/" + key.get(Keys.SK).s();
        }
    }

    private static StateItem stateItem(TrackedState state) {
        Map<String, AttributeValue> set = new HashMap<>();
        List<String> remove = new ArrayList<>();
        return switch (state) {
            case Preview p -> {
                set.put("projectId", Attr.s(p.projectId()));
                set.put("pr", Attr.n(p.pr()));
                set.put("status", Attr.s(p.status().wireName()));
                set.put("headSha", Attr.s(p.headSha()));
                set.put("headRef", Attr.s(p.headRef()));
                set.put("prUpdatedAt", Attr.time(p.prUpdatedAt()));
                set.put("draft", Attr.bool(p.draft()));
                set.put("fork", Attr.bool(p.fork()));
                set.put("createdAt", Attr.time(p.createdAt()));
                set.put("changedAt", Attr.time(p.changedAt()));
                set.put("lastRequestAt", Attr.time(p.lastRequestAt()));
                optional(set, remove, "buildRequestedSha", p.buildRequestedSha() == null ? null : Attr.s(p.buildRequestedSha()));
                optional(set, remove, "closedAt", p.closedAt() == null ? null : Attr.time(p.closedAt()));
                // Sparse index of active previews: present only while the preview is not deleted.
                boolean active = !p.closed();
                optional(set, remove, "GSI2PK", active ? Attr.s(Keys.ACTIVE_PREVIEWS) : null);
                optional(set, remove, "GSI2SK", active
                        ? Attr.s(p.lastRequestAt() + "#" + p.projectId() + "#" + p.pr()) : null);
                yield new StateItem("preview", key(Keys.project(p.projectId()), Keys.preview(p.pr())), set, remove);
            }
            case ProductionBranch b -> {
                set.put("projectId", Attr.s(b.projectId()));
                set.put("branch", Attr.s(b.branch()));
                set.put("headSha", Attr.s(b.headSha()));
                set.put("pushedAt", Attr.n(b.pushedAt()));
                set.put("changedAt", Attr.time(b.changedAt()));
                yield new StateItem("productionBranch", key(Keys.project(b.projectId()), Keys.productionBranch()), set, remove);
            }
        };
    }

    private static void optional(Map<String, AttributeValue> set, List<String> remove, String name, AttributeValue value) {
        if (value == null) {
            remove.add(name);
        } else {
            set.put(name, value);
        }
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(Keys.PK, Attr.s(pk), Keys.SK, Attr.s(sk));
    }
}
