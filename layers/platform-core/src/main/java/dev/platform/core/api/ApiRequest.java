package dev.platform.core.api;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An API request as the core sees it, whichever gateway brought it.
 *
 * @param route the route's template, such as {@code /v1/teams/{teamId}}
 * @param caller who the authorizer resolved the token to (empty on an open route)
 * @param bearer the {@code Authorization: Bearer} value on an open route, which resolves it itself (else null)
 */
public record ApiRequest(String method, String route, Map<String, String> pathParameters, Map<String, String> query,
                         Map<String, String> headers, byte[] body, Optional<Caller> caller, String bearer,
                         String requestId) {
    public ApiRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        query = query == null ? Map.of() : Map.copyOf(query);
        Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            caseless.putAll(headers);
        }
        headers = java.util.Collections.unmodifiableMap(caseless);
        body = body == null ? new byte[0] : body;
    }

    /** {@code METHOD route}: what an API dispatches on. */
    public String operation() {
        return method.toUpperCase(Locale.ROOT) + " " + route;
    }

    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null || value.isEmpty()) {
            throw ApiProblem.invalid(name, "is required in the path");
        }
        return value;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** The caller; on an authorized route the gateway guarantees one. */
    public Caller requireCaller() {
        return caller.orElseThrow(ApiProblem::unauthorized);
    }
}
