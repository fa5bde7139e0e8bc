package dev.platform.bench.launch;

import com.amazonaws.services.lambda.runtime.*;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.*;
import java.lang.reflect.Method;
import java.nio.file.*;

/**
 * One cold start as Lambda's Java runtime does it: the no-arg constructor (the init phase), the sample deserialized with
 * Lambda's serializers, one handleRequest, the response serialized. Prints {@code BENCH-T main= init= done=} (System.nanoTime(),
 * the clock the harness read before spawning this JVM) and {@code BENCH-RESPONSE <json>}. Args: handler class, event file, name.
 */
public final class ColdStart {
    static final String TIMES_PREFIX = "BENCH-T ";

    public static void main(String[] args) throws Exception {
        long main = System.nanoTime();
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        long init = System.nanoTime();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        if (handler instanceof RequestStreamHandler stream) {
            // The runtime hands a stream handler the event's bytes as they came and returns what it writes.
            stream.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[1]))), response, new BenchContext(args[2]));
        } else {
            invoke(handler, Path.of(args[1]), args[2], response);
        }
        long done = System.nanoTime();
        // StringBuilder as in HelloWorld, so both print their times the same way.
        System.out.println(new StringBuilder(TIMES_PREFIX).append("main=").append(main).append(" init=").append(init).append(" done=").append(done));
        System.out.println("BENCH-RESPONSE " + response.toString().replace('\n', ' '));
        System.out.flush();
        // SDK clients may keep non-daemon threads; Lambda freezes the process here, we end it.
        System.exit(0);
    }

    @SuppressWarnings("unchecked")
    private static void invoke(Object handler, Path event, String name, OutputStream response) throws IOException {
        RequestHandler<Object, Object> typed = (RequestHandler<Object, Object>) handler;
        // The I and O of RequestHandler<I, O>: the types of handleRequest(I, Context) that is not the erased bridge method.
        // A plain loop, no stream or lambda: this is measured, and should cost what a runtime's lookup costs.
        Method handle = null;
        for (Method m : handler.getClass().getMethods()) {
            handle = m.getName().equals("handleRequest") && m.getParameterCount() == 2 && !m.isBridge() ? m : handle;
        }
        Object input = serializer(handle.getParameterTypes()[0]).fromJson(new ByteArrayInputStream(Files.readAllBytes(event)));
        Object output = typed.handleRequest(input, new BenchContext(name));
        serializer(handle.getReturnType()).toJson(output, response);
    }

    /** Lambda's choice: its event serializers for its event types, plain Jackson for anything else. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Class<?> type) {
        return (PojoSerializer<Object>) (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, ColdStart.class.getClassLoader()) : JacksonFactory.getInstance().getSerializer(type));
    }

    /** What Lambda's runtime passes (the request id would come from the Runtime API); not the local runtime's class. */
    private record BenchContext(String name) implements Context {
        @Override public String getAwsRequestId() { return "bench-cold-start"; }
        @Override public String getLogGroupName() { return "/aws/lambda/" + name; }
        @Override public String getLogStreamName() { return "bench"; }
        @Override public String getFunctionName() { return name; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + name; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 30_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.err.println(message); }
                @Override public void log(byte[] message) { System.err.println(new String(message)); }
            };
        }
    }
}
