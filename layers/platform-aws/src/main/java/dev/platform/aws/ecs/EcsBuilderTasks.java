package dev.platform.aws.ecs;

import dev.platform.core.build.BuilderTask;
import dev.platform.core.build.BuilderTasks;
import dev.platform.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * The builder as Fargate tasks: one {@code RunTask} per build attempt (idempotent by its client token),
 * in private subnets without a public IP, started by the build id (what the watcher reads back from the
 * task's state change event) and tagged with the project, build and pull request. The builder container
 * runs kaniko; the build is told by the container's command, so the task definition holds no build.
 */
public final class EcsBuilderTasks implements BuilderTasks {
    /** The builder container's name in the task definition (the CDK app declares it). */
    public static final String CONTAINER = Topology.BUILDER_CONTAINER;
    /** The attempt a task runs, in its environment: task state change events carry the overrides, so the watcher reads it back. */
    public static final String ATTEMPT_VARIABLE = "PLATFORM_BUILD_ATTEMPT";

    private final EcsClient ecs;
    private final String cluster;
    private final String taskDefinition;
    private final List<String> subnets;
    private final String securityGroup;

    public EcsBuilderTasks(EcsClient ecs, String cluster, String taskDefinition, List<String> subnets, String securityGroup) {
        this.ecs = ecs;
        this.cluster = cluster;
        this.taskDefinition = taskDefinition;
        this.subnets = List.copyOf(subnets);
        this.securityGroup = securityGroup;
    }

    @Override
    public String start(BuilderTask task) {
        List<Tag> tags = new ArrayList<>(List.of(
                Tag.builder().key("platform:project").value(task.projectId().value()).build(),
                Tag.builder().key("platform:build").value(task.buildId().value()).build()));
        if (task.pr() != null) {
            tags.add(Tag.builder().key("platform:pr").value(Integer.toString(task.pr().value())).build());
        }
        RunTaskResponse response = ecs.runTask(r -> r
                .cluster(cluster)
                .taskDefinition(taskDefinition)
                .launchType(LaunchType.FARGATE)
                .count(1)
                .clientToken(task.clientToken())
                .startedBy(task.buildId().value())
                .tags(tags)
                .networkConfiguration(n -> n.awsvpcConfiguration(v -> v
                        .subnets(subnets).securityGroups(securityGroup).assignPublicIp(AssignPublicIp.DISABLED)))
                .overrides(o -> o.containerOverrides(ContainerOverride.builder()
                        .name(CONTAINER)
                        .command(kanikoArguments(task))
                        .environment(
                                KeyValuePair.builder().name("PLATFORM_BUILD_ID").value(task.buildId().value()).build(),
                                KeyValuePair.builder().name(ATTEMPT_VARIABLE).value(Integer.toString(task.attempt())).build(),
                                KeyValuePair.builder().name("PLATFORM_COMMIT_SHA").value(task.commitSha().value()).build())
                        .build())));
        if (!response.hasTasks() || response.tasks().isEmpty()) {
            String why = response.hasFailures() && !response.failures().isEmpty()
                    ? response.failures().getFirst().reason() + " " + response.failures().getFirst().detail()
                    : "no task and no failure returned";
            throw new IllegalStateException("RunTask of the builder for " + task.buildId() + " failed: " + why);
        }
        return response.tasks().getFirst().taskArn();
    }

    /** kaniko's flags for this build: the snapshot in S3 as context, the settings, the destination and cache. */
    static List<String> kanikoArguments(BuilderTask task) {
        List<String> args = new ArrayList<>(List.of(
                "--context=" + task.sourceLocation(),
                "--context-sub-path=" + task.contextPath(),
                "--dockerfile=" + task.settings().dockerfile(),
                "--destination=" + task.image(),
                "--cache=true",
                "--cache-repo=" + task.cacheRepository(),
                "--label=platform.build=" + task.buildId().value(),
                "--label=org.opencontainers.image.revision=" + task.commitSha().value()));
        if (!task.settings().target().isEmpty()) {
            args.add("--target=" + task.settings().target());
        }
        task.settings().buildArgs().forEach((name, value) -> args.add("--build-arg=" + name + "=" + value));
        return args;
    }

    @Override
    public void stop(String taskId, String reason) {
        try {
            ecs.stopTask(r -> r.cluster(cluster).task(taskId).reason(reason.length() > 255 ? reason.substring(0, 255) : reason));
        } catch (InvalidParameterException gone) {
            // "The referenced task was not found": nothing left to stop
        }
    }
}
