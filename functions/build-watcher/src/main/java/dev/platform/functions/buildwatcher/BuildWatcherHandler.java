package dev.platform.functions.buildwatcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.ecs.EcsTaskEvents;
import dev.platform.aws.eventbridge.EventInvocation;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.build.BuilderTaskStopped;
import dev.platform.core.build.RecordBuildOutcome;
import dev.platform.topology.Trigger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * ECS "Task State Change" events of builder tasks (default bus) → {@link RecordBuildOutcome}: a stopped
 * task's build succeeded or failed, and every target waiting for it is told. Invoked asynchronously; a
 * thrown exception is retried by Lambda, and the same event twice records one outcome.
 */
public final class BuildWatcherHandler implements RequestStreamHandler {
    private final RecordBuildOutcome record;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<BuildWatcherHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public BuildWatcherHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public BuildWatcherHandler(PlatformConfig config) {
        this.record = DaggerBuildWatcherComponent.factory().create(config).record();
        this.priming = PrimingHook.register(config, BuildWatcherHandler::withoutHooks, BuildWatcherPriming::exercise, () -> { });
    }

    static BuildWatcherHandler withoutHooks(PlatformConfig config) {
        return new BuildWatcherHandler(DaggerBuildWatcherComponent.factory().create(config).record());
    }

    /** Tests and benchmarks: the handler around ports they chose (no SnapStart hooks). */
    public BuildWatcherHandler(RecordBuildOutcome record) {
        this.record = record;
        this.priming = null;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(input, output, context == null ? "" : context.getAwsRequestId(), "builder task stopped", (envelope, log) -> {
            if (!Trigger.EcsTaskStateChange.SOURCE.equals(envelope.source())
                    || !Trigger.EcsTaskStateChange.DETAIL_TYPE.equals(envelope.detailType())) {
                return EventInvocation.result("not an ECS task state change: ignored");
            }
            Optional<BuilderTaskStopped> stopped = EcsTaskEvents.stopped(envelope.detail());
            if (stopped.isEmpty()) {
                return EventInvocation.result("not a stopped builder task: ignored");
            }
            log.put("taskId", stopped.get().taskId());
            log.put("buildId", stopped.get().buildId().value());
            return EventInvocation.result(record.handle(stopped.get()).result());
        });
    }
}
