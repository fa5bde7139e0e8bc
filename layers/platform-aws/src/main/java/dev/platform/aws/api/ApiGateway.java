package dev.platform.aws.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.platform.core.api.ApiProblem;
import dev.platform.core.api.ApiRequest;
import dev.platform.core.api.ApiResponse;
import dev.platform.core.api.Authenticate;
import dev.platform.core.api.Caller;
import dev.platform.core.api.JsonBody;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Trigger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * API Gateway REST proxy events to the core's API requests and back, for every API function alike: the
 * route from the event's resource, the caller from the authorizer's context, errors in the platform's
 * format, one log line per request (never a body or a token).
 */
public final class ApiGateway {
    /** Keys of the authorizer's context, which API Gateway hands the functions. */
    public static final String USER_ID = "userId";
    public static final String TOKEN_ID = "tokenId";

    private ApiGateway() {
    }

    public static APIGatewayProxyResponseEvent serve(FunctionSpec function, APIGatewayProxyRequestEvent event, String requestId,
                                                     Function<ApiRequest, ApiResponse> api) {
        String operation = event.getHttpMethod() + " " + event.getResource();
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("function", function.name());
        log.put("route", operation);
        log.put("requestId", requestId);
        ApiResponse response;
        try {
            ApiRequest request = request(function, event, requestId);
            request.caller().ifPresent(caller -> log.put("userId", caller.userId()));
            response = api.apply(request);
        } catch (ApiProblem problem) {
            response = ApiResponse.problem(problem);
        } catch (RuntimeException e) {
            JsonLog.error("api request failed", log, e);
            response = ApiResponse.problem(new ApiProblem(500, "internal_error",
                    "the request failed on our side; retry it, and quote request id " + requestId + " if it keeps failing"));
        }
        log.put("status", response.status());
        JsonLog.info("api request", log);
        return response(response, requestId);
    }

    static ApiRequest request(FunctionSpec function, APIGatewayProxyRequestEvent event, String requestId) {
        Trigger.ApiRoute route = route(function, event.getHttpMethod(), event.getResource());
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        ApiRequest sized = new ApiRequest(event.getHttpMethod(), event.getResource(), null, null, headers, null,
                Optional.empty(), null, requestId);
        Long declared = contentLength(sized.header("Content-Length").orElse(null));
        if (declared != null && declared > JsonBody.MAX_BYTES) {
            throw new ApiProblem(413, "payload_too_large", "the request body is over " + JsonBody.MAX_BYTES + " bytes");
        }
        Optional<Caller> caller = caller(event);
        if (route.tokenRequired() && caller.isEmpty()) {
            // the authorizer lets no request through without a caller; answer as it would
            throw ApiProblem.unauthorized();
        }
        String bearer = route.tokenRequired() ? null : Authenticate.bearer(sized.header("Authorization").orElse(null));
        return new ApiRequest(event.getHttpMethod(), event.getResource(), event.getPathParameters(),
                event.getQueryStringParameters(), headers, body(event), caller, bearer, requestId);
    }

    private static Trigger.ApiRoute route(FunctionSpec function, String method, String resource) {
        if (function.trigger() instanceof Trigger.ApiRoutes routes) {
            for (Trigger.ApiRoute route : routes.routes()) {
                if (route.method().equals(method) && route.path().equals(resource)) {
                    return route;
                }
            }
        }
        throw ApiProblem.notFound("route " + method + " " + resource);
    }

    private static Optional<Caller> caller(APIGatewayProxyRequestEvent event) {
        if (event.getRequestContext() == null || event.getRequestContext().getAuthorizer() == null) {
            return Optional.empty();
        }
        Map<String, Object> context = event.getRequestContext().getAuthorizer();
        Object userId = context.get(USER_ID);
        Object tokenId = context.get(TOKEN_ID);
        return userId == null || tokenId == null ? Optional.empty()
                : Optional.of(new Caller(userId.toString(), tokenId.toString()));
    }

    private static byte[] body(APIGatewayProxyRequestEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException notBase64) {
                throw new ApiProblem(400, "malformed_body", "the body is marked base64-encoded but is not");
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static Long contentLength(String value) {
        try {
            return value == null ? null : Long.valueOf(value.trim());
        } catch (NumberFormatException notANumber) {
            return null; // the body's real size is checked when it is read
        }
    }

    static APIGatewayProxyResponseEvent response(ApiResponse response, String requestId) {
        Map<String, String> headers = new HashMap<>(response.headers());
        headers.put("X-Request-Id", requestId);
        APIGatewayProxyResponseEvent event = new APIGatewayProxyResponseEvent().withStatusCode(response.status());
        if (response.body() != null) {
            headers.put("Content-Type", "application/json");
            event.withBody(Json.write(response.body()));
        }
        return event.withHeaders(headers);
    }
}
