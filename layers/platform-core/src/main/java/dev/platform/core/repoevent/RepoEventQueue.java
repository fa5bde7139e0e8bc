package dev.platform.core.repoevent;

/** Port: hands a normalized delivery to the orchestrator (SQS FIFO on AWS and locally). */
public interface RepoEventQueue {
    /**
     * The largest message body the queue takes (SQS: 256 KiB). Intake caps every field at GitHub's
     * limits, which keeps an event below 2 KB.
     */
    int MAX_MESSAGE_BYTES = 256 * 1024;

    /**
     * Sends the event in its message group with its delivery id as deduplication id.
     *
     * @throws RuntimeException when the queue did not accept it; the caller answers 5xx so GitHub
     *     shows the failure and the delivery can be redelivered
     */
    void send(RepoEvent event);
}
