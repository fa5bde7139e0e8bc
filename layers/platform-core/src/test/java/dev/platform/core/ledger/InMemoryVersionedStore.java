package dev.platform.core.ledger;

import dev.platform.core.orchestration.DeploymentStateStore.ConcurrentUpdateException;
import dev.platform.core.orchestration.Stored;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@link VersionedStore} in memory with the DynamoDB adapters' semantics (version check, outbox entries added
 * and removed by key), for the core tests of builds and deploys.
 */
public class InMemoryVersionedStore<K, T> implements VersionedStore<K, T> {
    /** Every record as stored, by key. */
    public final Map<K, Stored<T>> stored = new HashMap<>();
    private final Function<T, K> keyOf;

    public InMemoryVersionedStore(Function<T, K> keyOf) {
        this.keyOf = keyOf;
    }

    @Override
    public synchronized Optional<Stored<T>> read(K key) {
        return Optional.ofNullable(stored.get(key));
    }

    @Override
    public synchronized void commit(T next, long expectedVersion, List<Stored.OutboxEntry> events) {
        K key = keyOf.apply(next);
        Stored<T> current = stored.get(key);
        long version = current == null ? 0 : current.version();
        if (version != expectedVersion) {
            throw new ConcurrentUpdateException(key + " changed since version " + expectedVersion);
        }
        Map<String, Stored.OutboxEntry> outbox = new LinkedHashMap<>();
        if (current != null) {
            current.outbox().forEach(entry -> outbox.put(entry.key(), entry));
        }
        events.forEach(entry -> outbox.put(entry.key(), entry));
        stored.put(key, new Stored<>(next, version + 1, List.copyOf(outbox.values()), List.of()));
    }

    @Override
    public synchronized void removeFromOutbox(K key, List<Stored.OutboxEntry> published) {
        Stored<T> current = stored.get(key);
        if (current != null) {
            stored.put(key, new Stored<>(current.state(), current.version(),
                    current.outbox().stream().filter(e -> !published.contains(e)).toList(), List.of()));
        }
    }

    /** The record's state; it must exist. */
    public synchronized T state(K key) {
        return stored.get(key).state();
    }
}
