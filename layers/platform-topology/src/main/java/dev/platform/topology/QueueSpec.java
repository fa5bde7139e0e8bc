package dev.platform.topology;

/**
 * A queue of the platform and its dead-letter queue.
 *
 * @param name queue name (FIFO queues end in {@code .fifo}, as SQS requires)
 * @param fifo whether ordering per message group and deduplication apply
 * @param maxReceiveCount receives before a message moves to the dead-letter queue
 * @param deadLetterQueueName name of the dead-letter queue (FIFO when the source is FIFO)
 */
public record QueueSpec(String name, boolean fifo, int maxReceiveCount, String deadLetterQueueName) {
    public QueueSpec {
        if (fifo != name.endsWith(".fifo") || fifo != deadLetterQueueName.endsWith(".fifo")) {
            throw new IllegalArgumentException("FIFO queues and their DLQs must end in .fifo: " + name);
        }
        if (maxReceiveCount < 1) {
            throw new IllegalArgumentException("maxReceiveCount must be >= 1");
        }
    }

    /** The environment variable that carries this queue's URL to a function that sends to it. */
    public String urlVariable() {
        return name.replace(".fifo", "").replace('-', '_').toUpperCase(java.util.Locale.ROOT) + "_QUEUE_URL";
    }
}
