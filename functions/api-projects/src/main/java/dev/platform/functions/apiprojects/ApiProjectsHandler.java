package dev.platform.functions.apiprojects;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.api.ApiGateway;
import dev.platform.aws.api.ApiPriming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.api.ProjectsApi;
import dev.platform.topology.Topology;

/** Projects: proxy event in, {@link ProjectsApi} decides, proxy response out. */
public final class ApiProjectsHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final ProjectsApi api;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<ApiProjectsHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public ApiProjectsHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public ApiProjectsHandler(PlatformConfig config) {
        this.api = DaggerApiProjectsComponent.factory().create(config).api();
        this.priming = PrimingHook.register(config, ApiProjectsHandler::withoutHooks,
                copy -> ApiPriming.exercise(request -> copy.handleRequest(request, null), "/v1/projects/{projectId}"), () -> { });
    }

    private ApiProjectsHandler(ProjectsApi api) {
        this.api = api;
        this.priming = null;
    }

    static ApiProjectsHandler withoutHooks(PlatformConfig config) {
        return new ApiProjectsHandler(DaggerApiProjectsComponent.factory().create(config).api());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        return ApiGateway.serve(Topology.API_PROJECTS, request, context == null ? "" : context.getAwsRequestId(), api::handle);
    }
}
