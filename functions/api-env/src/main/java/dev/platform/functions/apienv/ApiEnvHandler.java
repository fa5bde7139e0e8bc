package dev.platform.functions.apienv;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.api.ApiGateway;
import dev.platform.aws.api.ApiPriming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.api.EnvVarsApi;
import dev.platform.topology.Topology;

/** Environment variables: proxy event in, {@link EnvVarsApi} decides, proxy response out. */
public final class ApiEnvHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final EnvVarsApi api;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<ApiEnvHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public ApiEnvHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public ApiEnvHandler(PlatformConfig config) {
        this.api = DaggerApiEnvComponent.factory().create(config).api();
        this.priming = PrimingHook.register(config, ApiEnvHandler::withoutHooks,
                copy -> ApiPriming.exercise(request -> copy.handleRequest(request, null), "/v1/projects/{projectId}/env"), () -> { });
    }

    private ApiEnvHandler(EnvVarsApi api) {
        this.api = api;
        this.priming = null;
    }

    static ApiEnvHandler withoutHooks(PlatformConfig config) {
        return new ApiEnvHandler(DaggerApiEnvComponent.factory().create(config).api());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        return ApiGateway.serve(Topology.API_ENV, request, context == null ? "" : context.getAwsRequestId(), api::handle);
    }
}
