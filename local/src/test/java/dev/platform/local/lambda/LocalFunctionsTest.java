package dev.platform.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Trigger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A load balancer target's handler is created as Lambda creates it, and must take and answer ALB events. */
class LocalFunctionsTest {

    /** A load balancer target: answers with its function's timeout, which the runtime sets. */
    public static final class AlbTarget implements RequestHandler<ApplicationLoadBalancerRequestEvent, ApplicationLoadBalancerResponseEvent> {
        private final PlatformConfig config;

        public AlbTarget(PlatformConfig config) {
            this.config = config;
        }

        @Override
        public ApplicationLoadBalancerResponseEvent handleRequest(ApplicationLoadBalancerRequestEvent event, Context context) {
            ApplicationLoadBalancerResponseEvent response = new ApplicationLoadBalancerResponseEvent();
            response.setStatusCode(503);
            response.setBody(config.settings().get(PlatformConfig.FUNCTION_TIMEOUT_SECONDS) + " " + context.getInvokedFunctionArn());
            return response;
        }
    }

    /** An API Gateway handler, which a load balancer cannot invoke. */
    public static final class ApiTarget implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        public ApiTarget(PlatformConfig config) {
        }

        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            return new APIGatewayProxyResponseEvent();
        }
    }

    private static FunctionSpec target(Class<?> handler) {
        return new FunctionSpec("waker", handler.getName(), 512, 10, new Trigger.LoadBalancerTarget(), List.of());
    }

    @Test
    void aLoadBalancerTargetsHandlerTakesAndAnswersAlbEvents() {
        FunctionSpec function = target(AlbTarget.class);
        RequestHandler<ApplicationLoadBalancerRequestEvent, ApplicationLoadBalancerResponseEvent> handler =
                LocalFunctions.loadBalancerHandler(function, new PlatformConfig(Map.of()));
        ApplicationLoadBalancerResponseEvent response = handler.handleRequest(new ApplicationLoadBalancerRequestEvent(),
                LocalContext.of(function));
        assertEquals("10 arn:aws:lambda:us-east-1:000000000000:function:waker", response.getBody());
        assertEquals(LocalContext.functionArn(function), LocalContext.of(function).getInvokedFunctionArn());

        IllegalStateException wrong = assertThrows(IllegalStateException.class,
                () -> LocalFunctions.loadBalancerHandler(target(ApiTarget.class), new PlatformConfig(Map.of())));
        assertTrue(wrong.getMessage().contains("ApplicationLoadBalancerRequestEvent"), wrong.getMessage());
    }
}
