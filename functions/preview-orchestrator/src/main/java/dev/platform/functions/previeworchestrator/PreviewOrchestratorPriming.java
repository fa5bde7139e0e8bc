package dev.platform.functions.previeworchestrator;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.LoopbackAws;
import dev.platform.aws.priming.Priming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * SnapStart runtime hooks of the orchestrator.
 *
 * <p>Before the snapshot, a priming copy of the handler (its SDK clients on a {@link LoopbackAws},
 * see {@link Priming}) processes a synthetic batch: a pull request opened and a push to the
 * production branch of a repository linked to one project. That loads and runs the message codec,
 * the preview and production policies, the DynamoDB mapping (query, read, conditional write,
 * outbox clear), the EventBridge publisher and the batch response, with every AWS call answered on
 * the loopback endpoint. The real handler's table and bus are never touched.
 *
 * <p>After restore there is nothing to refresh: the orchestrator caches no secret, and because
 * nothing real is called during init, no credentials or connections are in the snapshot.
 */
final class PreviewOrchestratorPriming extends PrimingHook {
    private final PlatformConfig config;

    private PreviewOrchestratorPriming(PlatformConfig config) {
        this.config = config;
    }

    /** Registers the hooks, except for a priming copy (which must not prime itself). */
    static PreviewOrchestratorPriming register(PlatformConfig config) {
        return register(new PreviewOrchestratorPriming(config), config);
    }

    @Override
    protected List<String> prime() {
        try (LoopbackAws aws = LoopbackAws.start(Priming::answer)) {
            PreviewOrchestratorHandler copy = new PreviewOrchestratorHandler(Priming.config(config, aws.endpoint()));
            SQSBatchResponse response = copy.handleRequest(batch(), null);
            if (!response.getBatchItemFailures().isEmpty()) {
                throw new IllegalStateException("priming batch reported " + response.getBatchItemFailures().size()
                        + " failed message(s); see the log lines above");
            }
            return aws.operations();
        }
    }

    private static SQSEvent batch() {
        Instant at = Instant.parse("2024-01-01T00:00:00Z");
        RepoEvent opened = new RepoEvent.PullRequest("snapstart-priming-1", "snapstart/priming",
                PullRequestAction.OPENED, 1, "0123456789abcdef0123456789abcdef01234567", "snapstart-priming",
                Priming.PRODUCTION_BRANCH, at, false, false);
        RepoEvent pushed = new RepoEvent.Push("snapstart-priming-2", "snapstart/priming",
                "refs/heads/" + Priming.PRODUCTION_BRANCH, "0".repeat(40), "89abcdef0123456789abcdef0123456789abcdef",
                false, false, at.getEpochSecond());
        SQSEvent batch = new SQSEvent();
        batch.setRecords(List.of(message("1", opened), message("2", pushed)));
        return batch;
    }

    private static SQSEvent.SQSMessage message(String id, RepoEvent event) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("snapstart-priming-" + id);
        message.setBody(RepoEventCodec.write(event));
        message.setAttributes(Map.of("MessageGroupId", event.messageGroupId(), "ApproximateReceiveCount", "1"));
        message.setEventSource("aws:sqs");
        return message;
    }
}
