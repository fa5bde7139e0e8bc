package dev.platform.local.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import dev.platform.local.ecr.LocalEcr;
import dev.platform.local.eventbridge.EventPattern;
import dev.platform.local.eventbridge.LocalEventBus;
import dev.platform.topology.Trigger;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.ServiceNotActiveException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** The local ECS's task definitions and services, driven by the real SDK client as the platform's adapter drives them. */
class LocalEcsServicesTest {
    private static final String CLUSTER = "platform-local";
    private static final String FAILING = "dead";

    @TempDir
    Path dir;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private LocalEventBus bus;
    private LocalEcr ecr;
    private LocalEcs ecs;
    private EcsClient client;

    @BeforeEach
    void start() throws IOException {
        bus = LocalEventBus.start("127.0.0.1", "platform", dir.resolve("events.jsonl"), new PrintStream(PrintStream.nullOutputStream()),
                new Capturing());
        bus.addRule(new LocalEventBus.Rule("deploy-watcher", LocalEventBus.DEFAULT_BUS,
                EventPattern.of(new Trigger.EcsDeploymentStateChange()), "deploy-watcher-invocations"));
        ecr = LocalEcr.start("127.0.0.1", null);
        startEcs();
    }

    private void startEcs() throws IOException {
        ecs = LocalEcs.start("127.0.0.1", dir.resolve("ecs.json"), bus, null, ecr, 0, List.of(),
                new LocalEcs.Deployments(1, List.of(FAILING)));
        client = EcsClient.builder().endpointOverride(ecs.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        ecs.close();
        ecr.close();
        bus.close();
    }

    /** Takes the events the rule sends to its target's queue. */
    private final class Capturing implements SqsClient {
        @Override
        public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
            request.entries().forEach(entry -> {
                try {
                    events.add(Json.MAPPER.readTree(entry.messageBody()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return SendMessageBatchResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "sqs";
        }

        @Override
        public void close() {
        }
    }

    private RegisterTaskDefinitionResponse register(String commit) {
        return client.registerTaskDefinition(r -> r.family("hello-world-pr-2").networkMode("awsvpc")
                .requiresCompatibilitiesWithStrings("FARGATE").cpu("256").memory("512")
                .containerDefinitions(c -> c.name("app").image("000000000000.dkr.ecr.us-east-1.localhost/platform-previews:" + commit)
                        .essential(true).portMappings(p -> p.containerPort(3000)))
                .tags(t -> t.key("platform:project").value("hello-world"), t -> t.key("platform:commit").value(commit)));
    }

    private Service create(String taskDefinition, String token) {
        return client.createService(r -> r.cluster(CLUSTER).serviceName("hello-world-pr-2").taskDefinition(taskDefinition)
                .desiredCount(1).launchType("FARGATE").clientToken(token)
                .loadBalancers(l -> l.targetGroupArn("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/hw-pr-2/0123456789abcdef")
                        .containerName("app").containerPort(3000))
                .tags(t -> t.key("platform:project").value("hello-world"))).service();
    }

    private Service describe() {
        return client.describeServices(r -> r.cluster(CLUSTER).services("hello-world-pr-2").include(ServiceField.TAGS)).services().get(0);
    }

    private List<JsonNode> events(String name) {
        return events.stream().filter(e -> e.path("detail").path("eventName").asText().equals(name)).toList();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void taskDefinitionsHaveRevisionsPerFamilyAndTags() {
        String first = register("aaaa111").taskDefinition().taskDefinitionArn();
        RegisterTaskDefinitionResponse second = register("bbbb222");
        assertEquals("arn:aws:ecs:us-east-1:000000000000:task-definition/hello-world-pr-2:1", first);
        assertEquals(2, second.taskDefinition().revision());
        assertEquals("bbbb222", second.tags().get(1).value());
        assertEquals("bbbb222", client.describeTaskDefinition(r -> r.taskDefinition("hello-world-pr-2")
                .include(TaskDefinitionField.TAGS)).tags().get(1).value(), "the family alone is its latest revision");

        client.deregisterTaskDefinition(r -> r.taskDefinition(first));
        assertEquals(List.of(second.taskDefinition().taskDefinitionArn()),
                client.listTaskDefinitions(r -> r.familyPrefix("hello-world").status(TaskDefinitionStatus.ACTIVE)).taskDefinitionArns());
        assertEquals(List.of(first), client.listTaskDefinitions(r -> r.status(TaskDefinitionStatus.INACTIVE)).taskDefinitionArns());
        assertThrows(ClientException.class, () -> create(first, "t-inactive"), "an INACTIVE revision cannot be deployed");

        var deleted = client.deleteTaskDefinitions(r -> r.taskDefinitions(first, second.taskDefinition().taskDefinitionArn()));
        assertEquals(List.of(first), deleted.taskDefinitions().stream().map(d -> d.taskDefinitionArn()).toList(),
                "only a deregistered revision is deleted");
        assertEquals(List.of(second.taskDefinition().taskDefinitionArn()), deleted.failures().stream().map(f -> f.arn()).toList(),
                "an active one is a failure in the answer");
        assertEquals(List.of(), client.listTaskDefinitions(r -> r.status(TaskDefinitionStatus.INACTIVE)).taskDefinitionArns());
    }

    @Test
    void aServiceIsCreatedOnceUpdatedAndDeletedWithEcsErrors() throws InterruptedException {
        String v1 = register("aaaa111").taskDefinition().taskDefinitionArn();
        Service created = create(v1, "token-1");
        assertEquals("arn:aws:ecs:us-east-1:000000000000:service/platform-local/hello-world-pr-2", created.serviceArn());
        assertEquals(created.serviceArn(), create(v1, "token-1").serviceArn(), "the same token is the same service");
        InvalidParameterException other = assertThrows(InvalidParameterException.class, () -> create(v1, "token-2"));
        assertEquals("Creation of service was not idempotent.", other.awsErrorDetails().errorMessage());
        assertEquals(List.of(created.serviceArn()), client.listServices(r -> r.cluster(CLUSTER)).serviceArns());

        await(() -> describe().runningCount() == 1, "the first deployment");
        String v2 = register("bbbb222").taskDefinition().taskDefinitionArn();
        client.updateService(r -> r.cluster(CLUSTER).service("hello-world-pr-2").taskDefinition(v2).desiredCount(2));
        Service rolling = describe();
        assertEquals(2, rolling.deployments().size(), "PRIMARY and the previous ACTIVE one while it rolls");
        assertEquals("PRIMARY", rolling.deployments().get(0).status());
        assertEquals(v2, rolling.deployments().get(0).taskDefinition());
        assertEquals(DeploymentRolloutState.IN_PROGRESS, rolling.deployments().get(0).rolloutState());
        assertEquals("ACTIVE", rolling.deployments().get(1).status());
        assertEquals("hello-world", rolling.tags().get(0).value());
        await(() -> describe().runningCount() == 2, "the second deployment");
        assertEquals(1, describe().deployments().size(), "the old deployment is gone once the new one completed");
        client.updateService(r -> r.cluster(CLUSTER).service("hello-world-pr-2").forceNewDeployment(true));
        assertEquals(2, describe().deployments().size(), "a forced deployment rolls the same task definition again");

        client.deleteService(r -> r.cluster(CLUSTER).service("hello-world-pr-2").force(true));
        assertThrows(ServiceNotActiveException.class,
                () -> client.deleteService(r -> r.cluster(CLUSTER).service("hello-world-pr-2").force(true)));
        await(() -> describe().status().equals("INACTIVE"), "the drain");
        assertEquals(List.of(), client.listServices(r -> r.cluster(CLUSTER)).serviceArns());
        assertThrows(ServiceNotFoundException.class,
                () -> client.updateService(r -> r.cluster(CLUSTER).service("never-created").desiredCount(1)));
    }

    @Test
    void aCompletedDeploymentIsAnEcsDeploymentStateChangeOnTheDefaultBus() throws InterruptedException {
        Service service = create(register("aaaa111").taskDefinition().taskDefinitionArn(), "token-1");
        String deploymentId = service.deployments().get(0).id();
        assertTrue(deploymentId.matches("ecs-svc/\\d{19}"), deploymentId);
        await(() -> !events("SERVICE_DEPLOYMENT_COMPLETED").isEmpty(), "the completion event");
        assertEquals(1, describe().runningCount());

        JsonNode event = events("SERVICE_DEPLOYMENT_COMPLETED").get(0);
        assertEquals(List.of("version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"),
                fieldNames(event));
        assertEquals("ECS Deployment State Change", event.path("detail-type").asText());
        assertEquals("aws.ecs", event.path("source").asText());
        assertEquals("000000000000", event.path("account").asText());
        assertEquals("us-east-1", event.path("region").asText());
        assertEquals(service.serviceArn(), event.path("resources").path(0).asText());
        JsonNode detail = event.path("detail");
        assertEquals(List.of("eventType", "eventName", "deploymentId", "updatedAt", "reason"), fieldNames(detail));
        assertEquals("INFO", detail.path("eventType").asText());
        assertEquals(deploymentId, detail.path("deploymentId").asText());
        assertEquals("ECS deployment " + deploymentId + " completed.", detail.path("reason").asText());
        assertEquals(1, events("SERVICE_DEPLOYMENT_IN_PROGRESS").size());
    }

    @Test
    void aFailingCommitRollsBackToThePreviousTaskDefinition() throws InterruptedException {
        String good = register("aaaa111").taskDefinition().taskDefinitionArn();
        create(good, "token-1");
        await(() -> describe().runningCount() == 1, "the first deployment");
        String bad = register(FAILING + "beef").taskDefinition().taskDefinitionArn();
        String failedId = client.updateService(r -> r.cluster(CLUSTER).service("hello-world-pr-2").taskDefinition(bad))
                .service().deployments().get(0).id();
        await(() -> !events("SERVICE_DEPLOYMENT_FAILED").isEmpty(), "the failure event");

        JsonNode detail = events("SERVICE_DEPLOYMENT_FAILED").get(0).path("detail");
        assertEquals("ERROR", detail.path("eventType").asText());
        assertEquals(failedId, detail.path("deploymentId").asText());
        assertEquals("ECS deployment circuit breaker: tasks failed to start.", detail.path("reason").asText());
        Service rolledBack = describe();
        assertEquals(good, rolledBack.taskDefinition());
        assertEquals(1, rolledBack.runningCount());
        assertEquals(1, rolledBack.deployments().size());
    }

    @Test
    void aDeploymentInFlightAtARestartCompletesAfterIt() throws Exception {
        String arn = create(register("aaaa111").taskDefinition().taskDefinitionArn(), "token-1").serviceArn();
        client.close();
        ecs.close();
        startEcs();
        await(() -> describe().runningCount() == 1, "the deployment to complete after the restart");
        assertEquals(arn, create(describe().taskDefinition(), "token-1").serviceArn(), "client tokens are kept too");
    }

    @Test
    void aServiceOfNoTasksIsDeployedAtOnce() {
        Service service = client.createService(r -> r.cluster(CLUSTER).serviceName("idle")
                .taskDefinition(register("aaaa111").taskDefinition().taskDefinitionArn()).desiredCount(0)).service();
        assertEquals(DeploymentRolloutState.COMPLETED, service.deployments().get(0).rolloutState());
        assertEquals(0, service.runningCount());
    }

    @Test
    void describingAMissingServiceIsAFailureNotAnError() {
        DescribeServicesResponse response = client.describeServices(r -> r.cluster(CLUSTER).services("nothing-here"));
        assertEquals(List.of(), response.services());
        assertEquals("MISSING", response.failures().get(0).reason());
        assertEquals("arn:aws:ecs:us-east-1:000000000000:service/platform-local/nothing-here", response.failures().get(0).arn());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
