package dev.platform.bench.launch;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold start, in a fresh JVM, the way Lambda's Java runtime does it: construct the handler with
 * its no-arg constructor (settings from the environment: the init phase), then deserialize the
 * sample event with Lambda's own serializers, invoke the handler once and serialize its response.
 *
 * <p>Prints {@code BENCH-T main=<ns> init=<ns> done=<ns>} ({@link System#nanoTime()}, the same
 * monotonic clock the harness reads before it spawns this process) and
 * {@code BENCH-RESPONSE <json>}; the harness decides whether the response is a success.
 *
 * <p>Usage: {@code ColdStart <handler class> <event.json> <function name>}. Only the JDK, the Lambda
 * libraries and the function's own classpath are visible here.
 */
public final class ColdStart {
    static final String TIMES_PREFIX = "BENCH-T ";
    static final String RESPONSE_PREFIX = "BENCH-RESPONSE ";

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        long main = System.nanoTime();
        if (args.length != 3) {
            System.err.println("usage: ColdStart <handler class> <event.json> <function name>");
            System.exit(2);
        }
        Class<?> handlerClass = Class.forName(args[0]);
        Object handler = handlerClass.getConstructor().newInstance();
        long init = System.nanoTime();

        byte[] event = Files.readAllBytes(Path.of(args[1]));
        byte[] response = invoke(handler, event, new BenchContext(args[2]));
        long done = System.nanoTime();

        PrintStream out = System.out;
        out.println(new StringBuilder(TIMES_PREFIX).append("main=").append(main)
                .append(" init=").append(init).append(" done=").append(done));
        out.println(RESPONSE_PREFIX + new String(response, StandardCharsets.UTF_8).replace('\n', ' '));
        out.flush();
        // SDK clients may keep non-daemon threads; Lambda freezes the process here, we end it.
        System.exit(0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] invoke(Object handler, byte[] event, Context context) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (handler instanceof RequestStreamHandler stream) {
            stream.handleRequest(new ByteArrayInputStream(event), out, context);
            return out.toByteArray();
        }
        if (!(handler instanceof RequestHandler requestHandler)) {
            throw new IllegalArgumentException(handler.getClass().getName() + " is neither a RequestHandler nor a RequestStreamHandler");
        }
        Class<?>[] types = handlerTypes(handler.getClass());
        Object input = serializer(types[0]).fromJson(new ByteArrayInputStream(event));
        Object output = requestHandler.handleRequest(input, context);
        if (output != null) {
            serializer(types[1] == Object.class ? output.getClass() : types[1]).toJson(output, out);
        }
        return out.toByteArray();
    }

    /** Lambda's choice: its event serializers for its event types, plain Jackson for anything else. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Class<?> type) {
        ClassLoader loader = ColdStart.class.getClassLoader();
        return (PojoSerializer<Object>) (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, loader)
                : JacksonFactory.getInstance().getSerializer(type));
    }

    /** The I and O of {@code RequestHandler<I, O>}, looked up through superclasses. */
    private static Class<?>[] handlerTypes(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type candidate : c.getGenericInterfaces()) {
                if (candidate instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return new Class<?>[] {raw(p.getActualTypeArguments()[0]), raw(p.getActualTypeArguments()[1])};
                }
            }
        }
        return new Class<?>[] {Object.class, Object.class};
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    /**
     * What Lambda's runtime passes; the request id is fixed, the runtime would get it from the Runtime API.
     * Not the local runtime's LocalContext: the measured classpath holds only the function and its dependencies.
     */
    private record BenchContext(String functionName) implements Context {
        @Override
        public String getAwsRequestId() {
            return "bench-cold-start";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/" + functionName;
        }

        @Override
        public String getLogStreamName() {
            return "bench";
        }

        @Override
        public String getFunctionName() {
            return functionName;
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.err.println(message);
                }

                @Override
                public void log(byte[] message) {
                    System.err.println(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
