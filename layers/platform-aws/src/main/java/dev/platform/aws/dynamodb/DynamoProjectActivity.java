package dev.platform.aws.dynamodb;

import dev.platform.core.api.Page;
import dev.platform.core.api.ProjectActivity;
import dev.platform.core.deploy.Deployment;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.Stored;
import dev.platform.core.preview.Preview;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A project's {@code PREVIEW#} and {@code DEPLOY#} items, a page at a time: one query in the project's partition
 * each, the page's position the last sort key read.
 */
public final class DynamoProjectActivity implements ProjectActivity {
    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoProjectActivity(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Page<Preview> previews(ProjectId projectId, String after, int limit) {
        // PREVIEW#<n> sorts as text; the API lists them in that order, which is stable across pages
        return page(projectId, "PREVIEW#", after, limit, true, item -> StateItemMapper.preview(item)).map(Stored::state);
    }

    @Override
    public Page<Deployment> deployments(ProjectId projectId, String after, int limit) {
        return page(projectId, "DEPLOY#", after, limit, false, DeploymentItemMapper::deployment).map(d -> d);
    }

    private record Items<T>(List<T> items, String after) {
        <R> Page<R> map(Function<T, R> mapper) {
            return new Page<>(items.stream().map(mapper).toList(), after);
        }
    }

    private <T> Items<T> page(ProjectId projectId, String prefix, String after, int limit, boolean ascending,
                              Function<Map<String, AttributeValue>, T> mapper) {
        String pk = Keys.project(projectId);
        if (after != null && !after.startsWith(prefix)) {
            throw new IllegalArgumentException("a position in another list: " + after);
        }
        QueryResponse response = dynamoDb.query(r -> {
            r.tableName(tableName).consistentRead(true)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":prefix", Attr.s(prefix)))
                    .scanIndexForward(ascending)
                    .limit(limit);
            if (after != null) {
                r.exclusiveStartKey(Map.of(Keys.PK, Attr.s(pk), Keys.SK, Attr.s(after)));
            }
        });
        List<T> items = response.items().stream().map(mapper).toList();
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get(Keys.SK).s() : null;
        return new Items<>(items, next);
    }
}
