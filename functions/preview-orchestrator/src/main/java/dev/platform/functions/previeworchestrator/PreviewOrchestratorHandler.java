package dev.platform.functions.previeworchestrator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.aws.sqs.SqsBatch;
import dev.platform.core.orchestration.OrchestrateRepoEvent;
import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventCodec;
import java.util.List;
import java.util.Map;

/**
 * {@code repo-events.fifo} → preview state and platform events, one message at a time with partial
 * batch failures ({@link SqsBatch}): a message that cannot be read or applied is retried by SQS and
 * reaches the DLQ after the queue's maxReceiveCount, and its pull request's later deliveries wait. The
 * batch is one unit of work ({@link OrchestrateRepoEvent.Batch}): its events are published together at
 * the end; if that fails, every message applied is retried and its redelivery publishes its events.
 */
public final class PreviewOrchestratorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final OrchestrateRepoEvent orchestrate;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<PreviewOrchestratorHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public PreviewOrchestratorHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    /**
     * With SnapStart hooks: priming exercises a copy of this handler. After restore there is nothing to
     * refresh: nothing real is called during init, so no credentials or connections are in the snapshot.
     */
    public PreviewOrchestratorHandler(PlatformConfig config) {
        this.orchestrate = DaggerPreviewOrchestratorComponent.factory().create(config).orchestrate();
        this.priming = PrimingHook.register(config, PreviewOrchestratorHandler::withoutHooks,
                PreviewOrchestratorPriming::exercise, () -> { });
    }

    /** A handler without SnapStart hooks: what priming exercises. */
    static PreviewOrchestratorHandler withoutHooks(PlatformConfig config) {
        return new PreviewOrchestratorHandler(DaggerPreviewOrchestratorComponent.factory().create(config).orchestrate());
    }

    /** Tests and benchmarks: the handler around ports they chose (no SnapStart hooks). */
    public PreviewOrchestratorHandler(OrchestrateRepoEvent orchestrate) {
        this.orchestrate = orchestrate;
        this.priming = null;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        OrchestrateRepoEvent.Batch work = orchestrate.batch();
        return SqsBatch.process(batch, context == null ? "" : context.getAwsRequestId(), (message, log) -> {
            RepoEvent event = RepoEventCodec.read(message.getBody());
            log.put("deliveryId", event.deliveryId());
            List<OrchestrateRepoEvent.Outcome> outcomes = work.handle(event);
            log.put("outcomes", outcomes.stream().map(o -> Map.of(
                    "projectId", o.projectId(),
                    "changed", o.changed(),
                    "reason", o.reason(),
                    "events", o.events().stream().map(e -> e.detailType()).toList())).toList());
            return outcomes.isEmpty() ? "no project uses this repository" : "repo event applied";
        }, work::publish);
    }
}
