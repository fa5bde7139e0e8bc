package dev.platform.functions.webhookredeliverer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.eventbridge.EventEnvelope;
import dev.platform.core.github.RedeliverFailedDeliveries;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

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
        EventEnvelope envelope = EventEnvelope.read(input);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("requestId", context == null ? "" : context.getAwsRequestId());
        log.put("eventId", envelope.id());
        RedeliverFailedDeliveries.Outcome outcome = redeliver.run();
        log.put("listed", outcome.listed());
        log.put("redelivered", outcome.redelivered());
        log.put("givenUp", outcome.givenUp());
        JsonLog.info("webhook deliveries checked", log);
        var result = Json.object().put("listed", outcome.listed());
        outcome.redelivered().forEach(result.putArray("redelivered")::add);
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }
}
