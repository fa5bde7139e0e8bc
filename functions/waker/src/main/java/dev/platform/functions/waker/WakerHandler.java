package dev.platform.functions.waker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.json.JsonLog;
import dev.platform.core.sleep.WakeOnRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The load balancers' Lambda target: a request to a sleeping preview's host → {@link WakeOnRequest} (the
 * service starts once however many requests arrive) and a 503 "waking up" answer with {@code Retry-After}
 * ({@link WakingResponses}); an unknown or removed preview → 404. A failure to start answers the same 503 (the
 * preview went back to sleeping, so the page's next reload tries again): a caller never sees a 500 or 502.
 */
public final class WakerHandler implements RequestHandler<ApplicationLoadBalancerRequestEvent, ApplicationLoadBalancerResponseEvent> {
    private final WakeOnRequest wake;

    /** Lambda's constructor: settings from the environment. */
    public WakerHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public WakerHandler(PlatformConfig config) {
        this(DaggerWakerComponent.factory().create(config).wake());
    }

    /** Tests: the handler around the use case they built. */
    public WakerHandler(WakeOnRequest wake) {
        this.wake = wake;
    }

    @Override
    public ApplicationLoadBalancerResponseEvent handleRequest(ApplicationLoadBalancerRequestEvent request, Context context) {
        Map<String, String> headers = lowerCased(request == null ? null : request.getHeaders());
        String host = headers.getOrDefault("host", "");
        boolean json = WakingResponses.wantsJson(headers.get("accept"));
        WakeOnRequest.Answer answer;
        try {
            answer = wake.handle(host);
        } catch (RuntimeException e) {
            JsonLog.error("could not start the preview; the caller is asked to retry", Map.of("host", host), e);
            return WakingResponses.waking(json, WakeOnRequest.RETRY_AFTER_SECONDS);
        }
        JsonLog.info("wake request", Map.of("host", host, "found", answer.found(), "result", answer.log()));
        return answer.found() ? WakingResponses.waking(json, answer.retryAfterSeconds()) : WakingResponses.notFound(json);
    }

    /** The load balancer sends header names lower-cased; a test or another caller may not. */
    private static Map<String, String> lowerCased(Map<String, String> headers) {
        Map<String, String> lower = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        }
        return lower;
    }
}
