package dev.platform.embedded;

import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.LoopbackAws;
import dev.platform.aws.priming.LoopbackAws.Answer;
import dev.platform.aws.priming.PrimingHook;
import java.util.List;
import java.util.function.Function;

/**
 * For a function's priming test: its SnapStart hook run against "real" services that refuse and record every call.
 * Priming must answer from its own loopback copy and never reach them.
 */
public final class PrimingCheck {
    private PrimingCheck() {
    }

    /**
     * @param hookOf builds the handler from settings and returns its registered hook
     * @return the operations the priming copy called, in order (empty when priming failed: it logs, never throws)
     * @throws AssertionError when priming reached the real services
     */
    public static List<String> primedOperations(Function<PlatformConfig, PrimingHook<?>> hookOf) {
        try (LoopbackAws real = LoopbackAws.start(call -> Answer.error(400, "UnexpectedCall", "priming called " + call.target()))) {
            PrimingHook<?> hook = hookOf.apply(EmbeddedPlatform.loopbackConfig(real.endpoint()));
            hook.beforeCheckpoint(null);
            if (!real.calls().isEmpty()) {
                throw new AssertionError("priming reached the real services: " + real.operations());
            }
            return hook.primedOperations();
        }
    }
}
