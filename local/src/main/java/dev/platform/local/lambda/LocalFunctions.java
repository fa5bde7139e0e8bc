package dev.platform.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.topology.FunctionSpec;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The topology's functions as Lambda would create them: the handler class of each, constructed with the
 * settings the CDK app gives it (the shared ones and its own timeout).
 */
public final class LocalFunctions {
    private LocalFunctions() {
    }

    /** A new handler of {@code function}, as Lambda's init phase creates it. */
    @SuppressWarnings("unchecked")
    public static <I, O> RequestHandler<I, O> handler(FunctionSpec function, PlatformConfig shared) {
        return (RequestHandler<I, O>) create(function, shared);
    }

    /**
     * A new handler of a load balancers' Lambda target: ALB request events in, ALB responses out.
     *
     * @throws IllegalStateException when the handler class is not a {@code RequestHandler} of those two types
     */
    @SuppressWarnings("unchecked")
    public static RequestHandler<ApplicationLoadBalancerRequestEvent, ApplicationLoadBalancerResponseEvent> loadBalancerHandler(
            FunctionSpec function, PlatformConfig shared) {
        Object handler = create(function, shared);
        List<Type> wanted = List.of(ApplicationLoadBalancerRequestEvent.class, ApplicationLoadBalancerResponseEvent.class);
        if (!(handler instanceof RequestHandler<?, ?>) || !wanted.equals(requestHandlerTypes(handler.getClass()))) {
            throw new IllegalStateException(function.handlerClass() + " of " + function.name() + " must implement RequestHandler<"
                    + "ApplicationLoadBalancerRequestEvent, ApplicationLoadBalancerResponseEvent>: it is a load balancer target");
        }
        return (RequestHandler<ApplicationLoadBalancerRequestEvent, ApplicationLoadBalancerResponseEvent>) handler;
    }

    /** The type arguments of the {@code RequestHandler} a class declares it implements (itself or a superclass), or none. */
    private static List<Type> requestHandlerTypes(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type implemented : c.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                    return List.of(parameterized.getActualTypeArguments());
                }
            }
        }
        return List.of();
    }

    /** A new handler of a function that reads its input as a stream (every event-triggered one). */
    public static RequestStreamHandler streamHandler(FunctionSpec function, PlatformConfig shared) {
        return (RequestStreamHandler) create(function, shared);
    }

    private static Object create(FunctionSpec function, PlatformConfig shared) {
        Map<String, String> settings = new HashMap<>(shared.settings());
        settings.put(PlatformConfig.FUNCTION_TIMEOUT_SECONDS, Integer.toString(function.timeoutSeconds()));
        try {
            return Class.forName(function.handlerClass()).getConstructor(PlatformConfig.class).newInstance(new PlatformConfig(settings));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create handler " + function.handlerClass() + " of " + function.name(), e);
        }
    }
}
