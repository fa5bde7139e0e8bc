package dev.platform.aws.dynamodb;

import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Teams, projects and repository links. The REST API will write through it; today the local runtime
 * seeds its demo project and tests set up their fixtures through it. As the {@link Projects} port it
 * gives builds their project (repository, build settings, GitHub App installation) and keeps each
 * project's installation current on the project and its repository link.
 */
public final class ProjectRegistry implements Projects {
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
        Map<String, AttributeValue> projectItem = new HashMap<>(Map.of(
                Keys.PK, Attr.s(Keys.project(project.projectId())), Keys.SK, Attr.s(Keys.META),
                "type", Attr.s("project"), "version", Attr.n(1), "projectId", Attr.s(project.projectId().value()),
                "teamId", Attr.s(project.teamId()), "repository", Attr.s(project.repository()),
                "productionBranch", Attr.s(project.productionBranch()), "createdAt", Attr.time(now)));
        Map<String, AttributeValue> link = new HashMap<>(Map.of(
                Keys.PK, Attr.s(Keys.repo(RepoEvent.repositoryKey(project.repository()))),
                Keys.SK, Attr.s(Keys.project(project.projectId())),
                "type", Attr.s("repoLink"), "version", Attr.n(1), "projectId", Attr.s(project.projectId().value()),
                "teamId", Attr.s(project.teamId()), "repository", Attr.s(project.repository()),
                "productionBranch", Attr.s(project.productionBranch())));
        for (Map<String, AttributeValue> item : List.of(projectItem, link)) {
            BuildSettingsAttributes.write(project.buildSettings(), item);
            if (project.installation() != null) {
                item.put("installationId", Attr.n(project.installation().value()));
            }
        }
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

    /** The project as stored: repository, production branch, build settings and installation. */
    @Override
    public Optional<ProjectLink> project(ProjectId projectId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName).consistentRead(true)
                .key(Map.of(Keys.PK, Attr.s(Keys.project(projectId)), Keys.SK, Attr.s(Keys.META)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(StateItemMapper.link(item));
    }

    /** On the project and its repository link, each an unconditional write of one attribute: repeating it is harmless. */
    @Override
    public void setInstallation(ProjectLink project, InstallationId installation) {
        Map<String, AttributeValue> projectKey = Map.of(Keys.PK, Attr.s(Keys.project(project.projectId())), Keys.SK, Attr.s(Keys.META));
        Map<String, AttributeValue> linkKey = Map.of(Keys.PK, Attr.s(Keys.repo(RepoEvent.repositoryKey(project.repository()))),
                Keys.SK, Attr.s(Keys.project(project.projectId())));
        for (Map<String, AttributeValue> key : List.of(projectKey, linkKey)) {
            UpdateExpression update = new UpdateExpression().conditionPresent(Keys.PK);
            if (installation == null) {
                update.remove("installationId");
            } else {
                update.set(Attr.n(installation.value()), "installationId");
            }
            try {
                dynamoDb.updateItem(r -> update.applyTo(r.tableName(tableName).key(key)));
            } catch (ConditionalCheckFailedException gone) {
                // the project or its link was removed meanwhile: nothing to keep current
            }
        }
    }

    /**
     * Points an existing project at another repository or production branch in one transaction: the
     * project item (if it is still at {@code current}), and its repository link, moved to the new
     * repository's partition with its other attributes kept.
     *
     * @throws TransactionCanceledException when the project changed meanwhile
     */
    public void relink(ProjectLink current, String repository, String productionBranch, Instant now) {
        String projectKey = Keys.project(current.projectId());
        String oldLinkKey = Keys.repo(RepoEvent.repositoryKey(current.repository()));
        String newLinkKey = Keys.repo(RepoEvent.repositoryKey(repository));
        Map<String, AttributeValue> oldLink = dynamoDb.getItem(r -> r.tableName(tableName).consistentRead(true)
                .key(Map.of(Keys.PK, Attr.s(oldLinkKey), Keys.SK, Attr.s(projectKey)))).item();
        Map<String, AttributeValue> newLink = new HashMap<>(oldLink == null ? Map.of() : oldLink);
        newLink.putAll(Map.of(Keys.PK, Attr.s(newLinkKey), Keys.SK, Attr.s(projectKey),
                "type", Attr.s("repoLink"), "version", Attr.n(1), "projectId", Attr.s(current.projectId().value()),
                "teamId", Attr.s(current.teamId()), "repository", Attr.s(repository),
                "productionBranch", Attr.s(productionBranch)));
        TransactWriteItem project = TransactWriteItem.builder().update(u -> u.tableName(tableName)
                .key(Map.of(Keys.PK, Attr.s(projectKey), Keys.SK, Attr.s(Keys.META)))
                .updateExpression("SET repository = :repo, productionBranch = :branch, changedAt = :now, version = version + :one")
                .conditionExpression("repository = :oldRepo AND productionBranch = :oldBranch")
                .expressionAttributeValues(Map.of(":repo", Attr.s(repository), ":branch", Attr.s(productionBranch),
                        ":now", Attr.time(now), ":one", Attr.n(1), ":oldRepo", Attr.s(current.repository()),
                        ":oldBranch", Attr.s(current.productionBranch())))).build();
        TransactWriteItem putLink = TransactWriteItem.builder()
                .put(Put.builder().tableName(tableName).item(newLink).build()).build();
        if (oldLinkKey.equals(newLinkKey)) {
            dynamoDb.transactWriteItems(r -> r.transactItems(project, putLink));
        } else {
            TransactWriteItem deleteLink = TransactWriteItem.builder().delete(Delete.builder().tableName(tableName)
                    .key(Map.of(Keys.PK, Attr.s(oldLinkKey), Keys.SK, Attr.s(projectKey))).build()).build();
            dynamoDb.transactWriteItems(r -> r.transactItems(project, deleteLink, putLink));
        }
    }

    private TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(PK)").build()).build();
    }
}
