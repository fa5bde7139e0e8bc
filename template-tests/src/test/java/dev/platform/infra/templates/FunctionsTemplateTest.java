package dev.platform.infra.templates;

import static dev.platform.infra.templates.Cfn.CONTROL_PLANE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.github.AcceptGitHubDelivery;
import dev.platform.core.json.Json;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Grant;
import dev.platform.topology.Settings;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every topology function becomes a java21 / arm64 / SnapStart function with a published version
 * and the alias {@code live}, and its trigger invokes that alias. Runs over the deployed topology
 * and over one extended with test-only functions (no stack edits), so new entries are covered too.
 */
class FunctionsTemplateTest {

    static Stream<Synth.Result> synths() {
        return Stream.of(Synth.of(Synth.DEFAULT), Synth.of(TestTopology.EXTENDED), Synth.of(ComputeTemplateTest.THREE_SHARDS));
    }

    @ParameterizedTest
    @MethodSource("synths")
    void everyTopologyFunctionAndNoOtherIsDeployed(Synth.Result r) {
        Set<String> deployed = new TreeSet<>(r.resourcesEverywhere("AWS::Lambda::Function").keySet());
        Set<String> expected = new TreeSet<>();
        r.functions().forEach(spec -> expected.add(CONTROL_PLANE + "/" + Cfn.function(r, spec)));
        assertEquals(expected, deployed, "one function per topology entry, and no helper functions");
    }

    @ParameterizedTest
    @MethodSource("synths")
    void functionsRunJava21OnArm64WithSnapStartAndTheSharedLayer(Synth.Result r) {
        String layer = Cfn.single(r, CONTROL_PLANE, "AWS::Lambda::LayerVersion", l -> true, "shared layer");
        for (FunctionSpec spec : r.functions()) {
            JsonNode props = r.json(CONTROL_PLANE).path("Resources").path(Cfn.function(r, spec)).path("Properties");
            assertEquals("java21", props.path("Runtime").asText(), spec.name());
            assertEquals(List.of("arm64"), texts(props.path("Architectures")), spec.name());
            assertEquals("PublishedVersions", props.path("SnapStart").path("ApplyOn").asText(), spec.name());
            assertEquals(spec.memoryMb(), props.path("MemorySize").asInt(), spec.name());
            assertEquals(spec.timeoutSeconds(), props.path("Timeout").asInt(), spec.name());
            assertEquals(List.of(Cfn.ref(layer)), Cfn.list(props.path("Layers")), spec.name());
        }
    }

    @ParameterizedTest
    @MethodSource("synths")
    void everyFunctionHasAPublishedVersionAndTheLiveAliasOnIt(Synth.Result r) {
        for (FunctionSpec spec : r.functions()) {
            String function = Cfn.function(r, spec);
            String version = Cfn.single(r, CONTROL_PLANE, "AWS::Lambda::Version",
                    v -> function.equals(v.path("Properties").path("FunctionName").path("Ref").asText()),
                    "version of " + spec.name());
            JsonNode alias = r.json(CONTROL_PLANE).path("Resources").path(Cfn.alias(r, spec)).path("Properties");
            assertEquals("live", alias.path("Name").asText());
            assertEquals(Json.MAPPER.createArrayNode().add(version).add("Version"),
                    alias.path("FunctionVersion").path("Fn::GetAtt"), spec.name() + ": the alias points at the published version");
        }
    }

    @ParameterizedTest
    @MethodSource("synths")
    void everyTriggerInvokesTheAliasNeverTheUnpublishedFunction(Synth.Result r) {
        for (FunctionSpec spec : r.functions()) {
            JsonNode alias = Cfn.ref(Cfn.alias(r, spec));
            JsonNode bareFunction = Cfn.ref(Cfn.function(r, spec));
            List<JsonNode> invokers = switch (spec.trigger()) {
                case Trigger.HttpRoute route -> List.of(ApiTemplateTest.method(r, route).path("Properties").path("Integration"));
                // each route's integration: the function serving it, through its alias
                case Trigger.ApiRoutes api -> api.routes().stream()
                        .map(route -> ApiTemplateTest.method(r, route.method(), route.path()).path("Properties").path("Integration"))
                        .toList();
                case Trigger.ApiAuthorizer authorizer -> List.of(r.json(CONTROL_PLANE).path("Resources")
                        .path(ApiTemplateTest.authorizer(r)).path("Properties").path("AuthorizerUri"));
                case Trigger.QueueTrigger queue -> {
                    String queueArn = Cfn.MESSAGING + "/" + Cfn.queue(r, queue.queue()) + ".Arn";
                    List<JsonNode> mappings = r.resources(CONTROL_PLANE, "AWS::Lambda::EventSourceMapping").values().stream()
                            .filter(m -> queueArn.equals(Cfn.resolve(r, CONTROL_PLANE, m.path("Properties").path("EventSourceArn"))))
                            .toList();
                    assertEquals(1, mappings.size(), spec.name() + ": one mapping from " + queue.queue().name());
                    JsonNode mapping = mappings.getFirst().path("Properties");
                    assertEquals(queue.batchSize(), mapping.path("BatchSize").asInt());
                    assertTrue(Cfn.resolve(r, CONTROL_PLANE, mapping.path("FunctionName")).endsWith(":live"),
                            spec.name() + ": the mapping names the alias-qualified function");
                    yield List.of(mapping.path("FunctionName"));
                }
                case Trigger.EventRule rule -> List.of(RulesTemplateTest.target(r, spec).path("Arn"));
                case Trigger.EcsTaskStateChange rule -> List.of(RulesTemplateTest.target(r, spec).path("Arn"));
                case Trigger.EcsDeploymentStateChange rule -> List.of(RulesTemplateTest.target(r, spec).path("Arn"));
                case Trigger.Schedule schedule -> List.of(RulesTemplateTest.target(r, spec).path("Arn"));
                case Trigger.LoadBalancerTarget target -> WakerTemplateTest.targetGroups(r).values().stream()
                        .map(group -> group.path("Properties").path("Targets")).toList();
            };
            assertTrue(!invokers.isEmpty(), spec.name() + " has an invoker");
            for (JsonNode invoker : invokers) {
                assertTrue(Cfn.contains(invoker, alias), spec.name() + " is invoked through its alias: " + invoker);
                assertTrue(!Cfn.contains(invoker, bareFunction), spec.name() + " is never invoked unpublished: " + invoker);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("synths")
    void environmentNamesExactlyTheGrantedResources(Synth.Result r) {
        for (FunctionSpec spec : r.functions()) {
            JsonNode variables = r.json(CONTROL_PLANE).path("Resources").path(Cfn.function(r, spec))
                    .path("Properties").path("Environment").path("Variables");
            Set<String> expected = new HashSet<>(Set.of(Settings.FUNCTION_TIMEOUT_SECONDS));
            for (Grant grant : spec.grants()) {
                switch (grant) {
                    case Grant.SendMessages send -> expected.add(send.queue().urlVariable());
                    case Grant.ReadWriteTable ignored -> expected.add(Settings.TABLE_NAME);
                    case Grant.PutPlatformEvents ignored -> expected.add(Settings.EVENT_BUS_NAME);
                    case Grant.ReadWebhookSecret ignored -> {
                        expected.add(Settings.GITHUB_WEBHOOK_SECRET_ARN);
                        expected.add(Settings.WEBHOOK_MAX_BODY_BYTES);
                    }
                    case Grant.ActAsGitHubApp ignored -> expected.addAll(List.of(Settings.GITHUB_APP_SECRET_ARN,
                            Settings.GITHUB_API_URL));
                    case Grant.WriteSources ignored -> expected.addAll(List.of(Settings.SOURCE_BUCKET,
                            Settings.BUILD_MAX_SOURCE_BYTES));
                    case Grant.RunBuilderTasks ignored -> expected.addAll(List.of(Settings.BUILD_CLUSTER,
                            Settings.BUILDER_TASK_DEFINITION, Settings.BUILDER_SUBNETS, Settings.BUILDER_SECURITY_GROUP,
                            Settings.BUILD_CACHE_REPOSITORY_URI, Settings.BUILD_LOGS_URL));
                    case Grant.DescribeImages ignored -> expected.add(Settings.IMAGE_REPOSITORY_URI);
                    case Grant.ManageServices ignored -> expected.addAll(List.of(Settings.APP_CLUSTER, Settings.APP_SUBNETS,
                            Settings.APP_SECURITY_GROUP, Settings.APP_EXECUTION_ROLE_ARN, Settings.APP_TASK_ROLE_ARN,
                            Settings.APP_LOG_GROUP, Settings.APP_LOGS_URL, Settings.DEFAULT_SLEEP_AFTER,
                            Settings.DEFAULT_EXPIRE_AFTER, Settings.DEFAULT_MAX_ACTIVE_PREVIEWS));
                    case Grant.ManageRouting ignored -> {
                        expected.addAll(List.of(Settings.APP_VPC_ID,
                                Settings.PREVIEW_LISTENER_ARNS, Settings.PRODUCTION_LISTENER_ARN, Settings.PREVIEW_DOMAIN,
                                Settings.PREVIEW_SHARD_CAPACITY, Settings.PREVIEW_URL_TEMPLATE));
                        // the topologies tested here all have the load balancers' target (the waker)
                        expected.add(Settings.WAKER_TARGET_GROUP_ARNS);
                    }
                    case Grant.ReadTraffic ignored -> expected.add(Settings.PREVIEW_LISTENER_ARNS);
                    case Grant.SealEnvironmentValues ignored -> expected.add(Settings.ENV_KEY_ID);
                }
            }
            Set<String> actual = new HashSet<>();
            variables.fieldNames().forEachRemaining(actual::add);
            assertEquals(expected, actual, spec.name());
            variables.fields().forEachRemaining(e -> assertTrue(!e.getValue().isTextual() || !e.getValue().asText().isBlank(),
                    spec.name() + ": " + e.getKey() + " has a value"));
        }
    }

    @ParameterizedTest
    @MethodSource("synths")
    void environmentValuesPointAtTheRightResources(Synth.Result r) {
        for (FunctionSpec spec : r.functions()) {
            JsonNode function = r.json(CONTROL_PLANE).path("Resources").path(Cfn.function(r, spec)).path("Properties");
            JsonNode variables = function.path("Environment").path("Variables");
            // the SDK clients' timeouts derive from it: it must be the function's own timeout
            assertEquals(function.path("Timeout").asText(), variables.path(Settings.FUNCTION_TIMEOUT_SECONDS).asText(), spec.name());
            assertEquals(Integer.toString(spec.timeoutSeconds()), variables.path(Settings.FUNCTION_TIMEOUT_SECONDS).asText());
            for (Grant grant : spec.grants()) {
                switch (grant) {
                    case Grant.SendMessages send -> assertEquals(Cfn.MESSAGING + "/" + Cfn.queue(r, send.queue()),
                            Cfn.resolve(r, CONTROL_PLANE, variables.path(send.queue().urlVariable())), "queue URL (Ref)");
                    case Grant.ReadWriteTable ignored -> assertEquals(Cfn.DATA + "/" + DataTemplateTest.table(r),
                            Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.TABLE_NAME)), "table name (Ref)");
                    case Grant.PutPlatformEvents ignored -> assertEquals(Cfn.MESSAGING + "/" + MessagingTemplateTest.bus(r),
                            Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.EVENT_BUS_NAME)), "bus name (Ref)");
                    case Grant.ReadWebhookSecret ignored -> {
                        assertEquals(Cfn.DATA + "/" + DataTemplateTest.secret(r),
                                Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.GITHUB_WEBHOOK_SECRET_ARN)), "secret ARN (Ref)");
                        // API Gateway REST stops at 10 MB and a Lambda request at 6 MB: the function's own
                        // limit is the one that answers 413, and it must be below both.
                        int limit = Integer.parseInt(variables.path(Settings.WEBHOOK_MAX_BODY_BYTES).asText());
                        assertEquals(AcceptGitHubDelivery.DEFAULT_MAX_BODY_BYTES, limit);
                        assertTrue(limit < 6 * 1000 * 1000);
                    }
                    case Grant.ActAsGitHubApp ignored -> {
                        assertEquals(Cfn.DATA + "/" + DataTemplateTest.appSecret(r),
                                Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.GITHUB_APP_SECRET_ARN)), "App secret ARN");
                        assertEquals("https://api.github.com", variables.path(Settings.GITHUB_API_URL).asText());
                    }
                    case Grant.WriteSources ignored -> {
                        assertEquals(Cfn.COMPUTE + "/" + BuilderTemplateTest.bucket(r),
                                Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.SOURCE_BUCKET)), "source bucket (Ref)");
                        assertEquals(Long.toString(500L * 1024 * 1024), variables.path(Settings.BUILD_MAX_SOURCE_BYTES).asText());
                    }
                    case Grant.RunBuilderTasks ignored -> {
                        assertEquals(Cfn.COMPUTE + "/" + BuilderTemplateTest.cluster(r),
                                Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.BUILD_CLUSTER)), "cluster (Ref)");
                        assertEquals(Topology.BUILDER_FAMILY, variables.path(Settings.BUILDER_TASK_DEFINITION).asText());
                        assertEquals(Cfn.COMPUTE + "/" + BuilderTemplateTest.securityGroup(r) + ".GroupId",
                                Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.BUILDER_SECURITY_GROUP)));
                        String subnets = Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.BUILDER_SUBNETS));
                        assertEquals(2, subnets.split(",").length, "both private subnets: " + subnets);
                        assertTrue(subnets.contains("private"), subnets);
                        assertEquals(Cfn.COMPUTE + "/" + BuilderTemplateTest.cacheRepository(r) + ".RepositoryUri".replace(".RepositoryUri", ""),
                                Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.BUILD_CACHE_REPOSITORY_URI))
                                        .replaceAll("^.*(" + Cfn.COMPUTE + "/[A-Za-z0-9]+).*$", "$1"));
                        assertTrue(Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.BUILD_LOGS_URL))
                                .contains("log-group/$252Fplatform$252Fbuilds/log-events/build$252Fbuilder$252F{taskId}"));
                    }
                    case Grant.DescribeImages ignored -> assertTrue(Cfn.resolve(r, CONTROL_PLANE,
                            variables.path(Settings.IMAGE_REPOSITORY_URI)).contains(Cfn.COMPUTE + "/" + BuilderTemplateTest.imageRepository(r)));
                    case Grant.ManageServices ignored -> {
                        assertEquals(Cfn.COMPUTE + "/" + BuilderTemplateTest.cluster(r),
                                Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.APP_CLUSTER)), "the platform cluster");
                        assertEquals("/platform/apps", variables.path(Settings.APP_LOG_GROUP).asText(), "app log group");
                        assertTrue(Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.APP_LOGS_URL))
                                .contains("log-group/$252Fplatform$252Fapps$3FlogStreamNameFilter$3D{serviceName}"));
                        assertEquals(2, Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.APP_SUBNETS)).split(",").length);
                        // the sleep policy's defaults, as the code has them
                        assertEquals("PT30M", variables.path(Settings.DEFAULT_SLEEP_AFTER).asText());
                        assertEquals("P7D", variables.path(Settings.DEFAULT_EXPIRE_AFTER).asText());
                        assertEquals("10", variables.path(Settings.DEFAULT_MAX_ACTIVE_PREVIEWS).asText());
                    }
                    case Grant.ManageRouting ignored -> {
                        assertPreviewListenersInShardOrder(r, variables);
                        assertEquals("95", variables.path(Settings.PREVIEW_SHARD_CAPACITY).asText());
                        assertEquals(r.variant().settings().previewDomain().orElse("preview.invalid"),
                                variables.path(Settings.PREVIEW_DOMAIN).asText());
                        assertEquals(List.copyOf(WakerTemplateTest.targetGroups(r).keySet()).stream()
                                        .map(group -> CONTROL_PLANE + "/" + group).toList(),
                                commaSeparated(r, variables.path(Settings.WAKER_TARGET_GROUP_ARNS)),
                                spec.name() + ": the waker's target groups, shard 0 first");
                    }
                    case Grant.ReadTraffic ignored -> assertPreviewListenersInShardOrder(r, variables);
                    case Grant.SealEnvironmentValues ignored -> assertEquals(IamTemplateTest.envKey(r),
                            Cfn.resolve(r, CONTROL_PLANE, variables.path(Settings.ENV_KEY_ID)), "environment key ARN");
                }
            }
        }
    }

    /** PREVIEW_LISTENER_ARNS: each shard's listener, shard 0 first. */
    private static void assertPreviewListenersInShardOrder(Synth.Result r, JsonNode variables) {
        List<String> shards = commaSeparated(r, variables.path(Settings.PREVIEW_LISTENER_ARNS));
        assertEquals(r.variant().settings().previewShards(), shards.size(), "one listener per shard: " + shards);
        for (int shard = 0; shard < shards.size(); shard++) {
            assertTrue(shards.get(shard).contains("PreviewLoadBalancer" + (shard == 0 ? "" : "Shard" + shard) + "Http"),
                    "shard order: " + shards);
        }
    }

    /** A comma-separated list of references, each resolved: one item is the item itself, more are joined with commas. */
    static List<String> commaSeparated(Synth.Result r, JsonNode value) {
        JsonNode join = value.path("Fn::Join");
        assertTrue(join.isMissingNode() || ",".equals(join.path(0).asText()), "comma-separated: " + value);
        return (join.isMissingNode() ? List.of(value) : Cfn.list(join.path(1))).stream()
                .map(item -> Cfn.resolve(r, CONTROL_PLANE, item)).toList();
    }

    private static List<String> texts(JsonNode array) {
        return Cfn.list(array).stream().map(JsonNode::asText).toList();
    }
}
