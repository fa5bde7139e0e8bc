package dev.platform.functions.previewteardown;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.eventbridge.EventInvocation;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.deploy.TearDownPreview;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code PreviewTeardownRequested} (platform bus) → {@link TearDownPreview}: nothing the closed preview ran
 * on is left. Invoked asynchronously; a thrown exception is retried by Lambda and the retry finishes what
 * the failed attempt began.
 */
public final class PreviewTeardownHandler implements RequestStreamHandler {
    private final TearDownPreview teardown;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<PreviewTeardownHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public PreviewTeardownHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public PreviewTeardownHandler(PlatformConfig config) {
        this.teardown = DaggerPreviewTeardownComponent.factory().create(config).teardown();
        this.priming = PrimingHook.register(config, PreviewTeardownHandler::withoutHooks, PreviewTeardownPriming::exercise,
                () -> { });
    }

    static PreviewTeardownHandler withoutHooks(PlatformConfig config) {
        return new PreviewTeardownHandler(DaggerPreviewTeardownComponent.factory().create(config).teardown());
    }

    /** Tests and benchmarks: the handler around ports they chose (no SnapStart hooks). */
    public PreviewTeardownHandler(TearDownPreview teardown) {
        this.teardown = teardown;
        this.priming = null;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(input, output, context == null ? "" : context.getAwsRequestId(), "preview teardown", (envelope, log) -> {
            if (!(PlatformEventCodec.read(envelope.detailType(), envelope.detail())
                    instanceof PlatformEvent.PreviewTeardownRequested requested)) {
                return EventInvocation.result("not an event the teardown acts on");
            }
            TearDownPreview.Outcome outcome = teardown.handle(requested);
            log.put("environment", outcome.environment().serviceName());
            return EventInvocation.result(outcome.result());
        });
    }
}
