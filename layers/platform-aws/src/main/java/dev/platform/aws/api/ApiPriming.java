package dev.platform.aws.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.platform.aws.priming.Priming;
import dev.platform.aws.priming.PrimingHook;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API functions' synthetic request for SnapStart priming ({@link PrimingHook}): one read route of the
 * family, by a caller the loopback table does not know, so the proxy event mapping, the Dagger graph, the
 * DynamoDB client and the error answer all load before the snapshot. Nothing is written: the caller is no member
 * of anything, and every answer is a 4xx.
 */
public final class ApiPriming {
    static final String USER_ID = "usr_SnapStartPriming00000";
    static final String TOKEN_ID = "tok_SnapStartPriming00000";
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z]+)}");

    private ApiPriming() {
    }

    /**
     * Sends {@code GET resource} (path parameters filled with {@link Priming#PROJECT_ID}) through a copy's handler.
     *
     * @throws IllegalStateException when the answer is not the 4xx a caller without memberships gets
     */
    public static void exercise(Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler, String resource) {
        Map<String, String> parameters = new HashMap<>();
        Matcher names = PARAMETER.matcher(resource);
        while (names.find()) {
            parameters.put(names.group(1), Priming.PROJECT_ID);
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(Map.of(ApiGateway.USER_ID, USER_ID, ApiGateway.TOKEN_ID, TOKEN_ID));
        context.setRequestId("snapstart-priming");
        APIGatewayProxyRequestEvent request = new APIGatewayProxyRequestEvent()
                .withHttpMethod("GET")
                .withResource(resource)
                .withPath(resource)
                .withPathParameters(parameters)
                .withHeaders(Map.of("Accept", "application/json"))
                .withRequestContext(context);
        APIGatewayProxyResponseEvent answer = handler.apply(request);
        if (answer.getStatusCode() < 400 || answer.getStatusCode() >= 500) {
            throw new IllegalStateException("priming request GET " + resource + " answered " + answer.getStatusCode()
                    + " " + answer.getBody());
        }
    }
}
