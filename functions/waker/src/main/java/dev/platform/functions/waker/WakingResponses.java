package dev.platform.functions.waker;

import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import java.util.Locale;
import java.util.Map;

/**
 * What the waker answers: the same small page (or JSON body) for every preview, naming nothing internal, never
 * cached, so the reload after {@code Retry-After} reaches the load balancer again and, once the preview is
 * awake, its app.
 */
final class WakingResponses {
    private static final String WAKING_PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="refresh" content="%d">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Waking up…</title>
            <style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;color:#333}</style>
            </head>
            <body>
            <main>
            <h1>This preview is waking up</h1>
            <p>It slept while nobody used it. It will be ready in a few seconds; this page reloads by itself.</p>
            </main>
            </body>
            </html>
            """;
    private static final String NOT_FOUND_PAGE = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>No preview here</title></head>
            <body><main><h1>No preview here</h1><p>This preview does not exist or was removed.</p></main></body>
            </html>
            """;

    private WakingResponses() {
    }

    /** API clients ask for JSON and not for HTML; a browser's Accept names text/html. */
    static boolean wantsJson(String accept) {
        if (accept == null) {
            return false;
        }
        String value = accept.toLowerCase(Locale.ROOT);
        return value.contains("application/json") && !value.contains("text/html");
    }

    static ApplicationLoadBalancerResponseEvent waking(boolean json, int retryAfterSeconds) {
        ApplicationLoadBalancerResponseEvent response = response(503, "503 Service Unavailable", json,
                json ? "{\"status\":\"waking\",\"retryAfterSeconds\":" + retryAfterSeconds + "}"
                        : WAKING_PAGE.formatted(retryAfterSeconds));
        response.getHeaders().put("Retry-After", Integer.toString(retryAfterSeconds));
        return response;
    }

    static ApplicationLoadBalancerResponseEvent notFound(boolean json) {
        return response(404, "404 Not Found", json, json ? "{\"status\":\"not_found\"}" : NOT_FOUND_PAGE);
    }

    private static ApplicationLoadBalancerResponseEvent response(int status, String description, boolean json, String body) {
        ApplicationLoadBalancerResponseEvent response = new ApplicationLoadBalancerResponseEvent();
        response.setStatusCode(status);
        response.setStatusDescription(description);
        response.setIsBase64Encoded(false);
        response.setHeaders(new java.util.LinkedHashMap<>(Map.of(
                "Content-Type", json ? "application/json" : "text/html; charset=utf-8",
                "Cache-Control", "no-store")));
        response.setBody(body);
        return response;
    }
}
