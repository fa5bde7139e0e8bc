package dev.platform.functions.apiteams;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.api.ApiGateway;
import dev.platform.aws.api.ApiPriming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.api.TeamsApi;
import dev.platform.topology.Topology;

/** Teams, members, invitations and the audit log: proxy event in, {@link TeamsApi} decides, proxy response out. */
public final class ApiTeamsHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final TeamsApi api;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<ApiTeamsHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public ApiTeamsHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public ApiTeamsHandler(PlatformConfig config) {
        this.api = DaggerApiTeamsComponent.factory().create(config).api();
        this.priming = PrimingHook.register(config, ApiTeamsHandler::withoutHooks,
                copy -> ApiPriming.exercise(request -> copy.handleRequest(request, null), "/v1/teams/{teamId}"), () -> { });
    }

    private ApiTeamsHandler(TeamsApi api) {
        this.api = api;
        this.priming = null;
    }

    static ApiTeamsHandler withoutHooks(PlatformConfig config) {
        return new ApiTeamsHandler(DaggerApiTeamsComponent.factory().create(config).api());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        return ApiGateway.serve(Topology.API_TEAMS, request, context == null ? "" : context.getAwsRequestId(), api::handle);
    }
}
