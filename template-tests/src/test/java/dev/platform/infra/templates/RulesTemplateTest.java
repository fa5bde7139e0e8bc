package dev.platform.infra.templates;

import static dev.platform.infra.templates.Cfn.CONTROL_PLANE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rules: every target of every rule (platform bus, default bus, schedule) has a dead-letter queue and an
 * explicit retry policy; each rule matches exactly what its topology trigger says.
 */
class RulesTemplateTest {

    static Stream<Synth.Result> synths() {
        return Stream.of(Synth.of(Synth.DEFAULT), Synth.of(TestTopology.EXTENDED));
    }

    @ParameterizedTest
    @MethodSource("synths")
    void everyRuleTargetHasADeadLetterQueueAndARetryPolicy(Synth.Result r) {
        long ruleTriggered = r.functions().stream().filter(f -> f.trigger() instanceof Trigger.EventRule
                || f.trigger() instanceof Trigger.EcsTaskStateChange || f.trigger() instanceof Trigger.EcsDeploymentStateChange
                || f.trigger() instanceof Trigger.Schedule).count();
        assertEquals(ruleTriggered, rules(r).size(), "one rule per rule-triggered function");
        rules(r).forEach((id, rule) -> {
            List<JsonNode> targets = Cfn.list(rule.path("Properties").path("Targets"));
            assertFalse(targets.isEmpty(), id + " has targets");
            for (JsonNode target : targets) {
                assertTrue(target.path("DeadLetterConfig").has("Arn"), id + ": target has a dead-letter queue");
                JsonNode retry = target.path("RetryPolicy");
                assertTrue(retry.path("MaximumRetryAttempts").isInt(), id + ": explicit retry attempts");
                assertTrue(retry.path("MaximumEventAgeInSeconds").asInt() > 0, id + ": explicit maximum event age");
            }
        });
    }

    @Test
    void aRuleTriggeredFunctionListensOnThePlatformBusForItsDetailTypes() {
        Synth.Result r = Synth.of(TestTopology.EXTENDED);
        Trigger.EventRule trigger = (Trigger.EventRule) TestTopology.JOB_LAUNCHER.trigger();
        JsonNode rule = rule(r, TestTopology.JOB_LAUNCHER).path("Properties");
        assertEquals(Cfn.MESSAGING + "/" + MessagingTemplateTest.bus(r), Cfn.resolve(r, CONTROL_PLANE, rule.path("EventBusName")));
        assertEquals(List.of(Topology.EVENT_SOURCE), texts(rule.path("EventPattern").path("source")));
        assertEquals(trigger.detailTypes(), texts(rule.path("EventPattern").path("detail-type")));
        assertEquals("ENABLED", rule.path("State").asText());
    }

    @Test
    void theBuildWatcherHearsOnlyStoppedBuilderTasksOfThePlatformClusterOnTheDefaultBus() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        JsonNode rule = rule(r, Topology.BUILD_WATCHER).path("Properties");
        assertFalse(rule.has("EventBusName"), "the account's default bus, where ECS puts its events");
        JsonNode pattern = rule.path("EventPattern");
        assertEquals(List.of("aws.ecs"), texts(pattern.path("source")));
        assertEquals(List.of("ECS Task State Change"), texts(pattern.path("detail-type")));
        assertEquals(List.of("family:" + Topology.BUILDER_FAMILY), texts(pattern.path("detail").path("group")));
        assertEquals(List.of("STOPPED"), texts(pattern.path("detail").path("lastStatus")));
        assertEquals(Cfn.COMPUTE + "/" + BuilderTemplateTest.cluster(r) + ".Arn",
                Cfn.resolve(r, CONTROL_PLANE, pattern.path("detail").path("clusterArn").path(0)));
    }

    @Test
    void theRedelivererRunsEveryTenMinutes() {
        JsonNode rule = rule(Synth.of(Synth.DEFAULT), Topology.WEBHOOK_REDELIVERER).path("Properties");
        assertEquals("rate(10 minutes)", rule.path("ScheduleExpression").asText());
        assertFalse(rule.has("EventPattern"));
    }

    @Test
    void autoSleepRunsEveryFiveMinutes() {
        JsonNode rule = rule(Synth.of(Synth.DEFAULT), Topology.AUTO_SLEEP).path("Properties");
        assertEquals("rate(5 minutes)", rule.path("ScheduleExpression").asText());
        assertFalse(rule.has("EventPattern"));
        assertFalse(rule.has("EventBusName"), "a schedule runs on the default bus");
    }

    @Test
    void thePreviewControllerHearsCommandsWakesAndSucceededDeploymentsOnThePlatformBus() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        JsonNode rule = rule(r, Topology.PREVIEW_CONTROLLER).path("Properties");
        assertEquals(Cfn.MESSAGING + "/" + MessagingTemplateTest.bus(r), Cfn.resolve(r, CONTROL_PLANE, rule.path("EventBusName")));
        assertEquals(List.of(Topology.EVENT_SOURCE), texts(rule.path("EventPattern").path("source")));
        assertEquals(List.of("PreviewCommandRequested", "PreviewWaking", "DeploymentSucceeded"),
                texts(rule.path("EventPattern").path("detail-type")));
        assertTrue(target(r, Topology.PREVIEW_CONTROLLER).path("DeadLetterConfig").has("Arn"));
    }

    @Test
    void theBuildLauncherHearsBuildRequestsAndTeardownsOnThePlatformBus() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        JsonNode rule = rule(r, Topology.BUILD_LAUNCHER).path("Properties");
        assertEquals(Cfn.MESSAGING + "/" + MessagingTemplateTest.bus(r), Cfn.resolve(r, CONTROL_PLANE, rule.path("EventBusName")));
        assertEquals(List.of("BuildRequested", "PreviewTeardownRequested"), texts(rule.path("EventPattern").path("detail-type")));
    }

    @Test
    void failedAsynchronousInvocationsEndInTheSameAlarmedDeadLetterQueue() {
        Synth.Result r = Synth.of(TestTopology.EXTENDED);
        String deadLetters = Cfn.resolve(r, CONTROL_PLANE, target(r, TestTopology.JOB_LAUNCHER).path("DeadLetterConfig").path("Arn"));
        String alias = Cfn.alias(r, TestTopology.JOB_LAUNCHER);
        JsonNode config = r.resources(CONTROL_PLANE, "AWS::Lambda::EventInvokeConfig").values().stream()
                .map(c -> c.path("Properties"))
                .filter(c -> Cfn.contains(c.path("Qualifier"), Cfn.ref(alias)))
                .filter(c -> Cfn.contains(c.path("FunctionName"), Cfn.ref(Cfn.function(r, TestTopology.JOB_LAUNCHER))))
                .findFirst().orElseThrow(() -> new AssertionError("no async invoke config on " + alias));
        assertTrue(config.path("MaximumRetryAttempts").isInt());
        assertEquals(deadLetters, Cfn.resolve(r, CONTROL_PLANE, config.path("DestinationConfig").path("OnFailure").path("Destination")));
    }

    @Test
    void onlyEventBridgeFromThisRuleMaySendToTheRulesDeadLetterQueue() {
        Synth.Result r = Synth.of(TestTopology.EXTENDED);
        String ruleId = Cfn.single(r, CONTROL_PLANE, "AWS::Events::Rule",
                x -> Cfn.list(x.path("Properties").path("Targets")).stream().anyMatch(t -> invokes(r, TestTopology.JOB_LAUNCHER, t)),
                "rule");
        JsonNode statement = r.resources(CONTROL_PLANE, "AWS::SQS::QueuePolicy").values().stream()
                .flatMap(p -> Cfn.list(p.path("Properties").path("PolicyDocument").path("Statement")).stream())
                .filter(s -> "events.amazonaws.com".equals(s.path("Principal").path("Service").asText()))
                .filter(s -> (CONTROL_PLANE + "/" + ruleId + ".Arn").equals(
                        Cfn.resolve(r, CONTROL_PLANE, s.path("Condition").path("ArnEquals").path("aws:SourceArn"))))
                .findFirst().orElseThrow(() -> new AssertionError("no queue policy for EventBridge"));
        assertEquals("sqs:SendMessage", statement.path("Action").asText());
        assertEquals(CONTROL_PLANE + "/" + ruleId + ".Arn",
                Cfn.resolve(r, CONTROL_PLANE, statement.path("Condition").path("ArnEquals").path("aws:SourceArn")));
    }

    static Map<String, JsonNode> rules(Synth.Result r) {
        return r.resourcesEverywhere("AWS::Events::Rule");
    }

    /** The rule with a target that invokes this function (through its alias or not). */
    static JsonNode rule(Synth.Result r, FunctionSpec spec) {
        List<JsonNode> found = r.resources(CONTROL_PLANE, "AWS::Events::Rule").values().stream()
                .filter(rule -> Cfn.list(rule.path("Properties").path("Targets")).stream().anyMatch(t -> invokes(r, spec, t)))
                .toList();
        assertEquals(1, found.size(), "rules invoking " + spec.name());
        return found.getFirst();
    }

    /** The target (of its rule) that invokes this function. */
    static JsonNode target(Synth.Result r, FunctionSpec spec) {
        return Cfn.list(rule(r, spec).path("Properties").path("Targets")).stream()
                .filter(t -> invokes(r, spec, t)).findFirst().orElseThrow();
    }

    private static boolean invokes(Synth.Result r, FunctionSpec spec, JsonNode target) {
        return Cfn.contains(target.path("Arn"), Cfn.ref(Cfn.alias(r, spec)))
                || Cfn.contains(target.path("Arn"), Cfn.ref(Cfn.function(r, spec)))
                || Cfn.resolve(r, CONTROL_PLANE, target.path("Arn")).startsWith(CONTROL_PLANE + "/" + Cfn.function(r, spec) + ".");
    }

    private static List<String> texts(JsonNode array) {
        return Cfn.list(array).stream().map(JsonNode::asText).toList();
    }
}
