package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.ecr.EcrImageRegistry;
import dev.platform.aws.ecs.EcsBuilderTasks;
import dev.platform.core.build.BuildSettings;
import dev.platform.core.build.BuilderTask;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.topology.Topology;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * The builder's adapters against the AWS API emulator: a builder task started on Fargate in the
 * builder's network with the build's flags, tags and identity, then stopped; an image found by tag, by
 * digest, and a tag never pushed found nowhere. The emulator ignores client tokens and never runs tasks:
 * idempotency and task outcomes are tested in the core and the local runtime.
 */
class BuildAdaptersContractTest {
    private final PlatformConfig config = AwsEmulator.config(Map.of());
    private final EcsClient ecs = AwsModule.ecs(config, AwsModule.credentials(config));
    private final EcrClient ecr = AwsModule.ecr(config, AwsModule.credentials(config));

    private static final BuildId BUILD = new BuildId("b-" + "1".repeat(32));
    private static final CommitSha COMMIT = CommitSha.of("a".repeat(40));

    @Test
    void aBuilderTaskRunsOnFargateInTheBuildersNetworkWithTheBuildsFlagsAndIsStopped() throws Exception {
        // the emulator moves a task one status per DescribeTasks call unless told to wait
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(AwsEmulator.endpoint().resolve("/moto-api/state-manager/set-transition"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model_name\":\"ecs::task\",\"transition\":{\"progression\":\"manual\",\"times\":1000}}"))
                .build(), HttpResponse.BodyHandlers.discarding());
        Network network = network();
        String cluster = "builds-" + UUID.randomUUID();
        ecs.createCluster(r -> r.clusterName(cluster));
        ecs.registerTaskDefinition(r -> r.family(Topology.BUILDER_FAMILY).requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC).cpu("1024").memory("2048")
                .containerDefinitions(ContainerDefinition.builder().name(Topology.BUILDER_CONTAINER).image("kaniko").memory(2048).build()));
        EcsBuilderTasks tasks = new EcsBuilderTasks(ecs, cluster, Topology.BUILDER_FAMILY, List.of(network.subnet()), network.group());
        BuilderTask task = new BuilderTask(BUILD, 2, ProjectId.of("shop"), COMMIT, PrNumber.of(7),
                "s3://sources/sources/" + BUILD + "/2.tar.gz", "octo-shop-aaaaaaa",
                new BuildSettings("docker/Dockerfile", "web", "runtime", Map.of("NODE_ENV", "production")),
                "1.dkr.ecr.us-east-1.amazonaws.com/previews:" + COMMIT + "-111111111111", "1.dkr.ecr.us-east-1.amazonaws.com/cache");

        String taskArn = tasks.start(task);

        Task started = ecs.describeTasks(r -> r.cluster(cluster).tasks(taskArn).include(TaskField.TAGS)).tasks().getFirst();
        assertEquals(BUILD.value(), started.startedBy(), "the watcher reads the build back from startedBy");
        assertEquals("FARGATE", started.launchTypeAsString());
        assertTrue(started.taskDefinitionArn().contains("task-definition/" + Topology.BUILDER_FAMILY + ":"));
        Map<String, String> tags = started.tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
        assertEquals(Map.of("platform:project", "shop", "platform:build", BUILD.value(), "platform:pr", "7"), tags);
        ContainerOverride override = started.overrides().containerOverrides().getFirst();
        assertEquals(Topology.BUILDER_CONTAINER, override.name());
        assertEquals(List.of("--context=s3://sources/sources/" + BUILD + "/2.tar.gz", "--context-sub-path=octo-shop-aaaaaaa/web",
                "--dockerfile=docker/Dockerfile", "--destination=" + task.image(), "--cache=true",
                "--cache-repo=1.dkr.ecr.us-east-1.amazonaws.com/cache", "--label=platform.build=" + BUILD,
                "--label=org.opencontainers.image.revision=" + COMMIT, "--target=runtime", "--build-arg=NODE_ENV=production"),
                override.command());
        assertTrue(override.environment().stream().anyMatch(e -> e.name().equals(EcsBuilderTasks.ATTEMPT_VARIABLE)
                && e.value().equals("2")), "the attempt travels with the task");

        tasks.stop(taskArn, "superseded by bbbbbbb");
        assertEquals("STOPPED", ecs.describeTasks(r -> r.cluster(cluster).tasks(taskArn)).tasks().getFirst().desiredStatus());
    }

    @Test
    void anImageIsFoundByItsTagAsItsDigestAndAnUnpushedTagNowhere() {
        String name = "previews-" + UUID.randomUUID();
        String uri = ecr.createRepository(r -> r.repositoryName(name)).repository().repositoryUri();
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":2,"
                + "\"digest\":\"sha256:" + "e".repeat(64) + "\"},\"layers\":[]}";
        String digest = ecr.putImage(r -> r.repositoryName(name).imageTag("pushed").imageManifest(manifest))
                .image().imageId().imageDigest();
        EcrImageRegistry registry = new EcrImageRegistry(ecr, uri);

        assertEquals(uri, registry.repositoryUri());
        assertEquals(java.util.Optional.of(uri + "@" + digest), registry.imageByTag("pushed"));
        assertEquals(java.util.Optional.empty(), registry.imageByTag("never-pushed"));
    }

    /** A VPC as the CDK app makes one (DNS hostnames on), a subnet and an egress-only security group. */
    private Network network() {
        try (Ec2Client ec2 = Ec2Client.builder().region(Region.of(config.region())).endpointOverride(AwsEmulator.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            String vpc = ec2.createVpc(r -> r.cidrBlock("10.8.0.0/16")).vpc().vpcId();
            ec2.modifyVpcAttribute(r -> r.vpcId(vpc).enableDnsHostnames(b -> b.value(true)));
            String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.8.1.0/24")).subnet().subnetId();
            String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("builder-" + UUID.randomUUID())
                    .description("builder")).groupId();
            return new Network(subnet, group);
        }
    }

    private record Network(String subnet, String group) {
    }
}
