package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Topology;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SdkTimeoutsTest {
    @Test
    void everyFunctionsSdkCallsGiveUpWellBeforeTheFunctionDoes() {
        for (FunctionSpec function : Topology.functions()) {
            PlatformConfig config = new PlatformConfig(Map.of(PlatformConfig.FUNCTION_TIMEOUT_SECONDS,
                    Integer.toString(function.timeoutSeconds())));
            SdkTimeouts timeouts = SdkTimeouts.of(config);
            Duration functionTimeout = Duration.ofSeconds(function.timeoutSeconds());
            assertTrue(timeouts.call().compareTo(functionTimeout.dividedBy(2)) <= 0, function.name() + ": " + timeouts);
            assertTrue(timeouts.attempt().compareTo(timeouts.call()) < 0, function.name() + ": " + timeouts);
        }
    }
}
