package dev.platform.core.topology;

import java.util.List;

/**
 * The single DynamoDB table: key schema, indexes and TTL attribute. Every key attribute is a
 * string. The CDK app and the local runtime both build the table from this one definition.
 */
public record DataTable(String logicalName, String partitionKey, String sortKey,
                        List<GlobalIndex> globalIndexes, String ttlAttribute) {

    /** A global secondary index projecting all attributes. */
    public record GlobalIndex(String name, String partitionKey, String sortKey) {
    }

    public DataTable {
        globalIndexes = List.copyOf(globalIndexes);
    }
}
