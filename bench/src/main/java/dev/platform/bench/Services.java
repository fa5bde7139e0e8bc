package dev.platform.bench;

import dev.platform.aws.dynamodb.*;
import dev.platform.aws.priming.*;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.orchestration.*;
import dev.platform.embedded.*;
import dev.platform.topology.*;
import java.time.*;
import java.util.*;
import software.amazon.awssdk.auth.credentials.*;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** DynamoDB Local, ElasticMQ and an EventBridge stub (PutEvents answered as SnapStart priming does) in this JVM, set up as locally. */
final class Services implements AutoCloseable {
    static final String WEBHOOK_SECRET = "local-webhook-secret";
    static final ProjectLink DEMO_PROJECT = EmbeddedPlatform.demoProject("Codertocat/Hello-World", "main");
    /** The key of the demo project's item: what the GetItem reference reads. */
    static final Map<String, AttributeValue> DEMO_PROJECT_KEY = Map.of("PK", AttributeValue.fromS("PROJECT#" + DEMO_PROJECT.projectId()),
            "SK", AttributeValue.fromS("META"));

    final EmbeddedDynamoDb dynamoDbServer = EmbeddedDynamoDb.inMemory();
    final EmbeddedSqs sqsServer = EmbeddedSqs.start();
    final LoopbackAws eventBridge = LoopbackAws.start(Priming::answer);
    final DynamoDbClient dynamoDb = dynamoDb();
    final SqsClient sqs = LocalClients.sqs(sqsServer.endpoint());

    /** A DynamoDB client with interceptors (the capacity meter). */
    DynamoDbClient dynamoDb(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder().region(Region.of(LocalClients.REGION)).endpointOverride(dynamoDbServer.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> List.of(interceptors).forEach(o::addExecutionInterceptor)).build();
    }

    /**
     * The orchestrator on a table; the bench opens no fork pull request and comments no command, so no permission is asked
     * (the port answers read) and no comment answered.
     */
    static OrchestrateRepoEvent orchestrate(DynamoDbClient dynamoDb, String table, PlatformEventPublisher publisher) {
        return new OrchestrateRepoEvent(new DynamoDeploymentStateStore(dynamoDb, table), new ProjectRegistry(dynamoDb, table),
                (installation, repository, login) -> RepositoryPermission.READ,
                (installation, repository, commentId, reaction) -> { }, publisher, Clock.systemUTC());
    }

    void createSeededTable(String table) {
        EmbeddedPlatform.createTable(dynamoDb, table);
        EmbeddedPlatform.seed(dynamoDb, table, DEMO_PROJECT, Instant.now());
    }

    /** A new, empty copy of a topology queue (with its dead-letter queue), its name suffixed. */
    String createQueue(QueueSpec queue, String suffix) {
        return EmbeddedPlatform.createQueue(sqs, queue, suffix, 30).url();
    }

    /** What a function reads from its environment (the CDK app sets the same names), pointing here. */
    Map<String, String> functionSettings(String table, Map<String, String> queueUrls) {
        Map<String, String> settings = new HashMap<>(EmbeddedPlatform.functionSettings(dynamoDbServer.endpoint(), sqsServer.endpoint(),
                eventBridge.endpoint(), table, WEBHOOK_SECRET, queueUrls));
        // The build watcher names its image repository at construction; its cold-start sample never reaches ECR.
        settings.put(Settings.IMAGE_REPOSITORY_URI, "000000000000.dkr.ecr.us-east-1.amazonaws.com/platform-images");
        // The waker names its ECS cluster and the apps' network at construction; its sample (an unknown host) never reaches ECS.
        settings.putAll(Map.of(Settings.APP_CLUSTER, "platform-apps", Settings.APP_SUBNETS, "subnet-0bench",
                Settings.APP_SECURITY_GROUP, "sg-0bench", Settings.APP_EXECUTION_ROLE_ARN, "arn:aws:iam::000000000000:role/bench-execution",
                Settings.APP_TASK_ROLE_ARN, "arn:aws:iam::000000000000:role/bench-task", Settings.APP_LOG_GROUP, "/platform/apps"));
        return settings;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable service : List.of(dynamoDb, sqs, eventBridge, sqsServer, dynamoDbServer)) {
            service.close();
        }
    }
}
