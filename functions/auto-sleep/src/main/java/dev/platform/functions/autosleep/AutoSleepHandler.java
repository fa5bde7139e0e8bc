package dev.platform.functions.autosleep;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.eventbridge.EventInvocation;
import dev.platform.core.json.Json;
import dev.platform.core.sleep.SweepPreviews;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Every 5 minutes (a schedule): {@link SweepPreviews}. Idle previews sleep, each project stays under its cap,
 * stale previews get notice and then expire. The answer and the log line carry the counts. No SnapStart
 * priming: a background job's cold start keeps nobody waiting.
 */
public final class AutoSleepHandler implements RequestStreamHandler {
    private final SweepPreviews sweep;

    /** Lambda's constructor: settings from the environment. */
    public AutoSleepHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public AutoSleepHandler(PlatformConfig config) {
        this(DaggerAutoSleepComponent.factory().create(config).sweep());
    }

    /** Tests: the handler around the use case they built. */
    public AutoSleepHandler(SweepPreviews sweep) {
        this.sweep = sweep;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(input, output, context == null ? "" : context.getAwsRequestId(), "previews swept", (envelope, log) -> {
            SweepPreviews.Outcome outcome = sweep.sweep();
            log.put("running", outcome.running());
            log.put("slept", outcome.slept() + outcome.capped());
            log.put("expired", outcome.expired());
            var result = Json.object()
                    .put("indexEntries", outcome.indexEntries())
                    .put("running", outcome.running())
                    .put("requested", outcome.requested())
                    .put("slept", outcome.slept())
                    .put("capped", outcome.capped())
                    .put("noticed", outcome.noticed())
                    .put("expired", outcome.expired());
            outcome.actions().forEach(result.putArray("actions")::add);
            return result;
        });
    }
}
