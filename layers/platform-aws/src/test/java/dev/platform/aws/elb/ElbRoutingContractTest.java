package dev.platform.aws.elb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.AwsEmulator;
import dev.platform.core.deploy.PriorityTakenException;
import dev.platform.core.deploy.ResourceTags;
import dev.platform.core.deploy.TaggedResource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * The routing adapter against the AWS API emulator, on a load balancer made here (a VPC, two subnets,
 * one preview shard's listener and production's): target groups and host rules created once and adopted
 * after, pointed elsewhere, refused a priority another host holds, deleted twice, and listed only when
 * they carry the platform's tags.
 */
class ElbRoutingContractTest {
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    private static final Map<String, String> TAGS = Map.of(ResourceTags.PROJECT, "shop", ResourceTags.PR, "7");

    private final ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().region(Region.US_EAST_1)
            .endpointOverride(AwsEmulator.endpoint()).credentialsProvider(CREDENTIALS).build();
    private final String vpc;
    private final String previewListener;
    private final String productionListener;
    private final ElbRouting routing;

    ElbRoutingContractTest() {
        try (Ec2Client ec2 = Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(AwsEmulator.endpoint())
                .credentialsProvider(CREDENTIALS).build()) {
            vpc = ec2.createVpc(r -> r.cidrBlock("10.10.0.0/16")).vpc().vpcId();
            String a = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.10.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
            String b = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.10.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
            previewListener = listener("previews", List.of(a, b));
            productionListener = listener("production", List.of(a, b));
        }
        routing = new ElbRouting(elb, new ElbRouting.Config(vpc, List.of(previewListener), productionListener));
    }

    /** A load balancer with a listener whose default action answers 404 (as the CDK app's do). */
    private String listener(String purpose, List<String> subnets) {
        String balancer = elb.createLoadBalancer(r -> r.name(purpose + "-" + UUID.randomUUID().toString().substring(0, 8))
                .subnets(subnets)).loadBalancers().getFirst().loadBalancerArn();
        return elb.createListener(r -> r.loadBalancerArn(balancer).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(d -> d.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("404"))))
                .listeners().getFirst().listenerArn();
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aTargetGroupIsCreatedOnceAdoptedAfterAndDeletedTwice() {
        String name = name("shop-pr-7");

        String arn = routing.ensureTargetGroup(name, 3000, "/health", TAGS);

        assertEquals(arn, routing.ensureTargetGroup(name, 3000, "/health", TAGS));
        TargetGroup group = elb.describeTargetGroups(r -> r.targetGroupArns(arn)).targetGroups().getFirst();
        assertEquals("ip", group.targetTypeAsString());
        assertEquals("HTTP", group.protocolAsString());
        assertEquals(3000, group.port());
        assertEquals(vpc, group.vpcId());
        assertEquals("/health", group.healthCheckPath());
        assertEquals("200-399", group.matcher().httpCode());
        assertTrue(routing.targetGroups().contains(new TaggedResource(arn, name, TAGS, null)));

        routing.deleteTargetGroup(arn);
        routing.deleteTargetGroup(arn);
        assertFalse(routing.targetGroups().stream().anyMatch(g -> g.id().equals(arn)));
    }

    @Test
    void aHostRuleIsCreatedOnceAdoptedAfterPointedElsewhereAndDeletedTwice() {
        String host = name("shop-pr-7") + ".previews.example.com";
        String first = routing.ensureTargetGroup(name("a"), 3000, "/", TAGS);
        String second = routing.ensureTargetGroup(name("b"), 3000, "/", TAGS);

        String rule = routing.ensureHostRule(0, 10, host, first, TAGS);

        assertEquals(rule, routing.ensureHostRule(0, 10, host, first, TAGS));
        List<Rule> forHost = rules(previewListener).stream().filter(r -> hosts(r).contains(host)).toList();
        assertEquals(1, forHost.size(), forHost.toString());
        assertEquals("10", forHost.getFirst().priority());
        assertEquals(first, target(rule));
        assertTrue(routing.hostRules().contains(new TaggedResource(rule, host, TAGS, null)));

        routing.forward(rule, second);
        assertEquals(second, target(rule));

        routing.deleteRule(rule);
        routing.deleteRule(rule);
        assertFalse(routing.hostRules().stream().anyMatch(r -> r.id().equals(rule)));
    }

    @Test
    void aSecondHostAtATakenPriorityIsRefusedNamingThePriorityAndHost() {
        String group = routing.ensureTargetGroup(name("c"), 3000, "/", TAGS);
        routing.ensureHostRule(0, 20, "one.previews.example.com", group, TAGS);

        PriorityTakenException taken = assertThrows(PriorityTakenException.class,
                () -> routing.ensureHostRule(0, 20, "two.previews.example.com", group, TAGS));

        assertTrue(taken.getMessage().contains("20") && taken.getMessage().contains("two.previews.example.com"),
                taken.getMessage());
    }

    @Test
    void productionRulesAreOnTheProductionListener() {
        String group = routing.ensureTargetGroup(name("prod"), 3000, "/", TAGS);

        String rule = routing.ensureHostRule(ElbRouting.PRODUCTION, 1, "shop.example.com", group, TAGS);

        assertTrue(rules(productionListener).stream().anyMatch(r -> r.ruleArn().equals(rule)));
        assertTrue(routing.hostRules().contains(new TaggedResource(rule, "shop.example.com", TAGS, null)));
    }

    @Test
    void listingsNeverShowAnUntaggedTargetGroupOrRule() {
        String group = elb.createTargetGroup(r -> r.name(name("manual")).protocol(ProtocolEnum.HTTP).port(80).vpcId(vpc))
                .targetGroups().getFirst().targetGroupArn();
        String rule = elb.createRule(r -> r.listenerArn(previewListener).priority(30)
                .conditions(RuleCondition.builder().field("host-header").hostHeaderConfig(h -> h.values("manual.example.com")).build())
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group)))
                .rules().getFirst().ruleArn();

        assertFalse(routing.targetGroups().stream().anyMatch(g -> g.id().equals(group)));
        assertFalse(routing.hostRules().stream().anyMatch(r -> r.id().equals(rule)));
    }

    private List<Rule> rules(String listener) {
        return elb.describeRules(r -> r.listenerArn(listener)).rules();
    }

    private static List<String> hosts(Rule rule) {
        return rule.conditions().stream().flatMap(c -> c.hostHeaderConfig() != null && c.hostHeaderConfig().hasValues()
                ? c.hostHeaderConfig().values().stream() : c.values().stream()).toList();
    }

    private String target(String ruleArn) {
        return elb.describeRules(r -> r.ruleArns(ruleArn)).rules().getFirst().actions().getFirst().targetGroupArn();
    }
}
