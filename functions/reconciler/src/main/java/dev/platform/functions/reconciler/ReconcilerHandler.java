package dev.platform.functions.reconciler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.eventbridge.EventInvocation;
import dev.platform.core.deploy.ReconcileOrphans;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Every 15 minutes (a schedule): the platform's tagged services, rules and target groups whose environment is
 * gone are removed ({@link ReconcileOrphans}). The count removed is the result's {@code removed}, logged with
 * it as a CloudWatch metric in the embedded metric format ({@code Platform/OrphansRemoved}). No SnapStart
 * priming: a background job's cold start keeps nobody waiting, and exercising it would list real resources.
 */
public final class ReconcilerHandler implements RequestStreamHandler {
    private final ReconcileOrphans reconcile;

    /** Lambda's constructor: settings from the environment. */
    public ReconcilerHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public ReconcilerHandler(PlatformConfig config) {
        this(DaggerReconcilerComponent.factory().create(config).reconcile());
    }

    /** Tests: the handler around the use case they built. */
    public ReconcilerHandler(ReconcileOrphans reconcile) {
        this.reconcile = reconcile;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(input, output, context == null ? "" : context.getAwsRequestId(), "orphans reconciled", (envelope, log) -> {
            ReconcileOrphans.Outcome outcome = reconcile.run();
            log.put("_aws", Json.MAPPER.convertValue(metric(), Map.class));
            log.put("OrphansRemoved", outcome.removed().size());
            var result = Json.object().put("examined", outcome.examined()).put("removed", outcome.removed().size());
            outcome.removed().forEach(result.putArray("resources")::add);
            outcome.tornDownAgain().forEach(ref -> result.withArray("tornDownAgain").add(ref.serviceName()));
            return result;
        });
    }

    /** The embedded metric format's directive: the log line's {@code OrphansRemoved} is a metric. */
    private static ObjectNode metric() {
        var directive = Json.object().put("Timestamp", System.currentTimeMillis());
        var metrics = directive.putArray("CloudWatchMetrics").addObject().put("Namespace", "Platform");
        metrics.putArray("Dimensions").addArray();
        metrics.putArray("Metrics").addObject().put("Name", "OrphansRemoved").put("Unit", "Count");
        return directive;
    }
}
