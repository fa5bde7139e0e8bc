package dev.platform.aws;

import dagger.Module;
import dagger.Provides;
import dev.platform.aws.dynamodb.DynamoDeploymentStateStore;
import dev.platform.aws.dynamodb.DynamoEnvironmentStore;
import dev.platform.aws.dynamodb.DynamoShardSlots;
import dev.platform.aws.github.GitHubApp;
import dev.platform.core.build.BuildTargets;
import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.DeployReports;
import dev.platform.core.deploy.DeployTargets;
import dev.platform.core.deploy.DeploymentRecords;
import dev.platform.core.deploy.EnvironmentHosts;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.Routing;
import dev.platform.core.deploy.ShardSlots;
import dev.platform.core.deploy.TearDownPreview;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.app.PullRequestFeedback;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.sleep.PreviewIndex;
import dev.platform.core.sleep.SleepPolicy;
import dev.platform.core.sleep.SleepPreview;
import dev.platform.core.sleep.WakePreview;
import dev.platform.topology.Settings;
import java.time.Clock;
import java.util.List;
import javax.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The deploy functions' ports that live in the table (environments, deployment history, shard slots,
 * the targets' deploy marks), the pull request feedback through the GitHub App and the host naming; the
 * ECS and ELB ports come from {@link AwsModule}.
 */
@Module
public final class DeployModule {
    /** Previews per load balancer shard unless {@code PREVIEW_SHARD_CAPACITY} says otherwise: an ALB holds at most 100 target groups. */
    static final int DEFAULT_SHARD_CAPACITY = 95;

    private DeployModule() {
    }

    @Provides
    @Singleton
    static DynamoEnvironmentStore dynamoEnvironmentStore(DynamoDbClient dynamoDb, PlatformConfig config) {
        return new DynamoEnvironmentStore(dynamoDb, config.require(PlatformConfig.TABLE_NAME));
    }

    @Provides
    static EnvironmentStore environmentStore(DynamoEnvironmentStore store) {
        return store;
    }

    @Provides
    static DeploymentRecords deploymentRecords(DynamoEnvironmentStore store) {
        return store;
    }

    @Provides
    static DeployTargets deployTargets(DynamoDeploymentStateStore store) {
        return store;
    }

    /** One preview shard per listener in {@code PREVIEW_LISTENER_ARNS}. */
    @Provides
    @Singleton
    static ShardSlots shardSlots(DynamoDbClient dynamoDb, PlatformConfig config) {
        int shards = config.require(Settings.PREVIEW_LISTENER_ARNS).split(",").length;
        return new DynamoShardSlots(dynamoDb, config.require(PlatformConfig.TABLE_NAME), shards,
                config.intSetting(Settings.PREVIEW_SHARD_CAPACITY, DEFAULT_SHARD_CAPACITY));
    }

    @Provides
    static PullRequestFeedback pullRequestFeedback(GitHubApp app) {
        return app;
    }

    @Provides
    @Singleton
    static DeployReports deployReports(PullRequestFeedback feedback, Clock clock, PlatformConfig config) {
        return new DeployReports(feedback, clock, config.get(Settings.APP_LOGS_URL).orElse(null));
    }

    @Provides
    @Singleton
    static EnvironmentHosts environmentHosts(PlatformConfig config) {
        return new EnvironmentHosts(config.require(Settings.PREVIEW_DOMAIN),
                config.get(Settings.PREVIEW_URL_TEMPLATE).orElse("https://{host}"));
    }

    @Provides
    static PreviewIndex previewIndex(DynamoEnvironmentStore store) {
        return store;
    }

    /** The platform's policy: what projects without their own follow, and what a new project starts with. */
    @Provides
    @Singleton
    public static SleepPolicy sleepPolicy(PlatformConfig config) {
        return SleepPolicy.of(config.get(Settings.DEFAULT_SLEEP_AFTER).orElse(null),
                config.get(Settings.DEFAULT_EXPIRE_AFTER).orElse(null),
                config.get(Settings.DEFAULT_MAX_ACTIVE_PREVIEWS).orElse(null));
    }

    /** The waker's target group of each preview shard ({@code WAKER_TARGET_GROUP_ARNS}, shard 0 first). */
    @Provides
    @Singleton
    static SleepPreview sleepPreview(Projects projects, EnvironmentStore environments, PreviewIndex index,
                                     ContainerServices containers, Routing routing, DeployTargets marks,
                                     DeployReports reports, EnvironmentHosts hosts, SleepPolicy policy,
                                     PlatformEventPublisher publisher, Clock clock, PlatformConfig config) {
        List<String> wakerTargetGroups = List.of(config.require(Settings.WAKER_TARGET_GROUP_ARNS).split(","));
        return new SleepPreview(projects, environments, index, containers, routing, wakerTargetGroups, marks, reports,
                hosts, policy, publisher, clock);
    }

    @Provides
    @Singleton
    static WakePreview wakePreview(EnvironmentStore environments, ContainerServices containers, DeployTargets marks,
                                   PlatformEventPublisher publisher, Clock clock) {
        return new WakePreview(environments, containers, marks, publisher, clock);
    }

    @Provides
    @Singleton
    static TearDownPreview tearDownPreview(Projects projects, BuildTargets targets, DeployTargets marks,
                                           EnvironmentStore environments, ShardSlots slots, ContainerServices containers,
                                           Routing routing, DeployReports reports, PlatformEventPublisher publisher,
                                           Clock clock) {
        return new TearDownPreview(projects, targets, marks, environments, slots, containers, routing, reports, publisher,
                clock);
    }
}
