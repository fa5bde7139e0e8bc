package dev.platform.aws;

import dagger.Module;
import dagger.Provides;
import dev.platform.aws.cloudwatch.CloudWatchInboundTraffic;
import dev.platform.aws.dynamodb.DynamoApiStore;
import dev.platform.aws.dynamodb.DynamoBuildStore;
import dev.platform.aws.dynamodb.DynamoDeploymentStateStore;
import dev.platform.aws.dynamodb.ProjectRegistry;
import dev.platform.aws.ecr.EcrImageRegistry;
import dev.platform.aws.ecs.EcsBuilderTasks;
import dev.platform.aws.ecs.EcsContainerServices;
import dev.platform.aws.elb.ElbRouting;
import dev.platform.aws.eventbridge.EventBridgePublisher;
import dev.platform.aws.github.GitHubApp;
import dev.platform.aws.github.GitHubAppCredentialsSource;
import dev.platform.aws.github.GitHubAppSecrets;
import dev.platform.aws.kms.KmsDataKeys;
import dev.platform.aws.s3.S3SourceStore;
import dev.platform.aws.secrets.WebhookSecrets;
import dev.platform.aws.sqs.SqsRepoEventQueue;
import dev.platform.core.api.ApiStore;
import dev.platform.core.config.EnvVarStore;
import dev.platform.core.build.BuildStore;
import dev.platform.core.build.BuildTargets;
import dev.platform.core.build.BuilderTasks;
import dev.platform.core.build.ImageRegistry;
import dev.platform.core.build.SourceStore;
import dev.platform.core.config.DataKeys;
import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.Routing;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.WebhookSecretSource;
import dev.platform.core.github.app.CheckRuns;
import dev.platform.core.github.app.CommentReactions;
import dev.platform.core.github.app.CommitArchives;
import dev.platform.core.github.app.HookDeliveries;
import dev.platform.core.github.app.RepositoryPermissions;
import dev.platform.core.orchestration.DeploymentStateStore;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.repoevent.RepoEventQueue;
import dev.platform.core.sleep.InboundTraffic;
import dev.platform.topology.Settings;
import dev.platform.topology.Topology;
import java.time.Clock;
import java.util.List;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * SDK clients and port adapters. Dagger builds only what a function's component asks for, once, in
 * the handler's constructor (Lambda's init phase, captured by SnapStart).
 */
@Module
public final class AwsModule {
    private AwsModule() {
    }

    @Provides
    @Singleton
    static AwsCredentialsProvider credentials(PlatformConfig config) {
        var keyId = config.get("AWS_ACCESS_KEY_ID");
        var secret = config.get("AWS_SECRET_ACCESS_KEY");
        if (keyId.isPresent() && secret.isPresent() && config.get("AWS_SESSION_TOKEN").isEmpty()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId.get(), secret.get()));
        }
        // Lambda with SnapStart serves credentials from a container endpoint instead of variables.
        return AwsCredentialsProviderChain.of(
                EnvironmentVariableCredentialsProvider.create(), ContainerCredentialsProvider.create());
    }

    @Provides
    @Singleton
    static DynamoDbClient dynamoDb(PlatformConfig config, AwsCredentialsProvider credentials) {
        return build(DynamoDbClient.builder(), config, credentials, "DynamoDB");
    }

    @Provides
    @Singleton
    static SqsClient sqs(PlatformConfig config, AwsCredentialsProvider credentials) {
        return build(SqsClient.builder(), config, credentials, "SQS");
    }

    @Provides
    @Singleton
    static EventBridgeClient eventBridge(PlatformConfig config, AwsCredentialsProvider credentials) {
        return build(EventBridgeClient.builder(), config, credentials, "EventBridge");
    }

    @Provides
    @Singleton
    static SecretsManagerClient secretsManager(PlatformConfig config, AwsCredentialsProvider credentials) {
        return build(SecretsManagerClient.builder(), config, credentials, "Secrets_Manager");
    }

    @Provides
    @Singleton
    static S3Client s3(PlatformConfig config, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder();
        // An emulator (moto, the local runtime's stand-in) answers one host, not a host per bucket.
        builder.forcePathStyle(config.endpoint("S3").isPresent());
        return build(builder, config, credentials, "S3");
    }

    @Provides
    @Singleton
    static EcsClient ecs(PlatformConfig config, AwsCredentialsProvider credentials) {
        return build(EcsClient.builder(), config, credentials, "ECS");
    }

    @Provides
    @Singleton
    static EcrClient ecr(PlatformConfig config, AwsCredentialsProvider credentials) {
        return build(EcrClient.builder(), config, credentials, "ECR");
    }

    @Provides
    @Singleton
    static ElasticLoadBalancingV2Client elasticLoadBalancingV2(PlatformConfig config, AwsCredentialsProvider credentials) {
        return build(ElasticLoadBalancingV2Client.builder(), config, credentials, "Elastic Load Balancing v2");
    }

    @Provides
    @Singleton
    static CloudWatchClient cloudWatch(PlatformConfig config, AwsCredentialsProvider credentials) {
        return build(CloudWatchClient.builder(), config, credentials, "CloudWatch");
    }

    /** SSM Parameter Store: environments' sensitive variables ({@link dev.platform.aws.ssm.SsmSecretParameters}). */
    @Provides
    @Singleton
    static SsmClient ssm(PlatformConfig config, AwsCredentialsProvider credentials) {
        return build(SsmClient.builder(), config, credentials, "SSM");
    }

    @Provides
    @Singleton
    static KmsClient kms(PlatformConfig config, AwsCredentialsProvider credentials) {
        return build(KmsClient.builder(), config, credentials, "KMS");
    }

    @Provides
    static Clock clock() {
        return Clock.systemUTC();
    }

    @Provides
    @Singleton
    static DynamoDeploymentStateStore dynamoDeploymentStateStore(DynamoDbClient dynamoDb, PlatformConfig config) {
        return new DynamoDeploymentStateStore(dynamoDb, config.require(PlatformConfig.TABLE_NAME));
    }

    @Provides
    static DeploymentStateStore deploymentStateStore(DynamoDeploymentStateStore store) {
        return store;
    }

    @Provides
    static BuildTargets buildTargets(DynamoDeploymentStateStore store) {
        return store;
    }

    @Provides
    @Singleton
    static Projects projects(DynamoDbClient dynamoDb, PlatformConfig config) {
        return new ProjectRegistry(dynamoDb, config.require(PlatformConfig.TABLE_NAME));
    }

    /** The REST API's users, teams, invitations, audit log and projects, in the platform table. */
    @Provides
    @Singleton
    static DynamoApiStore dynamoApiStore(DynamoDbClient dynamoDb, PlatformConfig config) {
        return new DynamoApiStore(dynamoDb, config.require(PlatformConfig.TABLE_NAME));
    }

    @Provides
    static ApiStore apiStore(DynamoApiStore store) {
        return store;
    }

    /** A project's environment variables: in the same table and store as the project. */
    @Provides
    static EnvVarStore envVarStore(DynamoApiStore store) {
        return store;
    }

    @Provides
    @Singleton
    static BuildStore buildStore(DynamoDbClient dynamoDb, PlatformConfig config) {
        return new DynamoBuildStore(dynamoDb, config.require(PlatformConfig.TABLE_NAME));
    }

    @Provides
    @Singleton
    static BuilderTasks builderTasks(EcsClient ecs, PlatformConfig config) {
        return new EcsBuilderTasks(ecs, config.require(Settings.BUILD_CLUSTER), config.require(Settings.BUILDER_TASK_DEFINITION),
                List.of(config.require(Settings.BUILDER_SUBNETS).split(",")), config.require(Settings.BUILDER_SECURITY_GROUP));
    }

    /** The app cluster's services, from the {@code APP_*} settings. */
    @Provides
    @Singleton
    static ContainerServices containerServices(EcsClient ecs, PlatformConfig config) {
        return new EcsContainerServices(ecs, new EcsContainerServices.Config(
                config.require(Settings.APP_CLUSTER),
                List.of(config.require(Settings.APP_SUBNETS).split(",")),
                config.require(Settings.APP_SECURITY_GROUP),
                config.require(Settings.APP_EXECUTION_ROLE_ARN),
                config.require(Settings.APP_TASK_ROLE_ARN),
                config.require(Settings.APP_LOG_GROUP),
                config.region()));
    }

    /** Target groups in {@code APP_VPC_ID}, rules on the preview shards' and production's listeners. */
    @Provides
    @Singleton
    static Routing routing(ElasticLoadBalancingV2Client elb, PlatformConfig config) {
        return new ElbRouting(elb, new ElbRouting.Config(
                config.require(Settings.APP_VPC_ID),
                List.of(config.require(Settings.PREVIEW_LISTENER_ARNS).split(",")),
                config.require(Settings.PRODUCTION_LISTENER_ARN)));
    }

    /** The preview shards' requests per target group, from the load balancers of {@code PREVIEW_LISTENER_ARNS}. */
    @Provides
    @Singleton
    static InboundTraffic inboundTraffic(CloudWatchClient cloudWatch, PlatformConfig config) {
        return new CloudWatchInboundTraffic(cloudWatch, List.of(config.require(Settings.PREVIEW_LISTENER_ARNS).split(",")));
    }

    @Provides
    @Singleton
    static ImageRegistry imageRegistry(EcrClient ecr, PlatformConfig config) {
        return new EcrImageRegistry(ecr, config.require(Settings.IMAGE_REPOSITORY_URI));
    }

    @Provides
    @Singleton
    static PlatformEventPublisher platformEventPublisher(PlatformConfig config, EventBridgeClient eventBridge) {
        return new EventBridgePublisher(eventBridge, config.require(PlatformConfig.EVENT_BUS_NAME));
    }

    @Provides
    @Singleton
    static RepoEventQueue repoEventQueue(SqsClient sqs, PlatformConfig config) {
        return new SqsRepoEventQueue(sqs, config.require(Topology.REPO_EVENTS.urlVariable()));
    }

    /** Data keys of environment variable values, wrapped by the KMS key {@code ENV_KEY_ID}. */
    @Provides
    @Singleton
    static DataKeys dataKeys(KmsClient kms, PlatformConfig config) {
        return new KmsDataKeys(kms, config.require(Settings.ENV_KEY_ID));
    }

    @Provides
    @Singleton
    static SourceStore sourceStore(S3Client s3, PlatformConfig config) {
        return new S3SourceStore(s3, config.require(PlatformConfig.SOURCE_BUCKET));
    }

    /**
     * The GitHub App, as each of its ports. Its id and key come from the Secrets Manager secret
     * {@code GITHUB_APP_SECRET_ARN} (cached five minutes), or, in the local runtime and tests, from
     * {@code GITHUB_APP_ID} and {@code GITHUB_APP_PRIVATE_KEY}.
     */
    @Provides
    @Singleton
    static GitHubApp gitHubApp(PlatformConfig config, Clock clock, dagger.Lazy<SecretsManagerClient> secretsManager) {
        GitHubAppCredentialsSource credentials;
        if (config.get(PlatformConfig.GITHUB_APP_SECRET_ARN).isPresent()) {
            credentials = GitHubAppSecrets.from(config, clock, secretsManager);
        } else if (config.get(Settings.GITHUB_APP_ID).isPresent()) {
            credentials = GitHubAppSecrets.fixed(config.require(Settings.GITHUB_APP_ID), config.require(Settings.GITHUB_APP_PRIVATE_KEY));
        } else {
            // a function that never calls GitHub on a given path still starts; the first call says what is missing
            credentials = () -> {
                throw new IllegalStateException("the GitHub App is not configured: set " + PlatformConfig.GITHUB_APP_SECRET_ARN
                        + " (or " + Settings.GITHUB_APP_ID + " and " + Settings.GITHUB_APP_PRIVATE_KEY + ")");
            };
        }
        return GitHubApp.fromConfig(config, credentials, clock);
    }

    @Provides
    static CommitArchives commitArchives(GitHubApp app) {
        return app;
    }

    @Provides
    static RepositoryPermissions repositoryPermissions(GitHubApp app) {
        return app;
    }

    @Provides
    static CommentReactions commentReactions(GitHubApp app) {
        return app;
    }

    @Provides
    static CheckRuns checkRuns(GitHubApp app) {
        return app;
    }

    @Provides
    static HookDeliveries hookDeliveries(GitHubApp app) {
        return app;
    }

    @Provides
    @Singleton
    static WebhookSecretSource webhookSecret(PlatformConfig config, Clock clock, dagger.Lazy<SecretsManagerClient> secretsManager) {
        return WebhookSecrets.from(config, clock, secretsManager);
    }

    /**
     * Explicit region, credentials, timeouts and the light url-connection HTTP client; endpoint from the
     * settings.
     */
    private static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(
            B builder, PlatformConfig config, AwsCredentialsProvider credentials, String service) {
        SdkTimeouts timeouts = SdkTimeouts.of(config);
        builder.region(Region.of(config.region())).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(timeouts.attempt())
                        .socketTimeout(timeouts.attempt()))
                .overrideConfiguration(o -> o.apiCallTimeout(timeouts.call()).apiCallAttemptTimeout(timeouts.attempt()));
        config.endpoint(service).ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
