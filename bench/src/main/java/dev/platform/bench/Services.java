package dev.platform.bench;

import dev.platform.core.orchestration.ProjectLink;
import dev.platform.topology.QueueSpec;
import dev.platform.embedded.EmbeddedDynamoDb;
import dev.platform.embedded.EmbeddedPlatform;
import dev.platform.embedded.EmbeddedSqs;
import dev.platform.embedded.LocalClients;
import dev.platform.aws.priming.LoopbackAws;
import dev.platform.aws.priming.Priming;
import dev.platform.core.json.Json;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DynamoDB Local, ElasticMQ and the EventBridge stub, started once in the harness JVM on loopback,
 * with the table, queues and demo project the functions expect, the way the local runtime sets them up.
 */
final class Services implements AutoCloseable {
    static final String REGION = "us-east-1";
    static final String WEBHOOK_SECRET = "local-webhook-secret";
    static final ProjectLink DEMO_PROJECT = EmbeddedPlatform.demoProject("Codertocat/Hello-World", "main");

    private final EmbeddedDynamoDb dynamoDbServer;
    private final EmbeddedSqs sqsServer;
    private final LoopbackAws eventBridge;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;

    private Services(EmbeddedDynamoDb dynamoDbServer, EmbeddedSqs sqsServer, LoopbackAws eventBridge) {
        this.dynamoDbServer = dynamoDbServer;
        this.sqsServer = sqsServer;
        this.eventBridge = eventBridge;
        this.dynamoDb = dynamoDb();
        this.sqs = LocalClients.sqs(sqsServer.endpoint());
    }

    static Services start() throws IOException {
        EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.inMemory();
        EmbeddedSqs sqs = EmbeddedSqs.start();
        // EventBridge has no embedded emulator: PutEvents is answered on loopback, as SnapStart priming does.
        return new Services(dynamoDb, sqs, LoopbackAws.start(Priming::answer));
    }

    /** A client of the embedded DynamoDB Local, optionally with interceptors (the capacity meter). */
    DynamoDbClient dynamoDb(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder().region(Region.of(REGION)).credentialsProvider(credentials())
                .endpointOverride(dynamoDbServer.endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> {
                    for (ExecutionInterceptor interceptor : interceptors) {
                        o.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }

    SqsClient sqs() {
        return sqs;
    }

    /** Events the functions put on the (loopback) bus so far. */
    long publishedEvents() {
        return eventBridge.calls().stream()
                .filter(call -> call.operation().equals("PutEvents"))
                .mapToLong(call -> {
                    try {
                        return Json.MAPPER.readTree(call.body()).path("Entries").size();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .sum();
    }

    /** Creates the platform table under this name and registers the demo project in it. */
    void createSeededTable(String tableName) {
        EmbeddedPlatform.createTable(dynamoDb, tableName);
        EmbeddedPlatform.seed(dynamoDb, tableName, DEMO_PROJECT, Instant.now());
    }

    void deleteTable(String tableName) {
        dynamoDb.deleteTable(r -> r.tableName(tableName));
    }

    /** A new, empty queue shaped like {@code queue} (with its dead-letter queue), named with a suffix. */
    String createQueue(QueueSpec queue, String suffix) {
        return EmbeddedPlatform.createQueue(sqs, queue, suffix, 30).url();
    }

    long messagesIn(String queueUrl) {
        return EmbeddedPlatform.queued(sqs, List.of(queueUrl));
    }

    void deleteQueue(String queueUrl) {
        sqs.deleteQueue(r -> r.queueUrl(queueUrl));
    }

    /**
     * What a function of the topology reads from its environment (the CDK app sets the same names on
     * AWS), pointing at the embedded services.
     *
     * @param queueUrls URL per topology queue name
     */
    Map<String, String> functionSettings(String tableName, Map<String, String> queueUrls) {
        return EmbeddedPlatform.functionSettings(dynamoDbServer.endpoint(), sqsServer.endpoint(), eventBridge.endpoint(),
                tableName, WEBHOOK_SECRET, queueUrls);
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"));
    }

    @Override
    public void close() {
        dynamoDb.close();
        sqs.close();
        eventBridge.close();
        sqsServer.close();
        dynamoDbServer.close();
    }
}
