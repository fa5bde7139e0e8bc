package dev.platform.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.platform.aws.PlatformConfig;
import dev.platform.topology.FunctionSpec;
import java.util.HashMap;
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
