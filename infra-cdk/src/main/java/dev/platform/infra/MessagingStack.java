package dev.platform.infra;

import dev.platform.topology.FunctionSpec;
import dev.platform.topology.QueueSpec;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.DeduplicationScope;
import software.amazon.awscdk.services.sqs.FifoThroughputLimit;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The queues of the topology with their dead-letter queues, the platform event bus, and the alarm
 * topic every dead-letter alarm notifies.
 */
public final class MessagingStack extends Stack {
    /** SQS's advice for Lambda consumers: a message stays invisible for 6 times the function timeout. */
    static final int VISIBILITY_TIMEOUT_FACTOR = 6;
    /** Without a consumer (a queue only sent to, so far), SQS's own default. */
    static final int DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
    static final Duration DEAD_LETTER_RETENTION = Duration.days(14);

    private final Map<QueueSpec, Queue> queues = new LinkedHashMap<>();
    private final Map<QueueSpec, Queue> deadLetterQueues = new LinkedHashMap<>();
    private final EventBus bus;
    private final Topic alarmTopic;

    public MessagingStack(Construct scope, String id, StackProps props, List<FunctionSpec> functions,
                          PlatformSettings settings) {
        super(scope, id, props);
        // Alarm notifications carry queue names and counts, never payloads: SNS-managed defaults suffice.
        alarmTopic = Topic.Builder.create(this, "Alarms").displayName("Platform alarms").build();
        settings.alarmEmail().ifPresent(email -> alarmTopic.addSubscription(new EmailSubscription(email)));

        for (QueueSpec spec : Topology.queuesOf(functions)) {
            String name = Names.pascal(spec.name());
            Queue deadLetters = Queue.Builder.create(this, name + "DeadLetters")
                    .queueName(spec.deadLetterQueueName())
                    .fifo(spec.fifo() ? Boolean.TRUE : null)
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .retentionPeriod(DEAD_LETTER_RETENTION)
                    .build();
            Queue.Builder queue = Queue.Builder.create(this, name)
                    .queueName(spec.name())
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .visibilityTimeout(Duration.seconds(visibilityTimeoutSeconds(spec, functions)))
                    .deadLetterQueue(DeadLetterQueue.builder()
                            .queue(deadLetters)
                            .maxReceiveCount(spec.maxReceiveCount())
                            .build());
            if (spec.fifo()) {
                // Senders set the deduplication id (the GitHub delivery id); ordering is per message group,
                // so high-throughput mode lets unrelated pull requests proceed in parallel.
                queue.fifo(true)
                        .contentBasedDeduplication(false)
                        .deduplicationScope(DeduplicationScope.MESSAGE_GROUP)
                        .fifoThroughputLimit(FifoThroughputLimit.PER_MESSAGE_GROUP_ID);
            }
            queues.put(spec, queue.build());
            deadLetterQueues.put(spec, deadLetters);
            DeadLetterAlarms.watch(this, name + "DeadLettersAlarm", deadLetters, spec.name(), alarmTopic);
        }

        bus = EventBus.Builder.create(this, "Bus").eventBusName("platform").build();
    }

    /** Six times the longest timeout among the functions this queue triggers. */
    static int visibilityTimeoutSeconds(QueueSpec spec, List<FunctionSpec> functions) {
        Optional<Integer> longest = functions.stream()
                .filter(f -> f.trigger() instanceof Trigger.QueueTrigger q && q.queue().equals(spec))
                .map(FunctionSpec::timeoutSeconds)
                .max(Integer::compare);
        return longest.map(t -> t * VISIBILITY_TIMEOUT_FACTOR).orElse(DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
    }

    public Queue queue(QueueSpec spec) {
        Queue queue = queues.get(spec);
        if (queue == null) {
            throw new IllegalArgumentException("queue " + spec.name() + " is not in the topology");
        }
        return queue;
    }

    public Queue deadLetterQueue(QueueSpec spec) {
        return deadLetterQueues.get(spec);
    }

    public EventBus bus() {
        return bus;
    }

    public Topic alarmTopic() {
        return alarmTopic;
    }
}
