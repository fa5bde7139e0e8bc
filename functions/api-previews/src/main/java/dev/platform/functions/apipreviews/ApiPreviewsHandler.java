package dev.platform.functions.apipreviews;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.api.ApiGateway;
import dev.platform.core.api.PreviewsApi;
import dev.platform.topology.Topology;

/** A project's previews, deployments and builds: proxy event in, {@link PreviewsApi} decides, proxy response out. */
public final class ApiPreviewsHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final PreviewsApi api;

    /** Lambda's constructor: settings from the environment. */
    public ApiPreviewsHandler() {
        this(PlatformConfig.fromEnvironment());
    }

    public ApiPreviewsHandler(PlatformConfig config) {
        this.api = DaggerApiPreviewsComponent.factory().create(config).api();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        return ApiGateway.serve(Topology.API_PREVIEWS, request, context == null ? "" : context.getAwsRequestId(), api::handle);
    }
}
