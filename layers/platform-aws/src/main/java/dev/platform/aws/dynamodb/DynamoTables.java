package dev.platform.aws.dynamodb;

import dev.platform.topology.DataTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Creates the platform table from {@link DataTable} (local runtime and tests; CDK declares the same). */
public final class DynamoTables {
    private DynamoTables() {
    }

    public static CreateTableRequest createRequest(DataTable table, String tableName) {
        Set<String> keyAttributes = new LinkedHashSet<>(List.of(table.partitionKey(), table.sortKey()));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (DataTable.GlobalIndex index : table.globalIndexes()) {
            keyAttributes.add(index.partitionKey());
            keyAttributes.add(index.sortKey());
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.name())
                    .keySchema(key(index.partitionKey(), KeyType.HASH), key(index.sortKey(), KeyType.RANGE))
                    .projection(Projection.builder().projectionType(ProjectionType.valueOf(index.projection().name())).build())
                    .build());
        }
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key(table.partitionKey(), KeyType.HASH), key(table.sortKey(), KeyType.RANGE))
                .attributeDefinitions(keyAttributes.stream()
                        .map(name -> AttributeDefinition.builder().attributeName(name)
                                .attributeType(ScalarAttributeType.S).build())
                        .toList())
                .globalSecondaryIndexes(indexes)
                .build();
    }

    /** Creates the table unless it exists (a persistent local data dir keeps it across restarts). */
    public static void createIfMissing(DynamoDbClient dynamoDb, DataTable table, String tableName) {
        try {
            dynamoDb.createTable(createRequest(table, tableName));
            dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(tableName));
            dynamoDb.updateTimeToLive(r -> r.tableName(tableName)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(table.ttlAttribute())));
        } catch (ResourceInUseException exists) {
            // already there: keep its data
        }
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
