package dev.platform.functions.deploymentwatcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.ecs.EcsDeploymentEvents;
import dev.platform.aws.eventbridge.EventInvocation;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.deploy.RecordDeploymentOutcome;
import dev.platform.core.deploy.ServiceDeploymentChanged;
import dev.platform.topology.Trigger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * ECS "Deployment State Change" events of the app services (default bus) → {@link RecordDeploymentOutcome}:
 * the environment's latest deployment serves or failed. Invoked asynchronously; a thrown exception (a rollout
 * not recorded yet, say) is retried by Lambda, and the same event twice records one outcome.
 */
public final class DeploymentWatcherHandler implements RequestStreamHandler {
    private final RecordDeploymentOutcome record;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<DeploymentWatcherHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public DeploymentWatcherHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public DeploymentWatcherHandler(PlatformConfig config) {
        this.record = DaggerDeploymentWatcherComponent.factory().create(config).record();
        this.priming = PrimingHook.register(config, DeploymentWatcherHandler::withoutHooks,
                DeploymentWatcherPriming::exercise, () -> { });
    }

    static DeploymentWatcherHandler withoutHooks(PlatformConfig config) {
        return new DeploymentWatcherHandler(DaggerDeploymentWatcherComponent.factory().create(config).record());
    }

    /** Tests and benchmarks: the handler around ports they chose (no SnapStart hooks). */
    public DeploymentWatcherHandler(RecordDeploymentOutcome record) {
        this.record = record;
        this.priming = null;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(input, output, context == null ? "" : context.getAwsRequestId(), "deployment state change",
                (envelope, log) -> {
                    if (!Trigger.EcsDeploymentStateChange.SOURCE.equals(envelope.source())
                            || !Trigger.EcsDeploymentStateChange.DETAIL_TYPE.equals(envelope.detailType())) {
                        return EventInvocation.result("not an ECS deployment state change: ignored");
                    }
                    Optional<ServiceDeploymentChanged> changed = EcsDeploymentEvents.changed(envelope);
                    if (changed.isEmpty()) {
                        return EventInvocation.result("not a deployment event the watcher acts on: ignored");
                    }
                    log.put("service", changed.get().serviceName());
                    log.put("ecsDeploymentId", changed.get().ecsDeploymentId());
                    return EventInvocation.result(record.handle(changed.get()).result());
                });
    }
}
