package dev.platform.topology;

import java.util.List;

/**
 * One Lambda function of the control plane.
 *
 * @param name function name, also the Maven module under {@code functions/}
 * @param handlerClass fully qualified handler class; it has a no-arg constructor for Lambda and one
 *     taking {@code dev.platform.aws.PlatformConfig} for the local runtime and tests
 * @param memoryMb memory size
 * @param timeoutSeconds timeout
 * @param trigger what invokes it
 * @param grants everything it may reach
 */
public record FunctionSpec(String name, String handlerClass, int memoryMb, int timeoutSeconds,
                           Trigger trigger, List<Grant> grants) {
    public FunctionSpec {
        grants = List.copyOf(grants);
    }
}
