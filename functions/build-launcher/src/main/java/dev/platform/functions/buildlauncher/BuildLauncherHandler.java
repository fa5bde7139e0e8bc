package dev.platform.functions.buildlauncher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.eventbridge.EventInvocation;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.build.LaunchBuild;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code BuildRequested} and {@code PreviewTeardownRequested} from the platform bus → {@link LaunchBuild}.
 * EventBridge invokes it asynchronously: a thrown exception (GitHub or AWS unavailable) makes Lambda retry
 * the event, then send it to the rule's dead-letter queue; every step is safe to repeat.
 */
public final class BuildLauncherHandler implements RequestStreamHandler {
    private final LaunchBuild launch;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<BuildLauncherHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public BuildLauncherHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public BuildLauncherHandler(PlatformConfig config) {
        this.launch = DaggerBuildLauncherComponent.factory().create(config).launch();
        this.priming = PrimingHook.register(config, BuildLauncherHandler::withoutHooks, BuildLauncherPriming::exercise, () -> { });
    }

    static BuildLauncherHandler withoutHooks(PlatformConfig config) {
        return new BuildLauncherHandler(DaggerBuildLauncherComponent.factory().create(config).launch());
    }

    /** Tests and benchmarks: the handler around ports they chose (no SnapStart hooks). */
    public BuildLauncherHandler(LaunchBuild launch) {
        this.launch = launch;
        this.priming = null;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(input, output, context == null ? "" : context.getAwsRequestId(), "build launch", (envelope, log) -> {
            LaunchBuild.Outcome outcome = switch (PlatformEventCodec.read(envelope.detailType(), envelope.detail())) {
                case PlatformEvent.BuildRequested requested -> {
                    log.put("requestedFor", requested.target().wireName() + (requested.pr() == null ? "" : "#" + requested.pr()));
                    yield launch.handle(requested);
                }
                case PlatformEvent.PreviewTeardownRequested teardown -> launch.handle(teardown);
                default -> new LaunchBuild.Outcome(null, "not an event the launcher acts on");
            };
            log.put("buildId", outcome.buildId() == null ? "" : outcome.buildId().value());
            return EventInvocation.result(outcome.result());
        });
    }
}
