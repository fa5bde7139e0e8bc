package dev.platform.functions.previeworchestrator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.json.JsonLog;
import dev.platform.core.orchestration.OrchestrateRepoEvent;
import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code repo-events.fifo} → preview state and platform events. Reports partial batch failures: a
 * failed message is retried by SQS and reaches the DLQ after the queue's maxReceiveCount. After a
 * failure, later messages of the same message group are reported failed unprocessed, so each pull
 * request's deliveries are still applied in order on the retry.
 */
public final class PreviewOrchestratorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final OrchestrateRepoEvent orchestrate;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PreviewOrchestratorPriming priming;

    /** Lambda's constructor: settings from the environment. */
    public PreviewOrchestratorHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public PreviewOrchestratorHandler(PlatformConfig config) {
        this.orchestrate = DaggerPreviewOrchestratorComponent.factory().create(config).orchestrate();
        this.priming = PreviewOrchestratorPriming.register(config);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        String requestId = context == null ? "" : context.getAwsRequestId();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Set<String> failedGroups = new HashSet<>();
        List<SQSEvent.SQSMessage> records = batch.getRecords() == null ? List.of() : batch.getRecords();
        for (SQSEvent.SQSMessage message : records) {
            String group = message.getAttributes() == null ? null : message.getAttributes().get("MessageGroupId");
            Map<String, Object> log = new LinkedHashMap<>();
            log.put("requestId", requestId);
            log.put("messageId", message.getMessageId());
            log.put("messageGroupId", String.valueOf(group));
            if (group != null && failedGroups.contains(group)) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                JsonLog.info("skipped after an earlier failure in its group", log);
                continue;
            }
            try {
                RepoEvent event = RepoEventCodec.read(message.getBody());
                log.put("deliveryId", event.deliveryId());
                List<OrchestrateRepoEvent.Outcome> outcomes = orchestrate.handle(event);
                log.put("outcomes", outcomes.stream().map(o -> Map.of(
                        "projectId", o.projectId(),
                        "changed", o.changed(),
                        "reason", o.reason(),
                        "events", o.events().stream().map(e -> e.detailType()).toList())).toList());
                JsonLog.info(outcomes.isEmpty() ? "no project uses this repository" : "repo event applied", log);
            } catch (RuntimeException e) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                if (group != null) {
                    failedGroups.add(group);
                }
                JsonLog.error("repo event failed; SQS will redeliver it", log, e);
            }
        }
        return new SQSBatchResponse(failures);
    }
}
