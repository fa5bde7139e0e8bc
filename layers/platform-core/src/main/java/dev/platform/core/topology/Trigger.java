package dev.platform.core.topology;

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
}
