package dev.platform.topology;

import java.util.List;

/**
 * The single DynamoDB table: key schema, indexes and TTL attribute. Every key attribute is a
 * string. The CDK app and the local runtime both build the table from this one definition.
 */
public record DataTable(String logicalName, String partitionKey, String sortKey,
                        List<GlobalIndex> globalIndexes, String ttlAttribute) {

    /** What a global secondary index copies from the table. */
    public enum Projection {
        /** every attribute: queries need no follow-up reads, but every change writes the index too */
        ALL,
        /** only the table's and the index's keys: the index is written only when those change */
        KEYS_ONLY
    }

    public record GlobalIndex(String name, String partitionKey, String sortKey, Projection projection) {
    }

    public DataTable {
        globalIndexes = List.copyOf(globalIndexes);
    }
}
