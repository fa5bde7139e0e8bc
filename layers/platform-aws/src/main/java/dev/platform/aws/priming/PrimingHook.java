package dev.platform.aws.priming;

import dev.platform.aws.PlatformConfig;
import dev.platform.core.json.JsonLog;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Every function's SnapStart hooks. Before the snapshot, a copy of the handler is made by the
 * function's factory from the priming settings (every SDK client on a {@link LoopbackAws}, see
 * {@link Priming}), exercised with synthetic requests and thrown away: the real handler's clients
 * are never called. Errors are logged, never thrown (priming only makes the first request faster and
 * must not stop a version from publishing). After restore, {@code afterRestore} refreshes what must
 * be unique per environment.
 *
 * @param <H> the handler type
 */
public final class PrimingHook<H> implements Resource {
    private final PlatformConfig config;
    private final Function<PlatformConfig, H> copies;
    private final Consumer<H> exercise;
    private final Runnable afterRestore;
    private volatile List<String> primedOperations = List.of();

    private PrimingHook(PlatformConfig config, Function<PlatformConfig, H> copies, Consumer<H> exercise, Runnable afterRestore) {
        this.config = config;
        this.copies = copies;
        this.exercise = exercise;
        this.afterRestore = afterRestore;
    }

    /**
     * Creates the hook and registers it with CRaC. The caller keeps the returned reference: the CRaC
     * context holds its resources weakly.
     *
     * @param copies builds a handler without hooks of its own from settings
     * @param exercise runs synthetic requests through a copy; throws when an answer is not the expected one
     * @param afterRestore what a restored environment must refresh (a cached secret, say)
     */
    public static <H> PrimingHook<H> register(PlatformConfig config, Function<PlatformConfig, H> copies,
                                              Consumer<H> exercise, Runnable afterRestore) {
        PrimingHook<H> hook = new PrimingHook<>(config, copies, exercise, afterRestore);
        Core.getGlobalContext().register(hook);
        return hook;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try (LoopbackAws aws = LoopbackAws.start(Priming::answer)) {
            exercise.accept(copies.apply(Priming.config(config, aws.endpoint())));
            primedOperations = aws.operations();
            JsonLog.info("snapstart priming done", Map.of("operations", primedOperations));
        } catch (RuntimeException | LinkageError e) {
            JsonLog.error("snapstart priming failed", Map.of(), e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        afterRestore.run();
    }

    /** The AWS operations the last priming run called on its loopback endpoint. */
    public List<String> primedOperations() {
        return primedOperations;
    }
}
