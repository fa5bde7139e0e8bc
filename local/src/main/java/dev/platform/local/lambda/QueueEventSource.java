package dev.platform.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.platform.core.json.JsonLog;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Lambda's SQS event source mapping, in-process: several pollers long-poll the queue, each invokes
 * the handler with a batch and deletes the messages it did not report as failed. A thrown exception
 * fails the whole batch. Failed messages come back after the visibility timeout and move to the DLQ
 * after maxReceiveCount receives (the queue's redrive policy, enforced by ElasticMQ as by SQS).
 * Pollers run batches concurrently, as Lambda runs several environments; on a FIFO queue a message
 * group stays in order because the queue hands out no message of a group while another of the same
 * group is in flight (ElasticMQ does this as SQS does; {@code QueuePollersTest} checks it).
 *
 * <p>A batch is never handed out twice while it runs: Lambda refuses a queue whose visibility timeout
 * is shorter than the function's timeout, while locally a short timeout makes failed messages come back
 * quickly. So while a batch runs its messages' visibility is extended (half the timeout apart), and
 * only messages that failed come back, after at most one timeout.
 */
public final class QueueEventSource implements AutoCloseable {
    private final FunctionSpec function;
    private final int batchSize;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final SqsClient sqs;
    private final String queueUrl;
    private final List<Thread> pollers = new ArrayList<>();
    private final AtomicInteger batchesRunning = new AtomicInteger();
    private final ScheduledExecutorService heartbeat;
    private final int visibilitySeconds;
    private volatile boolean running = true;
    private volatile String queueArn;

    /** The event source mapping of a queue-triggered function: batches as its trigger says. */
    public QueueEventSource(FunctionSpec function, RequestHandler<SQSEvent, SQSBatchResponse> handler, SqsClient sqs,
                            String queueUrl, int pollers) {
        this(function, ((Trigger.QueueTrigger) function.trigger()).batchSize(), handler, sqs, queueUrl, pollers);
    }

    /** @param batchSize messages per invocation, at most */
    public QueueEventSource(FunctionSpec function, int batchSize, RequestHandler<SQSEvent, SQSBatchResponse> handler,
                            SqsClient sqs, String queueUrl, int pollers) {
        this.function = function;
        this.batchSize = batchSize;
        this.handler = handler;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        for (int i = 1; i <= pollers; i++) {
            this.pollers.add(Thread.ofPlatform().name("esm-" + function.name() + "-" + i).daemon().unstarted(this::pollLoop));
        }
        this.visibilitySeconds = Integer.parseInt(sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("esm-" + function.name() + "-visibility").daemon().factory());
    }

    public void start() {
        pollers.forEach(Thread::start);
    }

    private void pollLoop() {
        while (running) {
            try {
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                        .maxNumberOfMessages(batchSize)
                        .waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
                if (messages.isEmpty()) {
                    continue;
                }
                batchesRunning.incrementAndGet();
                try {
                    invoke(messages);
                } finally {
                    batchesRunning.decrementAndGet();
                }
            } catch (RuntimeException e) {
                if (running) {
                    JsonLog.error("event source mapping poll failed", Map.of("function", function.name()), e);
                    sleepQuietly(500);
                }
            }
        }
    }

    private void invoke(List<Message> messages) {
        Set<String> failed = new HashSet<>();
        long period = Math.max(500, visibilitySeconds * 500L);
        ScheduledFuture<?> keepInFlight = heartbeat.scheduleAtFixedRate(() -> extendVisibility(messages), period, period,
                TimeUnit.MILLISECONDS);
        try {
            SQSBatchResponse response = handler.handleRequest(toEvent(messages), LocalContext.of(function));
            if (response != null && response.getBatchItemFailures() != null) {
                response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
        } catch (RuntimeException e) {
            JsonLog.error("function failed; whole batch will be retried", Map.of("function", function.name()), e);
            messages.forEach(m -> failed.add(m.messageId()));
        } finally {
            keepInFlight.cancel(false);
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(done.size())).receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
        }
    }

    private void extendVisibility(List<Message> messages) {
        try {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (Message message : messages) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                        .receiptHandle(message.receiptHandle()).visibilityTimeout(visibilitySeconds).build());
            }
            sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries));
        } catch (RuntimeException e) {
            JsonLog.error("could not extend the visibility of a running batch", Map.of("function", function.name()), e);
        }
    }

    private SQSEvent toEvent(List<Message> messages) {
        String arn = queueArn();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message message : messages) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            record.setMd5OfBody(message.md5OfBody());
            Map<String, String> attributes = new HashMap<>();
            message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
            record.setAttributes(attributes);
            Map<String, SQSEvent.MessageAttribute> messageAttributes = new HashMap<>();
            message.messageAttributes().forEach((name, value) -> {
                SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
                attribute.setDataType(value.dataType());
                attribute.setStringValue(value.stringValue());
                messageAttributes.put(name, attribute);
            });
            record.setMessageAttributes(messageAttributes);
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(arn);
            record.setAwsRegion("us-east-1");
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private String queueArn() {
        if (queueArn == null) {
            queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
        }
        return queueArn;
    }

    /** True while a batch is being handled. */
    public boolean busy() {
        return batchesRunning.get() > 0;
    }

    /** Stops polling; a batch being handled finishes first (within the function's timeout). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread poller : pollers) {
            poller.join(function.timeoutSeconds() * 1000L + 2_000);
        }
        heartbeat.shutdownNow();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
