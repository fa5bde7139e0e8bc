package dev.platform.functions.apiauthorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.api.ApiGateway;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.api.Authenticate;
import dev.platform.core.api.Caller;
import dev.platform.core.api.Secrets;
import dev.platform.core.json.JsonLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The REST API's REQUEST authorizer: the {@code Authorization} header to an IAM policy. A valid token allows the
 * whole API (API Gateway caches the answer per token and applies it to every route), with the caller in the
 * context; anything else is denied, which the gateway answers with one 401 for every kind of bad token.
 */
public final class ApiAuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, Map<String, Object>> {
    private final Authenticate authenticate;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<ApiAuthorizerHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public ApiAuthorizerHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public ApiAuthorizerHandler(PlatformConfig config) {
        this.authenticate = DaggerApiAuthorizerComponent.factory().create(config).authenticate();
        this.priming = PrimingHook.register(config, ApiAuthorizerHandler::withoutHooks, ApiAuthorizerHandler::prime, () -> { });
    }

    private ApiAuthorizerHandler(Authenticate authenticate) {
        this.authenticate = authenticate;
        this.priming = null;
    }

    static ApiAuthorizerHandler withoutHooks(PlatformConfig config) {
        return new ApiAuthorizerHandler(DaggerApiAuthorizerComponent.factory().create(config).authenticate());
    }

    /** SnapStart priming: a well-formed token the loopback table does not hold is looked up and denied. */
    static void prime(ApiAuthorizerHandler copy) {
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType("REQUEST");
        event.setMethodArn("arn:aws:execute-api:us-east-1:000000000000:snapstart/api/GET/v1/user");
        event.setHeaders(Map.of("Authorization", "Bearer " + Secrets.newToken()));
        Object policy = copy.handleRequest(event, null).get("policyDocument");
        if (!String.valueOf(policy).contains("Deny")) {
            throw new IllegalStateException("priming token was not denied: " + policy);
        }
    }

    @Override
    public Map<String, Object> handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        Optional<Caller> caller = authenticate.caller(authorization(event.getHeaders()));
        String resource = apiWide(event.getMethodArn());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("principalId", caller.map(Caller::userId).orElse("anonymous"));
        answer.put("policyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                "Action", "execute-api:Invoke", "Effect", caller.isPresent() ? "Allow" : "Deny", "Resource", resource))));
        caller.ifPresent(c -> answer.put("context", Map.of(ApiGateway.USER_ID, c.userId(), ApiGateway.TOKEN_ID, c.tokenId())));
        JsonLog.info("authorized", Map.of("allowed", caller.isPresent(),
                "requestId", context == null ? "" : context.getAwsRequestId()));
        return answer;
    }

    private static String authorization(Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("Authorization")) {
                return header.getValue();
            }
        }
        return null;
    }

    /**
     * {@code arn:...:<apiId>/<stage>/<method>/<path>} to {@code arn:...:<apiId>/<stage>/*}: the cached answer
     * serves every route, so it must name them all.
     */
    static String apiWide(String methodArn) {
        if (methodArn == null) {
            return "*";
        }
        String[] parts = methodArn.split("/", 3);
        return parts.length < 2 ? methodArn : parts[0] + "/" + parts[1] + "/*";
    }
}
