package dev.platform.aws.priming;

import dev.platform.aws.PlatformConfig;
import dev.platform.core.json.JsonLog;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A function's SnapStart hooks: {@link #prime()} runs before the snapshot (errors are logged, never
 * thrown: priming only makes the first request faster and must not stop a version from publishing);
 * {@link #afterRestore} refreshes what must be unique per environment.
 */
public abstract class PrimingHook implements Resource {
    private volatile List<String> primedOperations = List.of();

    /**
     * Registers the hook with CRaC, except in a priming copy (which must not prime itself). The
     * caller keeps a reference: the CRaC context holds its resources weakly.
     */
    protected static <T extends PrimingHook> T register(T hook, PlatformConfig config) {
        if (!Priming.isPrimingCopy(config)) {
            Core.getGlobalContext().register(hook);
        }
        return hook;
    }

    /** Runs a synthetic request through a priming copy; returns the AWS operations it called on loopback. */
    protected abstract List<String> prime();

    @Override
    public final void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            primedOperations = prime();
            JsonLog.info("snapstart priming done", Map.of("operations", primedOperations));
        } catch (RuntimeException | LinkageError e) {
            JsonLog.error("snapstart priming failed", Map.of(), e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing environment-specific by default
    }

    /** The AWS operations the last priming run called on its loopback endpoint. */
    public List<String> primedOperations() {
        return primedOperations;
    }
}
