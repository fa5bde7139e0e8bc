package dev.platform.core.repoevent;

/** Port: hands a normalized delivery to the orchestrator (SQS FIFO on AWS and locally). */
public interface RepoEventQueue {
    /**
     * Sends the event in its message group with its delivery id as deduplication id.
     *
     * @throws RuntimeException when the queue did not accept it; the caller answers 5xx so GitHub
     *     shows the failure and the delivery can be redelivered
     */
    void send(RepoEvent event);
}
