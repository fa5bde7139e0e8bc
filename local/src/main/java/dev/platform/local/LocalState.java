package dev.platform.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * {@code GET /_local/state}: what the platform knows, as JSON — projects, previews and production
 * branches. Local only: it scans the whole table, which the deployed platform never does. Attributes
 * are shown as stored (new ones appear without a change here); keys, index keys and bookkeeping
 * (outbox, recent deliveries) are left out. Previews also carry {@code head} and {@code updatedAt}
 * (the head commit and the pull request's {@code updated_at}), production states {@code head}.
 */
final class LocalState {
    private static final Set<String> HIDDEN = Set.of("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK",
            "type", "outbox", "recentDeliveries");

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    LocalState(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    String json() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            ScanResponse page = dynamoDb.scan(r -> r.tableName(tableName).consistentRead(true).exclusiveStartKey(from));
            items.addAll(page.items());
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        items.sort(Comparator.comparing((Map<String, AttributeValue> item) -> item.get("PK").s())
                .thenComparing(item -> sortKey(item.get("SK").s())));

        ObjectNode state = Json.object();
        ArrayNode projects = state.putArray("projects");
        ArrayNode previews = state.putArray("previews");
        ArrayNode production = state.putArray("production");
        for (Map<String, AttributeValue> item : items) {
            AttributeValue type = item.get("type");
            switch (type == null ? "" : type.s()) {
                case "project" -> projects.add(visible(item));
                case "preview" -> {
                    ObjectNode preview = visible(item);
                    preview.set("head", preview.get("headSha"));
                    preview.set("updatedAt", preview.get("prUpdatedAt"));
                    previews.add(preview);
                }
                case "productionBranch" -> {
                    ObjectNode branch = visible(item);
                    branch.set("head", branch.get("headSha"));
                    production.add(branch);
                }
                default -> {
                    // teams, repository links and future items are not part of this view
                }
            }
        }
        return Json.write(state);
    }

    /** PREVIEW#2 before PREVIEW#10. */
    private static String sortKey(String sk) {
        int hash = sk.lastIndexOf('#');
        String suffix = sk.substring(hash + 1);
        return suffix.chars().allMatch(Character::isDigit) && !suffix.isEmpty()
                ? sk.substring(0, hash + 1) + "%010d".formatted(Long.parseLong(suffix))
                : sk;
    }

    private static ObjectNode visible(Map<String, AttributeValue> item) {
        ObjectNode node = Json.object();
        item.entrySet().stream()
                .filter(entry -> !HIDDEN.contains(entry.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> {
                    AttributeValue value = entry.getValue();
                    if (value.s() != null) {
                        node.put(entry.getKey(), value.s());
                    } else if (value.n() != null) {
                        node.put(entry.getKey(), new java.math.BigDecimal(value.n()));
                    } else if (value.bool() != null) {
                        node.put(entry.getKey(), value.bool());
                    } else if (Boolean.TRUE.equals(value.nul())) {
                        node.putNull(entry.getKey());
                    }
                });
        return node;
    }
}
