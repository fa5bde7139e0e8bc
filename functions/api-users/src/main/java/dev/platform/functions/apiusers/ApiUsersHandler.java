package dev.platform.functions.apiusers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.api.ApiGateway;
import dev.platform.aws.api.ApiPriming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.api.UsersApi;
import dev.platform.topology.Topology;

/** The caller and their API tokens, and accepting invitations: proxy event in, {@link UsersApi} decides, proxy response out. */
public final class ApiUsersHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final UsersApi api;
    /** SnapStart hooks; referenced here because the CRaC context holds its resources weakly. */
    final PrimingHook<ApiUsersHandler> priming;

    /** Lambda's constructor: settings from the environment. */
    public ApiUsersHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public ApiUsersHandler(PlatformConfig config) {
        this.api = DaggerApiUsersComponent.factory().create(config).api();
        this.priming = PrimingHook.register(config, ApiUsersHandler::withoutHooks,
                copy -> ApiPriming.exercise(request -> copy.handleRequest(request, null), "/v1/user"), () -> { });
    }

    private ApiUsersHandler(UsersApi api) {
        this.api = api;
        this.priming = null;
    }

    static ApiUsersHandler withoutHooks(PlatformConfig config) {
        return new ApiUsersHandler(DaggerApiUsersComponent.factory().create(config).api());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        return ApiGateway.serve(Topology.API_USERS, request, context == null ? "" : context.getAwsRequestId(), api::handle);
    }
}
