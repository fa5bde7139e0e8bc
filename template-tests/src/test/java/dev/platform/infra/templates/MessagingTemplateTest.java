package dev.platform.infra.templates;

import static dev.platform.infra.templates.Cfn.MESSAGING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.QueueSpec;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Queues: every topology queue has an encrypted dead-letter queue with maxReceiveCount ≥ 5, a
 * visibility timeout of at least 6 × its consumer's timeout; mappings report partial batch
 * failures; every dead-letter queue (queues' and rule targets') is alarmed; the bus exists.
 */
class MessagingTemplateTest {

    static Stream<Synth.Result> synths() {
        return Stream.of(Synth.of(Synth.DEFAULT), Synth.of(TestTopology.EXTENDED));
    }

    @ParameterizedTest
    @MethodSource("synths")
    void everyQueueHasItsDeadLetterQueueAfterAtLeastFiveReceives(Synth.Result r) {
        for (QueueSpec spec : Topology.queuesOf(r.functions())) {
            JsonNode queue = properties(r, Cfn.queue(r, spec));
            JsonNode redrive = queue.path("RedrivePolicy");
            assertEquals(spec.maxReceiveCount(), redrive.path("maxReceiveCount").asInt(), spec.name());
            assertTrue(redrive.path("maxReceiveCount").asInt() >= 5, spec.name() + ": maxReceiveCount >= 5");
            assertEquals(MESSAGING + "/" + Cfn.queue(r, spec.deadLetterQueueName()) + ".Arn",
                    Cfn.resolve(r, MESSAGING, redrive.path("deadLetterTargetArn")), spec.name() + " -> " + spec.deadLetterQueueName());
            JsonNode deadLetters = properties(r, Cfn.queue(r, spec.deadLetterQueueName()));
            assertEquals(spec.fifo(), queue.path("FifoQueue").asBoolean(false), spec.name());
            assertEquals(spec.fifo(), deadLetters.path("FifoQueue").asBoolean(false), spec.deadLetterQueueName());
            assertTrue(deadLetters.path("MessageRetentionPeriod").asInt() >= 14 * 24 * 3600,
                    "dead letters are kept for the longest time SQS allows");
        }
    }

    @ParameterizedTest
    @MethodSource("synths")
    void visibilityTimeoutIsAtLeastSixTimesTheConsumersTimeout(Synth.Result r) {
        int consumers = 0;
        for (FunctionSpec function : r.functions()) {
            if (function.trigger() instanceof Trigger.QueueTrigger trigger) {
                consumers++;
                int visibility = properties(r, Cfn.queue(r, trigger.queue())).path("VisibilityTimeout").asInt();
                assertTrue(visibility >= 6 * function.timeoutSeconds(), trigger.queue().name() + " visibility "
                        + visibility + "s < 6 x " + function.name() + "'s " + function.timeoutSeconds() + "s");
            }
        }
        assertTrue(consumers > 0, "the topology has queue consumers to check");
    }

    @ParameterizedTest
    @MethodSource("synths")
    void everyQueueAnywhereIsEncrypted(Synth.Result r) {
        Map<String, JsonNode> queues = r.resourcesEverywhere("AWS::SQS::Queue");
        assertFalse(queues.isEmpty());
        queues.forEach((id, queue) -> {
            JsonNode props = queue.path("Properties");
            assertTrue(props.path("SqsManagedSseEnabled").asBoolean(false) || props.has("KmsMasterKeyId"), id + " is encrypted");
        });
    }

    @ParameterizedTest
    @MethodSource("synths")
    void everyEventSourceMappingReportsBatchItemFailures(Synth.Result r) {
        Map<String, JsonNode> mappings = r.resourcesEverywhere("AWS::Lambda::EventSourceMapping");
        assertEquals(r.functions().stream().filter(f -> f.trigger() instanceof Trigger.QueueTrigger).count(), mappings.size());
        mappings.forEach((id, mapping) -> assertEquals("ReportBatchItemFailures",
                mapping.path("Properties").path("FunctionResponseTypes").path(0).asText(), id));
    }

    @ParameterizedTest
    @MethodSource("synths")
    void everyDeadLetterQueueIsAlarmedWhenItHoldsAMessage(Synth.Result r) {
        Set<String> deadLetterQueues = new TreeSet<>();
        r.templates().keySet().forEach(stack -> {
            Cfn.valuesOf(r.json(stack).path("Resources"), "deadLetterTargetArn")
                    .forEach(arn -> deadLetterQueues.add(withoutAttribute(Cfn.resolve(r, stack, arn))));
            Cfn.valuesOf(r.json(stack).path("Resources"), "DeadLetterConfig")
                    .forEach(config -> deadLetterQueues.add(withoutAttribute(Cfn.resolve(r, stack, config.path("Arn")))));
        });
        assertEquals(Topology.queuesOf(r.functions()).size() + RulesTemplateTest.rules(r).size(), deadLetterQueues.size(),
                "one dead-letter queue per queue and per rule target: " + deadLetterQueues);

        Set<String> alarmed = new TreeSet<>();
        r.resourcesEverywhere("AWS::CloudWatch::Alarm").forEach((id, alarm) -> {
            JsonNode props = alarm.path("Properties");
            String stack = id.substring(0, id.indexOf('/'));
            if ("AWS/SQS".equals(props.path("Namespace").asText())
                    && "ApproximateNumberOfMessagesVisible".equals(props.path("MetricName").asText())
                    && "GreaterThanThreshold".equals(props.path("ComparisonOperator").asText())
                    && props.path("Threshold").asDouble() == 0
                    && !Cfn.list(props.path("AlarmActions")).isEmpty()) {
                for (JsonNode dimension : props.path("Dimensions")) {
                    if ("QueueName".equals(dimension.path("Name").asText())) {
                        alarmed.add(withoutAttribute(Cfn.resolve(r, stack, dimension.path("Value"))));
                    }
                }
            }
        });
        assertTrue(alarmed.containsAll(deadLetterQueues), "alarmed " + alarmed + ", dead-letter queues " + deadLetterQueues);
    }

    @Test
    void thePlatformBusExists() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        assertEquals("platform", properties(r, bus(r)).path("Name").asText());
    }

    static String bus(Synth.Result r) {
        return Cfn.single(r, MESSAGING, "AWS::Events::EventBus", b -> true, "event bus");
    }

    private static JsonNode properties(Synth.Result r, String logicalId) {
        return r.json(MESSAGING).path("Resources").path(logicalId).path("Properties");
    }

    /** "Stack/Id.Arn" or "Stack/Id.QueueName" to "Stack/Id". */
    private static String withoutAttribute(String reference) {
        int dot = reference.lastIndexOf('.');
        return dot > reference.indexOf('/') ? reference.substring(0, dot) : reference;
    }
}
