package dev.platform.aws.dynamodb;

import dev.platform.core.deploy.Deployment;
import dev.platform.core.deploy.DeploymentStatus;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStatus;
import dev.platform.core.deploy.Expiry;
import dev.platform.core.deploy.Slot;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
    static final List<String> ENVIRONMENT_OPTIONAL = List.of("targetGroupArn", "ruleArn", "latest", "serving",
            "lastRequestAt", "expiry", "wakeRollout", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK");
    /** Index sort keys start with a time of fixed width, so that they sort as the times do. */
    private static final DateTimeFormatter INDEX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

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
        if (environment.lastRequestAt() != null) {
            item.put("lastRequestAt", Attr.time(environment.lastRequestAt()));
        }
        Expiry expiry = environment.expiry();
        if (expiry != null) {
            Map<String, AttributeValue> value = new HashMap<>();
            value.put("at", Attr.time(expiry.at()));
            value.put("noticeAt", Attr.time(expiry.noticeAt()));
            if (expiry.noticedAt() != null) {
                value.put("noticedAt", Attr.time(expiry.noticedAt()));
            }
            item.put("expiry", AttributeValue.fromM(value));
        }
        putIfPresent(item, "wakeRollout", environment.wakeRollout());
        indexEntries(environment, item);
        return item;
    }

    /**
     * The sparse indexes auto-sleep and the waker read instead of scanning: GSI2 holds the previews whose service
     * is meant to run, by project and least recently requested first; GSI1 (shared with the memberships, by its
     * own partition) the previews with an expiry, by when it is next due.
     */
    private static void indexEntries(Environment environment, Map<String, AttributeValue> item) {
        EnvironmentRef ref = environment.ref();
        if (!ref.preview() || environment.retired()) {
            return;
        }
        if (environment.status().running()) {
            Instant requested = environment.lastRequestAt() == null ? environment.createdAt() : environment.lastRequestAt();
            item.put("GSI2PK", Attr.s(Keys.ACTIVE_PREVIEWS));
            item.put("GSI2SK", Attr.s(ref.projectId().value() + "#" + indexTime(requested) + "#" + ref.pr().value()));
        }
        if (environment.expiry() != null) {
            item.put("GSI1PK", Attr.s(Keys.EXPIRING_PREVIEWS));
            item.put("GSI1SK", Attr.s(indexTime(environment.expiry().dueAt()) + "#" + ref.projectId().value()
                    + "#" + ref.pr().value()));
        }
    }

    /** {@code at} as the indexes' sort keys begin with it. */
    static String indexTime(Instant at) {
        return INDEX_TIME.format(at);
    }

    static Environment environment(Map<String, AttributeValue> item) {
        return new Environment(ref(item), EnvironmentStatus.fromWire(Attr.string(item, "status")), Attr.string(item, "host"),
                new Slot((int) Attr.number(item, "shard"), (int) Attr.number(item, "priority")),
                Attr.string(item, "targetGroupArn"), Attr.string(item, "ruleArn"), nested(item, "latest"),
                nested(item, "serving"), Attr.instant(item, "createdAt"), Attr.instant(item, "changedAt"),
                Attr.instant(item, "lastRequestAt"), expiry(item), Attr.string(item, "wakeRollout"));
    }

    private static Expiry expiry(Map<String, AttributeValue> item) {
        AttributeValue value = item.get("expiry");
        if (value == null || !value.hasM()) {
            return null;
        }
        return new Expiry(Attr.instant(value.m(), "at"), Attr.instant(value.m(), "noticeAt"),
                Attr.instant(value.m(), "noticedAt"));
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
