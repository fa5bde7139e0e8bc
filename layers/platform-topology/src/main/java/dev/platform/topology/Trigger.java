package dev.platform.topology;

import java.util.List;

/** What invokes a function. */
public sealed interface Trigger {

    /** An API Gateway REST route (proxy integration). */
    record HttpRoute(String method, String path) implements Trigger {
    }

    /**
     * An SQS event source mapping that reports partial batch failures.
     *
     * @param batchSize messages per invocation (at most 10 for FIFO queues)
     */
    record QueueTrigger(QueueSpec queue, int batchSize) implements Trigger {
        public QueueTrigger {
            if (batchSize < 1 || (queue.fifo() && batchSize > 10)) {
                throw new IllegalArgumentException("batch size out of range for " + queue.name() + ": " + batchSize);
            }
        }
    }

    /**
     * An EventBridge rule on the platform bus: events with source {@link Topology#EVENT_SOURCE} and
     * one of these {@code detail-type}s invoke the function asynchronously. Deployed with a
     * dead-letter queue and an explicit retry policy on the target.
     */
    record EventRule(List<String> detailTypes) implements Trigger {
        public EventRule {
            if (detailTypes.isEmpty()) {
                throw new IllegalArgumentException("an event rule needs at least one detail type");
            }
            detailTypes = List.copyOf(detailTypes);
        }
    }
}
