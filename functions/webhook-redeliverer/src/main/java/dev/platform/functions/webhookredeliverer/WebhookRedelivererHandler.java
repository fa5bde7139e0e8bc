package dev.platform.functions.webhookredeliverer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.eventbridge.EventInvocation;
import dev.platform.core.github.RedeliverFailedDeliveries;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Every 10 minutes (a schedule): the GitHub App's webhook deliveries that failed are asked for again
 * ({@link RedeliverFailedDeliveries}). It has no SnapStart priming: a background job's cold start keeps
 * nobody waiting, and exercising it would mean calling GitHub.
 */
public final class WebhookRedelivererHandler implements RequestStreamHandler {
    private final RedeliverFailedDeliveries redeliver;

    /** Lambda's constructor: settings from the environment. */
    public WebhookRedelivererHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public WebhookRedelivererHandler(PlatformConfig config) {
        this(DaggerWebhookRedelivererComponent.factory().create(config).redeliver());
    }

    /** Tests: the handler around the use case they built. */
    public WebhookRedelivererHandler(RedeliverFailedDeliveries redeliver) {
        this.redeliver = redeliver;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventInvocation.run(input, output, context == null ? "" : context.getAwsRequestId(), "webhook deliveries checked", (envelope, log) -> {
            RedeliverFailedDeliveries.Outcome outcome = redeliver.run();
            var result = Json.object().put("listed", outcome.listed());
            outcome.redelivered().forEach(result.putArray("redelivered")::add);
            outcome.givenUp().forEach(result.putArray("givenUp")::add);
            return result;
        });
    }
}
