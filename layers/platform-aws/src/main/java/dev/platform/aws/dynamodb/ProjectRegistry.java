package dev.platform.aws.dynamodb;

import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Writes teams, projects and repository links. The REST API will call it; today the local runtime
 * seeds its demo project and tests set up their fixtures through it.
 */
public final class ProjectRegistry {
    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public ProjectRegistry(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /**
     * Creates the team if it is new, then the project and its repository link in one transaction.
     *
     * @return false when the project already existed (nothing is changed)
     */
    public boolean register(String teamName, ProjectLink project, Instant now) {
        Map<String, AttributeValue> team = Map.of(
                Keys.PK, Attr.s(Keys.team(project.teamId())), Keys.SK, Attr.s(Keys.META),
                "type", Attr.s("team"), "version", Attr.n(1), "teamId", Attr.s(project.teamId()),
                "name", Attr.s(teamName), "createdAt", Attr.time(now));
        Map<String, AttributeValue> projectItem = Map.of(
                Keys.PK, Attr.s(Keys.project(project.projectId())), Keys.SK, Attr.s(Keys.META),
                "type", Attr.s("project"), "version", Attr.n(1), "projectId", Attr.s(project.projectId()),
                "teamId", Attr.s(project.teamId()), "repository", Attr.s(project.repository()),
                "productionBranch", Attr.s(project.productionBranch()), "createdAt", Attr.time(now));
        Map<String, AttributeValue> link = Map.of(
                Keys.PK, Attr.s(Keys.repo(RepoEvent.repositoryKey(project.repository()))),
                Keys.SK, Attr.s(Keys.project(project.projectId())),
                "type", Attr.s("repoLink"), "version", Attr.n(1), "projectId", Attr.s(project.projectId()),
                "teamId", Attr.s(project.teamId()), "repository", Attr.s(project.repository()),
                "productionBranch", Attr.s(project.productionBranch()));
        try {
            dynamoDb.putItem(r -> r.tableName(tableName).item(team).conditionExpression("attribute_not_exists(PK)"));
        } catch (ConditionalCheckFailedException teamExists) {
            // an existing team keeps its name
        }
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(putIfAbsent(projectItem), putIfAbsent(link)));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().stream().anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()))) {
                return false;
            }
            throw e;
        }
    }

    private TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(PK)").build()).build();
    }
}
