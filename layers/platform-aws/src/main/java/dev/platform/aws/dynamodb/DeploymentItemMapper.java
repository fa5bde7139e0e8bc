package dev.platform.aws.dynamodb;

import dev.platform.core.deploy.Deployment;
import dev.platform.core.deploy.DeploymentStatus;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStatus;
import dev.platform.core.deploy.Slot;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Deploy environments ({@code PROJECT#<id>} / {@code ENV#...}) and deployments ({@code PROJECT#<id>} /
 * {@code DEPLOY#<id>}) to and from their records. An environment holds its latest and serving deployments
 * as maps of the same attributes a deployment item has.
 */
final class DeploymentItemMapper {
    /** The attributes an environment may lose from one version to the next. */
    static final List<String> ENVIRONMENT_OPTIONAL = List.of("targetGroupArn", "ruleArn", "latest", "serving");

    private DeploymentItemMapper() {
    }

    static Map<String, AttributeValue> key(EnvironmentRef ref) {
        return StateItemMapper.key(Keys.project(ref.projectId()), Keys.environment(ref));
    }

    static Map<String, AttributeValue> key(ProjectId projectId, String deploymentId) {
        return StateItemMapper.key(Keys.project(projectId), Keys.deployment(deploymentId));
    }

    static Map<String, AttributeValue> attributes(Environment environment) {
        Map<String, AttributeValue> item = new HashMap<>();
        ref(environment.ref(), item);
        item.put("status", Attr.s(environment.status().wireName()));
        item.put("host", Attr.s(environment.host()));
        item.put("shard", Attr.n(environment.slot().shard()));
        item.put("priority", Attr.n(environment.slot().priority()));
        putIfPresent(item, "targetGroupArn", environment.targetGroupArn());
        putIfPresent(item, "ruleArn", environment.ruleArn());
        if (environment.latest() != null) {
            item.put("latest", AttributeValue.fromM(attributes(environment.latest())));
        }
        if (environment.serving() != null) {
            item.put("serving", AttributeValue.fromM(attributes(environment.serving())));
        }
        item.put("createdAt", Attr.time(environment.createdAt()));
        item.put("changedAt", Attr.time(environment.changedAt()));
        return item;
    }

    static Environment environment(Map<String, AttributeValue> item) {
        return new Environment(ref(item), EnvironmentStatus.fromWire(Attr.string(item, "status")), Attr.string(item, "host"),
                new Slot((int) Attr.number(item, "shard"), (int) Attr.number(item, "priority")),
                Attr.string(item, "targetGroupArn"), Attr.string(item, "ruleArn"), nested(item, "latest"),
                nested(item, "serving"), Attr.instant(item, "createdAt"), Attr.instant(item, "changedAt"));
    }

    static Map<String, AttributeValue> attributes(Deployment deployment) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("deploymentId", Attr.s(deployment.deploymentId()));
        ref(deployment.environment(), item);
        item.put("commitSha", Attr.s(deployment.commitSha().value()));
        item.put("buildId", Attr.s(deployment.buildId().value()));
        item.put("imageUri", Attr.s(deployment.imageUri()));
        putIfPresent(item, "taskDefinitionArn", deployment.taskDefinitionArn());
        putIfPresent(item, "ecsDeploymentId", deployment.ecsDeploymentId());
        item.put("status", Attr.s(deployment.status().wireName()));
        putIfPresent(item, "reason", deployment.reason());
        item.put("triggeredBy", Attr.s(deployment.triggeredBy()));
        item.put("createdAt", Attr.time(deployment.createdAt()));
        if (deployment.finishedAt() != null) {
            item.put("finishedAt", Attr.time(deployment.finishedAt()));
        }
        return item;
    }

    static Deployment deployment(Map<String, AttributeValue> item) {
        return new Deployment(Attr.string(item, "deploymentId"), ref(item), CommitSha.of(Attr.string(item, "commitSha")),
                new BuildId(Attr.string(item, "buildId")), Attr.string(item, "imageUri"),
                Attr.string(item, "taskDefinitionArn"), Attr.string(item, "ecsDeploymentId"),
                DeploymentStatus.fromWire(Attr.string(item, "status")), Attr.string(item, "reason"),
                Attr.string(item, "triggeredBy"), Attr.instant(item, "createdAt"), Attr.instant(item, "finishedAt"));
    }

    private static Deployment nested(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || !value.hasM() ? null : deployment(value.m());
    }

    private static void ref(EnvironmentRef ref, Map<String, AttributeValue> item) {
        item.put("projectId", Attr.s(ref.projectId().value()));
        item.put("target", Attr.s(ref.target().wireName()));
        if (ref.preview()) {
            item.put("pr", Attr.n(ref.pr().value()));
        }
    }

    private static EnvironmentRef ref(Map<String, AttributeValue> item) {
        long pr = Attr.number(item, "pr");
        return new EnvironmentRef(ProjectId.of(Attr.string(item, "projectId")),
                BuildTarget.fromWire(Attr.string(item, "target")), pr == 0 ? null : PrNumber.of((int) pr));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, Attr.s(value));
        }
    }
}
