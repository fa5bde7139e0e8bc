package dev.platform.core.orchestration;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.preview.Decision;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.PreviewPolicy;
import dev.platform.core.preview.ProductionBranch;
import dev.platform.core.preview.ProductionPushPolicy;
import dev.platform.core.preview.TrackedState;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies one repository event to every project linked to its repository.
 *
 * <p>Per project: read the state; a delivery that already changed it is a duplicate; decide, then
 * commit the new state, its events (in the state's outbox) and the delivery in one conditional
 * write; publish; remove the published entries from the outbox.
 * A crash between commit and publish loses nothing: the redelivered message finds its own entries
 * and publishes them, and entries older than {@link #OUTBOX_LEASE} (their writer is surely gone)
 * are published by whoever reads them next. Entries of a live writer are left to it, so concurrent
 * writers do not publish each other's events twice. A lost race is retried here a few times, then
 * thrown so the queue redelivers the message.
 */
public final class OrchestrateRepoEvent {

    /** The result for one project. */
    public record Outcome(ProjectId projectId, boolean changed, String reason, List<PlatformEvent> events) {
    }

    static final int MAX_ATTEMPTS = 4;
    /** Longer than the orchestrator's Lambda timeout: a writer this old was stopped. */
    public static final Duration OUTBOX_LEASE = Duration.ofMinutes(2);

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
            evaluated.stored().ifPresent(stored -> publishAbandoned(stored, event.deliveryId()));
            if (evaluated.stored().isPresent() && evaluated.stored().get().changedBy(event.deliveryId())) {
                return new Outcome(project.projectId(), false, "duplicate delivery " + event.deliveryId(), List.of());
            }
            if (!(evaluated.decision() instanceof Decision.Changed changed)) {
                return new Outcome(project.projectId(), false, evaluated.decision().reason(), List.of());
            }
            long expected = evaluated.stored().map(Stored::version).orElse(0L);
            List<Stored.OutboxEntry> entries = Stored.OutboxEntry.of(event.deliveryId(), changed.events(), clock.instant());
            try {
                store.commit(changed.next(), expected, entries,
                        Stored.recentDeliveriesAfter(evaluated.stored(), event.deliveryId()));
            } catch (DeploymentStateStore.ConcurrentUpdateException lostRace) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw lostRace;
                }
                backOff(attempt);
                continue;
            }
            publish(changed.next(), entries);
            return new Outcome(project.projectId(), true, changed.reason(), changed.events());
        }
    }

    /** The stored state (if any) and the decision made against it. */
    private record Evaluated(Optional<? extends Stored<? extends TrackedState>> stored, Decision decision) {
    }

    private Evaluated evaluate(ProjectLink project, RepoEvent event) {
        return switch (event) {
            case RepoEvent.PullRequest pr -> {
                Optional<Stored<Preview>> stored = store.preview(project.projectId(), pr.number());
                yield new Evaluated(stored,
                        PreviewPolicy.decide(stored.map(Stored::state), pr, project.projectId(), project.buildSettings(),
                                clock.instant()));
            }
            case RepoEvent.Push push -> {
                Optional<Stored<ProductionBranch>> stored = store.productionBranch(project.projectId());
                yield new Evaluated(stored, ProductionPushPolicy.decide(stored.map(Stored::state), push,
                        project.projectId(), project.productionBranch(), project.buildSettings(), clock.instant()));
            }
        };
    }

    /** Publishes outbox entries whose writer failed: this delivery's own earlier attempt, or expired ones. */
    private void publishAbandoned(Stored<? extends TrackedState> stored, String deliveryId) {
        var expiredBefore = clock.instant().minus(OUTBOX_LEASE);
        List<Stored.OutboxEntry> abandoned = stored.outbox().stream()
                .filter(entry -> entry.fromDelivery(deliveryId) || entry.createdAt().isBefore(expiredBefore))
                .toList();
        publish(stored.state(), abandoned);
    }

    private void publish(TrackedState state, List<Stored.OutboxEntry> entries) {
        if (!entries.isEmpty()) {
            publisher.publish(entries.stream().map(Stored.OutboxEntry::event).toList());
            store.removeFromOutbox(state, entries);
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
