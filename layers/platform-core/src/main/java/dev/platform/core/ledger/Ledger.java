package dev.platform.core.ledger;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.orchestration.DeploymentStateStore.ConcurrentUpdateException;
import dev.platform.core.orchestration.Stored;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Changes of versioned records (builds, deploy environments) and the events they owe, with the
 * orchestrator's outbox rule: a change and its events are one conditional write; the events are
 * published, then removed from the record. A writer
 * that died in between is repaired by its own retry (entries keyed by the writer) or, past
 * {@link #OUTBOX_LEASE}, by whoever reads the record next. A lost race is retried against the new state.
 */
public final class Ledger<K, T> {
    public static final Duration OUTBOX_LEASE = Duration.ofMinutes(5);
    private static final int MAX_ATTEMPTS = 5;

    private final VersionedStore<K, T> store;
    private final PlatformEventPublisher publisher;
    private final Clock clock;

    public Ledger(VersionedStore<K, T> store, PlatformEventPublisher publisher, Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** The record as stored, after publishing what writers that died left in its outbox. */
    public Optional<Stored<T>> read(K key, String writer) {
        return store.read(key).map(stored -> publishAbandoned(key, stored, writer));
    }

    /**
     * Applies {@code change} to the stored record (null: it does not exist yet) and commits it with
     * the events {@code events} gives for (before, after), then publishes them. A change that returns its
     * input unchanged writes nothing.
     *
     * @param writer names this change: the same writer retried finds and publishes its own entries
     * @return the record as committed, or as it was when nothing changed (empty: it does not exist)
     */
    public Optional<T> change(K key, String writer, UnaryOperator<T> change, BiFunction<T, T, List<PlatformEvent>> events) {
        for (int attempt = 1; ; attempt++) {
            Optional<Stored<T>> stored = read(key, writer);
            T before = stored.map(Stored::state).orElse(null);
            T after = change.apply(before);
            if (after == null || after.equals(before)) {
                return Optional.ofNullable(before);
            }
            List<Stored.OutboxEntry> entries = Stored.OutboxEntry.of(writer, events.apply(before, after), clock.instant());
            try {
                store.commit(after, stored.map(Stored::version).orElse(0L), entries);
            } catch (ConcurrentUpdateException lostRace) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw lostRace;
                }
                continue;
            }
            publish(key, entries);
            return Optional.of(after);
        }
    }

    private Stored<T> publishAbandoned(K key, Stored<T> stored, String writer) {
        var expiredBefore = clock.instant().minus(OUTBOX_LEASE);
        List<Stored.OutboxEntry> abandoned = stored.outbox().stream()
                .filter(entry -> entry.fromDelivery(writer) || entry.createdAt().isBefore(expiredBefore))
                .toList();
        if (abandoned.isEmpty()) {
            return stored;
        }
        publish(key, abandoned);
        return new Stored<>(stored.state(), stored.version(),
                stored.outbox().stream().filter(entry -> !abandoned.contains(entry)).toList(), stored.recentDeliveries());
    }

    private void publish(K key, List<Stored.OutboxEntry> entries) {
        if (!entries.isEmpty()) {
            publisher.publish(entries.stream().map(Stored.OutboxEntry::event).toList());
            store.removeFromOutbox(key, entries);
        }
    }
}
