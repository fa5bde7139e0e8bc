package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.aws.eventbridge.EventBridgePublisher;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventCodec;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The EventBridge adapter against the AWS API emulator: events reach a rule's target as EventBridge shapes them. */
class EventBridgePublisherContractTest {
    private final PlatformConfig config = AwsEmulator.config(Map.of());
    private final EventBridgeClient eventBridge = AwsModule.eventBridge(config, AwsModule.credentials(config));
    private final SqsClient sqs = AwsModule.sqs(config, AwsModule.credentials(config));

    @Test
    void publishedEventsReachARuleTargetWithSourceDetailTypeAndDetail() throws Exception {
        String bus = "platform-" + UUID.randomUUID();
        eventBridge.createEventBus(r -> r.name(bus));
        String queueUrl = sqs.createQueue(r -> r.queueName("target-" + UUID.randomUUID())).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        eventBridge.putRule(r -> r.name("all-platform").eventBusName(bus).eventPattern("{\"source\":[\"platform\"]}"));
        eventBridge.putTargets(r -> r.rule("all-platform").eventBusName(bus)
                .targets(t -> t.id("queue").arn(queueArn)));

        List<PlatformEvent> events = new ArrayList<>();
        for (int pr = 1; pr <= 12; pr++) { // more than one PutEvents call (10 entries each)
            events.add(PlatformEvent.BuildRequested.preview(ProjectId.of("p1"), PrNumber.of(pr), CommitSha.of("%040x".formatted(pr)),
                    dev.platform.core.build.BuildSettings.DEFAULTS, "delivery-" + pr));
        }
        events.add(new PlatformEvent.PreviewTeardownRequested(ProjectId.of("p1"), PrNumber.of(3)));
        new EventBridgePublisher(eventBridge, bus).publish(events);

        List<Message> received = new ArrayList<>();
        for (int attempt = 0; attempt < 20 && received.size() < events.size(); attempt++) {
            received.addAll(sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages());
        }
        assertEquals(events.size(), received.size());
        List<String> expected = events.stream().map(PlatformEventCodec::envelope).sorted().toList();
        List<String> actual = new ArrayList<>();
        for (Message message : received) {
            JsonNode event = Json.MAPPER.readTree(message.body());
            assertEquals("platform", event.path("source").asText());
            var envelope = Json.object();
            envelope.put("source", event.path("source").asText());
            envelope.put("detail-type", event.path("detail-type").asText());
            envelope.set("detail", event.path("detail"));
            actual.add(Json.write(envelope));
        }
        assertEquals(expected, actual.stream().sorted().toList());
    }

    @Test
    void aMissingBusIsAnErrorNotASilentDrop() {
        EventBridgePublisher publisher = new EventBridgePublisher(eventBridge, "no-such-bus-" + UUID.randomUUID());
        assertThrows(RuntimeException.class,
                () -> publisher.publish(List.of(new PlatformEvent.PreviewTeardownRequested(ProjectId.of("p1"), PrNumber.of(1)))));
    }
}
