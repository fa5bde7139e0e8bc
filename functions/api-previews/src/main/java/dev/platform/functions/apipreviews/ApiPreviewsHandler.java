package dev.platform.functions.apipreviews;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.api.ApiGateway;
import dev.platform.aws.api.ApiPriming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.api.PreviewsApi;
import dev.platform.topology.Topology;

/** A project's previews, deployments and builds: proxy event in, {@link PreviewsApi} decides, proxy response out. */
public final class ApiPreviewsHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final PreviewsApi api;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<ApiPreviewsHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public ApiPreviewsHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public ApiPreviewsHandler(PlatformConfig config) {
        this.api = DaggerApiPreviewsComponent.factory().create(config).api();
        this.priming = PrimingHook.register(config, ApiPreviewsHandler::withoutHooks,
                copy -> ApiPriming.exercise(request -> copy.handleRequest(request, null), "/v1/projects/{projectId}/previews"), () -> { });
    }

    private ApiPreviewsHandler(PreviewsApi api) {
        this.api = api;
        this.priming = null;
    }

    static ApiPreviewsHandler withoutHooks(PlatformConfig config) {
        return new ApiPreviewsHandler(DaggerApiPreviewsComponent.factory().create(config).api());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        return ApiGateway.serve(Topology.API_PREVIEWS, request, context == null ? "" : context.getAwsRequestId(), api::handle);
    }
}
