package dev.platform.aws.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.AwsEmulator;
import dev.platform.core.deploy.ResourceTags;
import dev.platform.core.deploy.ServiceSpec;
import dev.platform.core.deploy.TaggedResource;
import dev.platform.core.deploy.TaskDefinitionSpec;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The app services' adapter against the AWS API emulator: task definitions registered, listed by exact
 * family and deregistered (then deleted); a service created with its load balancer, network, circuit breaker and tags,
 * updated in place, listed, and deleted. The emulator runs no tasks and rolls nothing out: deployment
 * outcomes are the watcher's, tested in the core and the local runtime.
 */
class EcsContainerServicesContractTest {
    private static final Map<String, String> TAGS = Map.of(ResourceTags.PROJECT, "shop", ResourceTags.PR, "7",
            ResourceTags.ENVIRONMENT, "preview");

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    /** Every request the adapter sends: the emulator does not keep a service's deployment configuration. */
    private final List<SdkRequest> sent = new CopyOnWriteArrayList<>();
    private final EcsClient ecs = EcsClient.builder().region(Region.US_EAST_1).endpointOverride(AwsEmulator.endpoint())
            .credentialsProvider(CREDENTIALS)
            .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    sent.add(context.request());
                }
            }))
            .build();
    private final String cluster = "apps-" + UUID.randomUUID();
    private final String subnet;
    private final EcsContainerServices services;

    /** A cluster, and the private subnet and security group the emulator checks services' networks against. */
    EcsContainerServicesContractTest() {
        ecs.createCluster(r -> r.clusterName(cluster));
        try (Ec2Client ec2 = Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(AwsEmulator.endpoint())
                .credentialsProvider(CREDENTIALS).build()) {
            String vpc = ec2.createVpc(r -> r.cidrBlock("10.9.0.0/16")).vpc().vpcId();
            subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.9.1.0/24")).subnet().subnetId();
            String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("apps-" + UUID.randomUUID())
                    .description("apps")).groupId();
            services = new EcsContainerServices(ecs, new EcsContainerServices.Config(cluster, List.of(subnet), group,
                    "arn:aws:iam::123456789012:role/app-execution", "arn:aws:iam::123456789012:role/app-task",
                    "/platform/apps", "us-east-1"));
        }
    }

    private static TaskDefinitionSpec spec(String family, String digest) {
        return new TaskDefinitionSpec(family, "web", "1.dkr.ecr.us-east-1.amazonaws.com/apps@sha256:" + digest.repeat(64),
                3000, 256, 512, List.of("node", "server.js"), Map.of("NODE_ENV", "production"), TAGS);
    }

    @Test
    void aTaskDefinitionIsRegisteredAsAFargateRevisionWithItsContainerLogsAndTags() {
        String family = "shop-pr-7-" + UUID.randomUUID();

        String arn = services.registerTaskDefinition(spec(family, "a"));

        assertTrue(arn.endsWith(":task-definition/" + family + ":1"), arn);
        var described = ecs.describeTaskDefinition(r -> r.taskDefinition(arn).includeWithStrings("TAGS"));
        TaskDefinition definition = described.taskDefinition();
        assertEquals("awsvpc", definition.networkModeAsString());
        assertEquals(List.of("FARGATE"), definition.requiresCompatibilitiesAsStrings());
        assertEquals("256", definition.cpu());
        assertEquals("512", definition.memory());
        assertEquals("arn:aws:iam::123456789012:role/app-execution", definition.executionRoleArn());
        ContainerDefinition container = definition.containerDefinitions().getFirst();
        assertEquals("web", container.name());
        assertTrue(container.essential());
        assertEquals(3000, container.portMappings().getFirst().containerPort());
        assertEquals(List.of("node", "server.js"), container.command());
        assertEquals("NODE_ENV", container.environment().getFirst().name());
        assertEquals(Map.of("awslogs-group", "/platform/apps", "awslogs-region", "us-east-1", "awslogs-stream-prefix", family),
                container.logConfiguration().options());
        assertEquals(TAGS, described.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value())));
    }

    @Test
    void taskDefinitionsListExactlyTheFamilysActiveRevisionsAndDeregisteringTwiceIsNoError() {
        String family = "shop-pr-1-" + UUID.randomUUID();
        String first = services.registerTaskDefinition(spec(family, "a"));
        String second = services.registerTaskDefinition(spec(family, "b"));
        services.registerTaskDefinition(spec(family + "2", "c"));  // the same prefix, another family

        assertEquals(List.of(first, second), services.taskDefinitions(family));

        services.deregisterTaskDefinition(first);
        services.deregisterTaskDefinition(first);
        services.deregisterTaskDefinition(family + "-never-registered:1");
        assertEquals(List.of(second), services.taskDefinitions(family));
    }

    @Test
    void aServiceIsCreatedBehindItsTargetGroupUpdatedInPlaceListedAndDeletedTwice() {
        String family = "shop-pr-7-" + UUID.randomUUID();
        String first = services.registerTaskDefinition(spec(family, "a"));
        String name = "shop-pr-7-" + UUID.randomUUID().toString().substring(0, 8);
        String targetGroup = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-pr-7/0123456789abcdef";
        ServiceSpec create = new ServiceSpec(name, "d-" + UUID.randomUUID().toString().substring(0, 30), first, targetGroup,
                "web", 3000, 1, TAGS);

        String deployment = services.deploy(create);

        assertNotNull(deployment);
        Service created = describe(name);
        assertEquals("ACTIVE", created.status());
        assertEquals(first, created.taskDefinition());
        assertEquals(1, created.desiredCount());
        assertEquals("FARGATE", created.launchTypeAsString());
        assertEquals(targetGroup, created.loadBalancers().getFirst().targetGroupArn());
        assertEquals("web", created.loadBalancers().getFirst().containerName());
        assertEquals(3000, created.loadBalancers().getFirst().containerPort());
        assertEquals(List.of(subnet), created.networkConfiguration().awsvpcConfiguration().subnets());
        assertEquals("DISABLED", created.networkConfiguration().awsvpcConfiguration().assignPublicIpAsString());
        assertEquals(TAGS, created.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value())));
        assertEquals(deployment, created.deployments().getFirst().id());
        // moto keeps neither the deployment configuration nor the grace period, tag propagation or token: the request has them
        CreateServiceRequest request = creations().getFirst();
        assertTrue(request.deploymentConfiguration().deploymentCircuitBreaker().enable());
        assertTrue(request.deploymentConfiguration().deploymentCircuitBreaker().rollback());
        assertEquals(EcsContainerServices.HEALTH_CHECK_GRACE_SECONDS, request.healthCheckGracePeriodSeconds());
        assertEquals("SERVICE", request.propagateTagsAsString());
        assertTrue(request.enableECSManagedTags());
        assertEquals(create.clientToken(), request.clientToken());

        services.deploy(create);  // the same client token again: still one service
        String second = services.registerTaskDefinition(spec(family, "b"));
        services.deploy(new ServiceSpec(name, "d-" + UUID.randomUUID().toString().substring(0, 30), second, targetGroup,
                "web", 3000, 2, TAGS));

        assertEquals(1, creations().size(), "an active service is updated, never created again");
        Service updated = describe(name);
        assertEquals(second, updated.taskDefinition());
        assertEquals(2, updated.desiredCount());
        List<TaggedResource> listed = services.services();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(name, listed.getFirst().name());
        assertEquals(updated.serviceArn(), listed.getFirst().id());
        assertEquals(TAGS, listed.getFirst().tags());

        assertNotNull(services.update(name, first));
        assertEquals(first, describe(name).taskDefinition());

        services.delete(name);
        services.delete(name);
        assertEquals(List.of(), services.services());
        assertThrows(IllegalStateException.class, () -> services.update(name, first));
    }

    @Test
    void servicesIgnoreAnUntaggedServiceAndUpdatingAnUnknownServiceIsAnIllegalState() {
        String definition = services.registerTaskDefinition(spec("other-" + UUID.randomUUID(), "a"));
        ecs.createService(r -> r.cluster(cluster).serviceName("not-ours").taskDefinition(definition).desiredCount(1));

        assertEquals(List.of(), services.services());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> services.update("never-created", definition));
        assertTrue(e.getMessage().contains("never-created"), e.getMessage());
        services.delete("never-created");
        assertFalse(services.services().stream().anyMatch(s -> s.name().equals("not-ours")));
    }

    @Test
    void aSleepingServiceIsScaledToZeroAndWokenByANewDeploymentOfOneTask() {
        String definition = services.registerTaskDefinition(spec("shop-pr-9-" + UUID.randomUUID(), "a"));
        String name = "shop-pr-9-" + UUID.randomUUID().toString().substring(0, 8);
        services.deploy(new ServiceSpec(name, "d-" + UUID.randomUUID().toString().substring(0, 30), definition,
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-pr-9/0123456789abcdef",
                "web", 3000, 1, TAGS));

        services.scale(name, 0);
        assertEquals(0, describe(name).desiredCount());

        String wake = services.wake(name);

        Service woken = describe(name);
        assertEquals(1, woken.desiredCount());
        assertEquals(definition, woken.taskDefinition(), "a wake rolls out the same task definition");
        assertEquals(wake, woken.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst()
                .orElseThrow().id());
        UpdateServiceRequest request = sent.stream().filter(UpdateServiceRequest.class::isInstance)
                .map(UpdateServiceRequest.class::cast).reduce((a, b) -> b).orElseThrow();
        assertTrue(request.forceNewDeployment(), "a new deployment, whose completion ends the wake");

        services.delete(name);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> services.wake(name));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertThrows(IllegalStateException.class, () -> services.scale("never-created", 0));
    }

    private List<CreateServiceRequest> creations() {
        return sent.stream().filter(CreateServiceRequest.class::isInstance).map(CreateServiceRequest.class::cast).toList();
    }

    private Service describe(String name) {
        return ecs.describeServices(r -> r.cluster(cluster).services(name).include(ServiceField.TAGS)).services().getFirst();
    }
}
