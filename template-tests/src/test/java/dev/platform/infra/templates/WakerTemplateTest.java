package dev.platform.infra.templates;

import static dev.platform.infra.templates.Cfn.CONTROL_PLANE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Grant;
import dev.platform.topology.Settings;
import dev.platform.topology.Topology;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The load balancers' Lambda target (the waker): one Lambda target group per preview shard, each targeting the
 * waker's alias, which the load balancers may invoke from those groups only; the routing functions name the
 * groups, shard 0 first, to point a sleeping preview's rule at its shard's group.
 */
class WakerTemplateTest {
    private static final String TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup";

    static Stream<Synth.Result> synths() {
        return Stream.of(Synth.of(Synth.DEFAULT), Synth.of(ComputeTemplateTest.THREE_SHARDS));
    }

    @ParameterizedTest
    @MethodSource("synths")
    void eachShardHasOneLambdaTargetGroupTargetingTheWakersAlias(Synth.Result r) {
        Map<String, JsonNode> groups = targetGroups(r);
        int shards = r.variant().settings().previewShards();
        assertEquals(shards, groups.size(), "one per shard: a target group belongs to one load balancer at most");
        assertEquals(IntStream.range(0, shards).mapToObj(shard -> "platform-waker-" + shard).toList(),
                groups.values().stream().map(g -> g.path("Properties").path("Name").asText()).toList());
        JsonNode alias = Cfn.ref(Cfn.alias(r, Topology.WAKER));
        for (JsonNode group : groups.values()) {
            JsonNode props = group.path("Properties");
            assertEquals(Json.MAPPER.createArrayNode().add(Json.object().set("Id", alias)), props.path("Targets"),
                    "the waker's alias, never the unpublished function");
            assertEquals(Map.of("lambda.multi_value_headers.enabled", "false"), attributes(props));
        }
    }

    @ParameterizedTest
    @MethodSource("synths")
    void theLoadBalancersMayInvokeTheWakerFromItsTargetGroupsOnly(Synth.Result r) {
        List<Map.Entry<String, JsonNode>> permissions = r.resourcesEverywhere("AWS::Lambda::Permission").entrySet().stream()
                .filter(p -> "elasticloadbalancing.amazonaws.com".equals(p.getValue().path("Properties").path("Principal").asText()))
                .toList();
        Map<String, JsonNode> groups = targetGroups(r);
        assertEquals(groups.size(), permissions.size(), "one permission per target group: " + permissions);
        int shard = 0;
        for (JsonNode group : groups.values()) {
            String pattern = "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:targetgroup/"
                    + group.path("Properties").path("Name").asText() + "/*";
            Map.Entry<String, JsonNode> permission = permissions.stream()
                    .filter(p -> pattern.equals(Cfn.resolve(r, CONTROL_PLANE, p.getValue().path("Properties").path("SourceArn"))))
                    .findFirst().orElseThrow(() -> new AssertionError("no permission from " + pattern + " in " + permissions));
            JsonNode props = permission.getValue().path("Properties");
            assertEquals("lambda:InvokeFunction", props.path("Action").asText());
            assertEquals(Cfn.ref(Cfn.alias(r, Topology.WAKER)), props.path("FunctionName"), "on the alias the group targets");
            // CloudFormation registers the target when it creates the group: ELB refuses it without the permission
            String id = permission.getKey().substring((CONTROL_PLANE + "/").length());
            assertTrue(Cfn.list(group.path("DependsOn")).stream().anyMatch(d -> id.equals(d.asText())),
                    "shard " + shard + "'s group waits for its permission " + id);
            shard++;
        }
    }

    @ParameterizedTest
    @MethodSource("synths")
    void everyRoutingFunctionNamesTheWakersTargetGroupsInShardOrder(Synth.Result r) {
        List<String> expected = targetGroups(r).keySet().stream().map(id -> CONTROL_PLANE + "/" + id).toList();
        for (FunctionSpec spec : r.functions()) {
            JsonNode variables = r.json(CONTROL_PLANE).path("Resources").path(Cfn.function(r, spec))
                    .path("Properties").path("Environment").path("Variables");
            if (spec.grants().contains(new Grant.ManageRouting())) {
                assertEquals(expected, FunctionsTemplateTest.commaSeparated(r, variables.path(Settings.WAKER_TARGET_GROUP_ARNS)),
                        spec.name());
            } else {
                assertTrue(variables.path(Settings.WAKER_TARGET_GROUP_ARNS).isMissingNode(), spec.name());
            }
        }
    }

    /** The Lambda target groups of the control plane, logical id to resource, shard 0 first (by their names' index). */
    static Map<String, JsonNode> targetGroups(Synth.Result r) {
        Map<String, JsonNode> groups = new LinkedHashMap<>();
        r.resources(CONTROL_PLANE, TARGET_GROUP).entrySet().stream()
                .filter(g -> "lambda".equals(g.getValue().path("Properties").path("TargetType").asText()))
                .sorted(Comparator.comparingInt(g -> shard(g.getValue())))
                .forEach(g -> groups.put(g.getKey(), g.getValue()));
        return groups;
    }

    private static int shard(JsonNode group) {
        String name = group.path("Properties").path("Name").asText();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    private static Map<String, String> attributes(JsonNode props) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Cfn.list(props.path("TargetGroupAttributes")).forEach(a -> attributes.put(a.path("Key").asText(), a.path("Value").asText()));
        return attributes;
    }
}
