package dev.platform.core.sleep;

import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.DeployTargets;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStatus;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.events.PlatformEvent.PreviewWaking;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ledger.Ledger;
import dev.platform.core.preview.PreviewStatus;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sleeping preview starts again, once however many ask at the same moment: one conditional write takes it
 * from {@code sleeping} to {@code waking} ({@code PreviewWaking} through its outbox), and only the writer that
 * made it starts the service (desired count 1, a new ECS deployment). Its host rule keeps forwarding to the
 * waker until the deployment watcher sees that deployment complete and points the rule back.
 */
public final class WakePreview {

    /** What happened. @param found false: no such preview, or it is removed */
    public record Outcome(EnvironmentRef environment, boolean found, boolean started, String result) {
    }

    private final Ledger<EnvironmentRef, Environment> environments;
    private final ContainerServices containers;
    private final DeployTargets marks;
    private final Clock clock;

    public WakePreview(EnvironmentStore environments, ContainerServices containers, DeployTargets marks,
                       PlatformEventPublisher publisher, Clock clock) {
        this.environments = new Ledger<>(environments, publisher, clock);
        this.containers = containers;
        this.marks = marks;
        this.clock = clock;
    }

    /** @param requestedBy {@code request}, or {@code command:<login>} */
    public Outcome wake(EnvironmentRef ref, String requestedBy) {
        Environment current = environments.read(ref, "wake:" + ref.serviceName()).map(s -> s.state()).orElse(null);
        if (current == null || current.retired()) {
            return new Outcome(ref, false, false, "no such preview");
        }
        if (current.status() != EnvironmentStatus.SLEEPING) {
            return new Outcome(ref, true, false, "already " + current.status().wireName());
        }
        // one writer per sleep: a retry of this wake finds its own outbox entry
        String writer = "wake:" + ref.serviceName() + ":" + current.changedAt().toEpochMilli();
        AtomicBoolean mine = new AtomicBoolean();
        Environment waking = environments.change(ref, writer, stored -> {
            mine.set(false);
            return stored != null && stored.status() == EnvironmentStatus.SLEEPING ? stored.waking(clock.instant()) : stored;
        }, (before, after) -> {
            mine.set(true);
            return List.of(new PreviewWaking(ref.projectId(), ref.pr(), requestedBy));
        }).orElseThrow();
        if (!mine.get()) {
            return new Outcome(ref, true, false, "already " + waking.status().wireName());
        }
        String rollout;
        try {
            rollout = containers.wake(ref.serviceName());
        } catch (RuntimeException e) {
            // back to sleeping, so the next request tries again instead of waiting on a start that never began
            environments.change(ref, writer + ":undo", stored -> stored != null && stored.status() == EnvironmentStatus.WAKING
                    && stored.wakeRollout() == null ? stored.sleeping(clock.instant()) : stored, (before, after) -> List.of());
            throw e;
        }
        environments.change(ref, writer, stored -> stored != null && stored.status() == EnvironmentStatus.WAKING
                && stored.wakeRollout() == null ? stored.wakeRollingOut(rollout, clock.instant()) : stored,
                (before, after) -> List.of());
        if (waking.latest() != null) {
            marks.standing(ref, waking.latest().commitSha(), PreviewStatus.WAKING);
        }
        return new Outcome(ref, true, true, "waking: " + rollout);
    }
}
