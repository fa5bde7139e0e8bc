package dev.platform.functions.previeworchestrator;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.platform.aws.priming.Priming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.aws.sqs.SqsRepoEventQueue;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The orchestrator's synthetic batch for SnapStart priming ({@link PrimingHook}): a pull request
 * opened and a push to the production branch of a repository linked to one project. It loads and
 * runs the message codec, the preview and production policies, the DynamoDB mapping (query, read,
 * conditional write, outbox clear), the EventBridge publisher and the batch response, on a copy of
 * the handler whose clients talk to a loopback endpoint (see {@link Priming}).
 */
final class PreviewOrchestratorPriming {
    private PreviewOrchestratorPriming() {
    }

    static void exercise(PreviewOrchestratorHandler copy) {
        SQSBatchResponse response = copy.handleRequest(batch(), null);
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("priming batch reported " + response.getBatchItemFailures().size()
                    + " failed message(s); see the log lines above");
        }
    }

    private static SQSEvent batch() {
        Instant at = Instant.parse("2024-01-01T00:00:00Z");
        RepoEvent opened = new RepoEvent.PullRequest("snapstart-priming-1", "snapstart/priming", null,
                PullRequestAction.OPENED, PrNumber.of(1), CommitSha.of("0123456789abcdef0123456789abcdef01234567"), "snapstart-priming",
                Priming.PRODUCTION_BRANCH, at, false, false);
        RepoEvent pushed = new RepoEvent.Push("snapstart-priming-2", "snapstart/priming", null,
                "refs/heads/" + Priming.PRODUCTION_BRANCH, CommitSha.ZERO, CommitSha.of("89abcdef0123456789abcdef0123456789abcdef"),
                false, false, at.getEpochSecond());
        SQSEvent batch = new SQSEvent();
        batch.setRecords(List.of(message("1", opened), message("2", pushed)));
        return batch;
    }

    private static SQSEvent.SQSMessage message(String id, RepoEvent event) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("snapstart-priming-" + id);
        message.setBody(RepoEventCodec.write(event));
        message.setAttributes(Map.of("MessageGroupId", SqsRepoEventQueue.messageGroupId(event), "ApproximateReceiveCount", "1"));
        message.setEventSource("aws:sqs");
        return message;
    }
}
