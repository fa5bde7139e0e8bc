package dev.platform.infra.templates;

import static dev.platform.infra.templates.Cfn.COMPUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.infra.PlatformSettings;
import dev.platform.topology.Topology;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The builder: a Fargate task definition running the pinned image builder under a timeout, a private
 * source bucket with expiring snapshots, a layer cache repository, an egress-only security group, and a
 * task role that may read snapshots and push images and nothing else.
 */
class BuilderTemplateTest {
    private final Synth.Result r = Synth.of(Synth.DEFAULT);

    static String bucket(Synth.Result r) {
        return Cfn.single(r, COMPUTE, "AWS::S3::Bucket", b -> true, "source bucket");
    }

    static String imageRepository(Synth.Result r) {
        return Cfn.single(r, COMPUTE, "AWS::ECR::Repository",
                repo -> "IMMUTABLE".equals(repo.path("Properties").path("ImageTagMutability").asText()), "image repository");
    }

    static String cacheRepository(Synth.Result r) {
        return Cfn.single(r, COMPUTE, "AWS::ECR::Repository",
                repo -> "MUTABLE".equals(repo.path("Properties").path("ImageTagMutability").asText()), "layer cache repository");
    }

    static String cluster(Synth.Result r) {
        return Cfn.single(r, COMPUTE, "AWS::ECS::Cluster", c -> true, "cluster");
    }

    static String securityGroup(Synth.Result r) {
        return Cfn.single(r, COMPUTE, "AWS::EC2::SecurityGroup",
                g -> g.path("Properties").path("GroupDescription").asText().startsWith("Builder tasks"), "builder security group");
    }

    static JsonNode taskDefinition(Synth.Result r) {
        String id = Cfn.single(r, COMPUTE, "AWS::ECS::TaskDefinition",
                t -> Topology.BUILDER_FAMILY.equals(t.path("Properties").path("Family").asText()), "builder task definition");
        return r.json(COMPUTE).path("Resources").path(id);
    }

    @Test
    void oneBuilderContainerRunsThePinnedImageUnderTheBuildTimeoutOnFargate() {
        JsonNode task = taskDefinition(r).path("Properties");
        assertEquals(List.of("FARGATE"), Cfn.list(task.path("RequiresCompatibilities")).stream().map(JsonNode::asText).toList());
        assertEquals("awsvpc", task.path("NetworkMode").asText());
        assertEquals("2048", task.path("Cpu").asText());
        assertEquals("4096", task.path("Memory").asText());
        assertEquals("X86_64", task.path("RuntimePlatform").path("CpuArchitecture").asText());
        List<JsonNode> containers = Cfn.list(task.path("ContainerDefinitions"));
        assertEquals(1, containers.size());
        JsonNode builder = containers.getFirst();
        assertEquals(Topology.BUILDER_CONTAINER, builder.path("Name").asText());
        assertEquals(PlatformSettings.Builds.DEFAULT_BUILDER_IMAGE, builder.path("Image").asText());
        assertTrue(builder.path("Image").asText().matches(".+@sha256:[0-9a-f]{64}"), "pinned by digest");
        assertFalse(builder.path("Privileged").asBoolean(), "unprivileged: Fargate grants nothing else anyway");
        String entryPoint = Cfn.list(builder.path("EntryPoint")).stream().map(JsonNode::asText).reduce("", String::concat);
        assertTrue(entryPoint.contains("timeout \"$BUILD_TIMEOUT_SECONDS\" /kaniko/executor \"$@\""), entryPoint);
        assertTrue(entryPoint.contains("exit 124"), entryPoint);
        Set<String> environment = new TreeSet<>();
        Cfn.list(builder.path("Environment")).forEach(e -> environment.add(e.path("Name").asText() + "=" + e.path("Value").asText()));
        assertTrue(environment.contains("BUILD_TIMEOUT_SECONDS=1800"), environment.toString());
        assertFalse(builder.has("Secrets"), "the builder gets no platform secret");
        JsonNode logs = builder.path("LogConfiguration");
        assertEquals("awslogs", logs.path("LogDriver").asText());
        assertEquals("build", logs.path("Options").path("awslogs-stream-prefix").asText());
    }

    @Test
    void sourceSnapshotsArePrivateEncryptedAndExpire() {
        JsonNode props = r.json(COMPUTE).path("Resources").path(bucket(r)).path("Properties");
        JsonNode block = props.path("PublicAccessBlockConfiguration");
        for (String field : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertTrue(block.path(field).asBoolean(), field);
        }
        assertEquals("AES256", props.path("BucketEncryption").path("ServerSideEncryptionConfiguration").path(0)
                .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText());
        JsonNode rule = props.path("LifecycleConfiguration").path("Rules").path(0);
        assertEquals(7, rule.path("ExpirationInDays").asInt());
        assertEquals(1, rule.path("AbortIncompleteMultipartUpload").path("DaysAfterInitiation").asInt());
    }

    @Test
    void theBuilderSecurityGroupAllowsNothingIn() {
        JsonNode group = r.json(COMPUTE).path("Resources").path(securityGroup(r)).path("Properties");
        assertFalse(group.has("SecurityGroupIngress"), "egress only");
        assertTrue(r.resources(COMPUTE, "AWS::EC2::SecurityGroupIngress").values().stream()
                .noneMatch(i -> Cfn.contains(i, Cfn.ref(securityGroup(r)))), "no ingress rule targets the builder");
    }

    /** What the task role may do: read snapshots below sources/, push to the two repositories, nothing else. */
    @Test
    void theTaskRoleReadsSnapshotsAndPushesImagesAndNothingElse() {
        String role = Cfn.resolve(r, COMPUTE, taskDefinition(r).path("Properties").path("TaskRoleArn")).replace(".Arn", "");
        Set<String> actions = new TreeSet<>();
        Set<String> resources = new TreeSet<>();
        r.resources(COMPUTE, "AWS::IAM::Policy").values().stream()
                .filter(p -> Cfn.list(p.path("Properties").path("Roles")).stream()
                        .anyMatch(x -> role.equals(Cfn.resolve(r, COMPUTE, x))))
                .flatMap(p -> Cfn.list(p.path("Properties").path("PolicyDocument").path("Statement")).stream())
                .forEach(statement -> {
                    Cfn.list(statement.path("Action")).forEach(a -> actions.add(a.asText()));
                    Cfn.list(statement.path("Resource")).forEach(x -> resources.add(Cfn.resolve(r, COMPUTE, x)));
                });
        assertTrue(actions.stream().allMatch(a -> a.startsWith("s3:Get") || a.startsWith("s3:List") || a.startsWith("ecr:")),
                actions.toString());
        assertTrue(actions.containsAll(List.of("ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:CompleteLayerUpload")), actions.toString());
        assertTrue(resources.contains(COMPUTE + "/" + bucket(r) + ".Arn/sources/*"), resources.toString());
        assertTrue(resources.contains(COMPUTE + "/" + imageRepository(r) + ".Arn"), resources.toString());
        assertTrue(resources.contains(COMPUTE + "/" + cacheRepository(r) + ".Arn"), resources.toString());
        assertTrue(resources.stream().noneMatch(x -> x.contains("Secret") || x.contains("Table")), resources.toString());
    }
}
