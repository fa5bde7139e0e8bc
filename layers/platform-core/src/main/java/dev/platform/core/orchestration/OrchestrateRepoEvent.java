package dev.platform.core.orchestration;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.preview.Decision;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.PreviewPolicy;
import dev.platform.core.preview.ProductionBranch;
import dev.platform.core.preview.ProductionPushPolicy;
import dev.platform.core.preview.TrackedState;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies one repository event to every project linked to its repository.
 *
 * <p>Per project: read the state, publish any outbox a previous attempt left, decide, then commit
 * the new state together with its events (outbox) and a delivery marker, publish, clear the outbox.
 * A crash between commit and publish loses nothing: the next attempt finds the outbox. A lost race
 * is retried here a few times, then thrown so the queue redelivers the message.
 */
public final class OrchestrateRepoEvent {

    /** The result for one project. */
    public record Outcome(String projectId, boolean changed, String reason, List<PlatformEvent> events) {
    }

    static final int MAX_ATTEMPTS = 4;

    private final DeploymentStateStore store;
    private final PlatformEventPublisher publisher;
    private final Clock clock;

    public OrchestrateRepoEvent(DeploymentStateStore store, PlatformEventPublisher publisher, Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** @return one outcome per linked project (none when no project uses the repository) */
    public List<Outcome> handle(RepoEvent event) {
        List<Outcome> outcomes = new ArrayList<>();
        for (ProjectLink project : store.projectsOf(RepoEvent.repositoryKey(event.repository()))) {
            outcomes.add(handleFor(project, event));
        }
        return outcomes;
    }

    private Outcome handleFor(ProjectLink project, RepoEvent event) {
        for (int attempt = 1; ; attempt++) {
            Evaluated evaluated = evaluate(project, event);
            if (!(evaluated.decision() instanceof Decision.Changed changed)) {
                return new Outcome(project.projectId(), false, evaluated.decision().reason(), List.of());
            }
            long expected = evaluated.storedVersion();
            try {
                store.commit(changed.next(), expected, changed.events(), event.deliveryId());
            } catch (DeploymentStateStore.DuplicateDeliveryException duplicate) {
                return new Outcome(project.projectId(), false, "duplicate delivery " + event.deliveryId(), List.of());
            } catch (DeploymentStateStore.ConcurrentUpdateException lostRace) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw lostRace;
                }
                backOff(attempt);
                continue;
            }
            if (!changed.events().isEmpty()) {
                publisher.publish(changed.events());
                store.clearOutbox(changed.next(), expected + 1);
            }
            return new Outcome(project.projectId(), true, changed.reason(), changed.events());
        }
    }

    /** The decision and the version it was made against (0: nothing stored yet). */
    private record Evaluated(long storedVersion, Decision decision) {
    }

    private Evaluated evaluate(ProjectLink project, RepoEvent event) {
        return switch (event) {
            case RepoEvent.PullRequest pr -> {
                Optional<Stored<Preview>> stored = store.preview(project.projectId(), pr.number());
                stored.ifPresent(this::flushOutbox);
                yield new Evaluated(stored.map(Stored::version).orElse(0L),
                        PreviewPolicy.decide(stored.map(Stored::state), pr, project.projectId(), clock.instant()));
            }
            case RepoEvent.Push push -> {
                Optional<Stored<ProductionBranch>> stored = store.productionBranch(project.projectId());
                stored.ifPresent(this::flushOutbox);
                yield new Evaluated(stored.map(Stored::version).orElse(0L),
                        ProductionPushPolicy.decide(stored.map(Stored::state), push, project.projectId(),
                                project.productionBranch(), clock.instant()));
            }
        };
    }

    private void flushOutbox(Stored<? extends TrackedState> stored) {
        if (!stored.outbox().isEmpty()) {
            publisher.publish(stored.outbox());
            store.clearOutbox(stored.state(), stored.version());
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a lost race", e);
        }
    }
}
