package dev.platform.functions.previewcontroller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.eventbridge.EventInvocation;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventCodec;
import dev.platform.core.sleep.ControlPreview;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code PreviewCommandRequested} → the {@code /preview} command acts on its preview; {@code PreviewWaking} and
 * a preview's {@code DeploymentSucceeded} → its project stays under its cap ({@link ControlPreview}). Invoked
 * asynchronously; a thrown exception is retried by Lambda, and every step is idempotent.
 */
public final class PreviewControllerHandler implements RequestStreamHandler {
    private final ControlPreview control;

    /** Lambda's constructor: settings from the environment. */
    public PreviewControllerHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public PreviewControllerHandler(PlatformConfig config) {
        this(DaggerPreviewControllerComponent.factory().create(config).control());
    }

    /** Tests: the handler around the use case they built. */
    public PreviewControllerHandler(ControlPreview control) {
        this.control = control;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(input, output, context == null ? "" : context.getAwsRequestId(), "preview control", (envelope, log) -> {
            ControlPreview.Outcome outcome = switch (PlatformEventCodec.read(envelope.detailType(), envelope.detail())) {
                case PlatformEvent.PreviewCommandRequested command -> control.command(command);
                case PlatformEvent.PreviewWaking waking -> control.started(waking);
                case PlatformEvent.DeploymentSucceeded succeeded -> control.started(succeeded);
                default -> null;
            };
            if (outcome == null) {
                return EventInvocation.result("not an event the preview controller acts on");
            }
            log.put("environment", outcome.environment().serviceName());
            return EventInvocation.result(outcome.result());
        });
    }
}
