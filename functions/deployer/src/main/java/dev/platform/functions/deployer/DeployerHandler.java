package dev.platform.functions.deployer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.eventbridge.EventInvocation;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.deploy.DeployBuild;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code BuildSucceeded} (platform bus) → {@link DeployBuild}: the image runs behind its environment's host.
 * Invoked asynchronously; a thrown exception is retried by Lambda, and the same event twice is one deployment.
 */
public final class DeployerHandler implements RequestStreamHandler {
    private final DeployBuild deploy;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<DeployerHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public DeployerHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public DeployerHandler(PlatformConfig config) {
        this.deploy = DaggerDeployerComponent.factory().create(config).deploy();
        this.priming = PrimingHook.register(config, DeployerHandler::withoutHooks, DeployerPriming::exercise, () -> { });
    }

    static DeployerHandler withoutHooks(PlatformConfig config) {
        return new DeployerHandler(DaggerDeployerComponent.factory().create(config).deploy());
    }

    /** Tests and benchmarks: the handler around ports they chose (no SnapStart hooks). */
    public DeployerHandler(DeployBuild deploy) {
        this.deploy = deploy;
        this.priming = null;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(input, output, context == null ? "" : context.getAwsRequestId(), "deploy", (envelope, log) -> {
            if (!(PlatformEventCodec.read(envelope.detailType(), envelope.detail()) instanceof PlatformEvent.BuildSucceeded built)) {
                return EventInvocation.result("not an event the deployer acts on");
            }
            DeployBuild.Outcome outcome = deploy.handle(built);
            log.put("environment", outcome.environment().serviceName());
            log.put("buildId", built.buildId().value());
            return EventInvocation.result(outcome.result());
        });
    }
}
