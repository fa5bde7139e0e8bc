package dev.platform.local.elb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DuplicateTargetGroupNameException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.InvalidTargetException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.PriorityInUseException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ResourceInUseException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TooManyTargetsException;

/** The local ELBv2, driven by the real SDK client as the platform's routing adapter drives it. */
class LocalElbTest {
    @TempDir
    Path dir;
    private LocalElb elb;
    private ElasticLoadBalancingV2Client client;

    @BeforeEach
    void start() throws IOException {
        elb = LocalElb.start("127.0.0.1", dir.resolve("elb.json"), 2);
        client = client(elb);
    }

    private static ElasticLoadBalancingV2Client client(LocalElb elb) {
        return ElasticLoadBalancingV2Client.builder().endpointOverride(elb.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        elb.close();
    }

    private static CreateTargetGroupRequest targetGroup(String name, String healthCheckPath) {
        return CreateTargetGroupRequest.builder().name(name).protocol(ProtocolEnum.HTTP).port(3000).vpcId("vpc-local")
                .targetType(TargetTypeEnum.IP).healthCheckPath(healthCheckPath)
                .tags(t -> t.key("platform:project").value("hello-world"), t -> t.key("platform:pr").value("2")).build();
    }

    private TargetGroup create(String name) {
        return client.createTargetGroup(targetGroup(name, "/")).targetGroups().get(0);
    }

    private Rule rule(String listener, int priority, String host, String targetGroupArn) {
        return client.createRule(r -> r.listenerArn(listener).priority(priority)
                .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values(host)))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn))
                .tags(t -> t.key("platform:project").value("hello-world"))).rules().get(0);
    }

    @Test
    void aTargetGroupIsCreatedOnceForTheSameSettings() {
        TargetGroup group = create("hw-pr-2");
        assertTrue(group.targetGroupArn().startsWith("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/hw-pr-2/"));
        assertEquals(3000, group.port());
        assertEquals(TargetTypeEnum.IP, group.targetType());
        assertEquals(group.targetGroupArn(), create("hw-pr-2").targetGroupArn(), "the same name and settings are the same group");
        assertThrows(DuplicateTargetGroupNameException.class, () -> client.createTargetGroup(targetGroup("hw-pr-2", "/health")));

        assertEquals(group.targetGroupArn(), client.describeTargetGroups(r -> r.names("hw-pr-2")).targetGroups().get(0).targetGroupArn());
        assertEquals("hw-pr-2", client.describeTargetGroups(r -> r.targetGroupArns(group.targetGroupArn()))
                .targetGroups().get(0).targetGroupName());
        assertThrows(TargetGroupNotFoundException.class, () -> client.describeTargetGroups(r -> r.names("hw-pr-9")));
        client.deleteTargetGroup(r -> r.targetGroupArn(group.targetGroupArn()));
        client.deleteTargetGroup(r -> r.targetGroupArn(group.targetGroupArn())); // an unknown ARN is deleted already
        assertEquals(List.of(), client.describeTargetGroups(r -> { }).targetGroups());
    }

    @Test
    void rulesTakeOnePriorityPerListenerAndHoldTheirTargetGroup() {
        String shard0 = elb.previewListenerArns().get(0);
        String shard1 = elb.previewListenerArns().get(1);
        TargetGroup group = create("hw-pr-2");
        Rule rule = rule(shard0, 10, "hello-world-pr-2.preview.localhost", group.targetGroupArn());
        assertEquals("10", rule.priority());
        assertEquals(List.of("hello-world-pr-2.preview.localhost"), rule.conditions().get(0).hostHeaderConfig().values());
        assertThrows(PriorityInUseException.class, () -> rule(shard0, 10, "other.preview.localhost", group.targetGroupArn()));
        rule(shard1, 10, "other.s1.preview.localhost", group.targetGroupArn()); // another listener's priorities are its own
        assertThrows(ResourceInUseException.class, () -> client.deleteTargetGroup(r -> r.targetGroupArn(group.targetGroupArn())));
        assertEquals(Optional.of(group.targetGroupArn()), elb.forwardTarget("hello-world-pr-2.preview.localhost"));

        List<Rule> rules = client.describeRules(r -> r.listenerArn(shard0)).rules();
        assertEquals(2, rules.size());
        assertEquals(rule.ruleArn(), rules.get(0).ruleArn());
        assertTrue(rules.get(1).isDefault());
        assertEquals("default", rules.get(1).priority());
        assertEquals(group.targetGroupArn(), client.describeRules(r -> r.ruleArns(rule.ruleArn())).rules().get(0)
                .actions().get(0).targetGroupArn());

        TargetGroup next = create("hw-pr-2-b");
        client.modifyRule(r -> r.ruleArn(rule.ruleArn()).actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(next.targetGroupArn())));
        assertEquals(Optional.of(next.targetGroupArn()), elb.forwardTarget("hello-world-pr-2.preview.localhost"));

        client.deleteRule(r -> r.ruleArn(rule.ruleArn()));
        assertThrows(RuleNotFoundException.class, () -> client.deleteRule(r -> r.ruleArn(rule.ruleArn())));
        assertFalse(elb.forwardTarget("hello-world-pr-2.preview.localhost").isPresent());
    }

    @Test
    void tagsAreDescribedAddedAndRemoved() {
        TargetGroup group = create("hw-pr-2");
        Rule rule = rule(elb.productionListenerArn(), 1, "hello-world.example.com", group.targetGroupArn());
        client.addTags(r -> r.resourceArns(rule.ruleArn()).tags(t -> t.key("platform:deployment").value("d-1")));
        client.removeTags(r -> r.resourceArns(group.targetGroupArn()).tagKeys("platform:pr"));
        List<TagDescription> descriptions = client.describeTags(r -> r.resourceArns(group.targetGroupArn(), rule.ruleArn()))
                .tagDescriptions();
        assertEquals(group.targetGroupArn(), descriptions.get(0).resourceArn());
        assertEquals(List.of("platform:project"), descriptions.get(0).tags().stream().map(t -> t.key()).toList());
        assertEquals(List.of("platform:project", "platform:deployment"), descriptions.get(1).tags().stream().map(t -> t.key()).toList());
        assertThrows(TargetGroupNotFoundException.class, () -> client.describeTags(r -> r.resourceArns(
                "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/nope/0000000000000000")));
    }

    @Test
    void stateAndListenersSurviveARestart() throws IOException {
        TargetGroup group = create("hw-pr-2");
        Rule rule = rule(elb.previewListenerArns().get(0), 5, "hello-world-pr-2.preview.localhost", group.targetGroupArn());
        List<String> listeners = elb.previewListenerArns();
        client.close();
        elb.close();
        elb = LocalElb.start("127.0.0.1", dir.resolve("elb.json"), 2);
        client = client(elb);
        assertEquals(listeners, elb.previewListenerArns());
        assertEquals(rule.ruleArn(), client.describeRules(r -> r.listenerArn(listeners.get(0))).rules().get(0).ruleArn());
        assertEquals(group.targetGroupArn(), create("hw-pr-2").targetGroupArn());
    }

    private static final String WAKER = "arn:aws:lambda:us-east-1:000000000000:function:waker";

    private TargetGroup lambdaGroup(String name) {
        return client.createTargetGroup(r -> r.name(name).targetType(TargetTypeEnum.LAMBDA)).targetGroups().get(0);
    }

    @Test
    void aLambdaTargetGroupHasNoPortProtocolOrVpcAndOneFunction() {
        TargetGroup group = lambdaGroup("waker-x");
        assertEquals(TargetTypeEnum.LAMBDA, group.targetType());
        assertEquals(null, group.port());
        assertEquals(null, group.protocol());
        assertEquals(null, group.vpcId());
        assertFalse(group.healthCheckEnabled(), "health checks are off for a lambda target group unless enabled");
        assertEquals(group.targetGroupArn(), lambdaGroup("waker-x").targetGroupArn(), "the same settings are the same group");
        assertEquals(TargetTypeEnum.LAMBDA, client.describeTargetGroups(r -> r.names("waker-x")).targetGroups().get(0).targetType());
        ElasticLoadBalancingV2Exception withPort = assertThrows(ElasticLoadBalancingV2Exception.class, () -> client.createTargetGroup(
                r -> r.name("waker-y").targetType(TargetTypeEnum.LAMBDA).port(80)));
        assertEquals("ValidationError", withPort.awsErrorDetails().errorCode());

        client.registerTargets(r -> r.targetGroupArn(group.targetGroupArn()).targets(t -> t.id(WAKER)));
        client.registerTargets(r -> r.targetGroupArn(group.targetGroupArn()).targets(t -> t.id(WAKER))); // again: the same
        List<TargetHealthDescription> health = client.describeTargetHealth(r -> r.targetGroupArn(group.targetGroupArn()))
                .targetHealthDescriptions();
        assertEquals(List.of(WAKER), health.stream().map(h -> h.target().id()).toList());
        assertEquals(TargetHealthStateEnum.UNAVAILABLE, health.get(0).targetHealth().state());
        assertThrows(TooManyTargetsException.class, () -> client.registerTargets(r -> r.targetGroupArn(group.targetGroupArn())
                .targets(t -> t.id("arn:aws:lambda:us-east-1:000000000000:function:other"))));
        assertThrows(InvalidTargetException.class, () -> client.registerTargets(r -> r.targetGroupArn(group.targetGroupArn())
                .targets(t -> t.id("10.0.0.1"))));
        String ipGroup = create("hw-pr-2").targetGroupArn();
        ElasticLoadBalancingV2Exception onIp = assertThrows(ElasticLoadBalancingV2Exception.class,
                () -> client.registerTargets(r -> r.targetGroupArn(ipGroup).targets(t -> t.id(WAKER))));
        assertEquals("ValidationError", onIp.awsErrorDetails().errorCode());

        client.deregisterTargets(r -> r.targetGroupArn(group.targetGroupArn()).targets(t -> t.id(WAKER)));
        assertEquals(List.of(), client.describeTargetHealth(r -> r.targetGroupArn(group.targetGroupArn())).targetHealthDescriptions());
        client.deleteTargetGroup(r -> r.targetGroupArn(group.targetGroupArn()));
        assertThrows(TargetGroupNotFoundException.class, () -> client.describeTargetGroups(r -> r.names("waker-x")));
    }

    @Test
    void aHostRuleIsPointedAtALambdaTargetGroupAndBack() {
        String host = "hello-world-pr-2.preview.localhost";
        String shard0 = elb.previewListenerArns().get(0);
        TargetGroup app = create("hw-pr-2");
        TargetGroup waker = lambdaGroup("waker-x");
        client.registerTargets(r -> r.targetGroupArn(waker.targetGroupArn()).targets(t -> t.id(WAKER)));
        Rule rule = rule(shard0, 10, host, app.targetGroupArn());
        LocalElb.Forward toApp = elb.forward(host).orElseThrow();
        assertFalse(toApp.lambda());
        assertEquals(app.targetGroupArn(), toApp.targetGroupArn());
        assertTrue(toApp.loadBalancerArn().contains(":loadbalancer/app/platform-preview-0/"), toApp.loadBalancerArn());

        client.modifyRule(r -> r.ruleArn(rule.ruleArn()).actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(waker.targetGroupArn())));
        LocalElb.Forward toWaker = elb.forward(host).orElseThrow();
        assertTrue(toWaker.lambda());
        assertEquals(waker.targetGroupArn(), toWaker.targetGroupArn());
        assertEquals(List.of(WAKER), toWaker.targets());
        assertEquals(waker.targetGroupArn(), client.describeRules(r -> r.ruleArns(rule.ruleArn())).rules().get(0)
                .actions().get(0).targetGroupArn());
        assertEquals(List.of(toWaker.loadBalancerArn()), client.describeTargetGroups(r -> r.names("waker-x")).targetGroups().get(0)
                .loadBalancerArns(), "a rule of shard 0 forwards to it");
        assertThrows(ResourceInUseException.class, () -> client.deleteTargetGroup(r -> r.targetGroupArn(waker.targetGroupArn())));

        client.modifyRule(r -> r.ruleArn(rule.ruleArn()).actions(a -> a.type(ActionTypeEnum.FORWARD)
                .forwardConfig(f -> f.targetGroups(t -> t.targetGroupArn(app.targetGroupArn())))));
        assertEquals(app.targetGroupArn(), elb.forward(host).orElseThrow().targetGroupArn());
        assertFalse(elb.forward(host).orElseThrow().lambda());
    }

    @Test
    void theRuntimesLambdaTargetGroupsKeepTheirArnAndFunctionAcrossRestarts() throws IOException {
        String arn = elb.ensureLambdaTargetGroup("waker-0", WAKER);
        assertTrue(arn.startsWith("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/waker-0/"), arn);
        assertEquals(arn, elb.ensureLambdaTargetGroup("waker-0", WAKER));
        client.close();
        elb.close();
        elb = LocalElb.start("127.0.0.1", dir.resolve("elb.json"), 2);
        client = client(elb);
        assertEquals(arn, elb.ensureLambdaTargetGroup("waker-0", WAKER));
        assertEquals(List.of(WAKER), client.describeTargetHealth(r -> r.targetGroupArn(arn)).targetHealthDescriptions()
                .stream().map(h -> h.target().id()).toList());
        try (LocalElb inMemory = LocalElb.start("127.0.0.1", null, 1)) {
            assertEquals(arn, inMemory.ensureLambdaTargetGroup("waker-0", WAKER), "derived from the name: the same in every run");
        }
        create("hw-pr-2");
        assertThrows(IllegalStateException.class, () -> elb.ensureLambdaTargetGroup("hw-pr-2", WAKER));
    }
}
