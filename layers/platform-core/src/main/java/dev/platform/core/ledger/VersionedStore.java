package dev.platform.core.ledger;

import dev.platform.core.orchestration.Stored;
import java.util.List;
import java.util.Optional;

/**
 * Port: records kept with optimistic locking, each with an outbox of the events its changes owe (builds,
 * deploy environments).
 *
 * @param <K> the record's key
 * @param <T> the record
 */
public interface VersionedStore<K, T> {

    /** Strongly consistent read. */
    Optional<Stored<T>> read(K key);

    /**
     * In one conditional write: stores {@code next} at version {@code expectedVersion + 1} if the stored
     * version is still {@code expectedVersion} (0: must not exist), and adds {@code events} to its outbox.
     *
     * @throws dev.platform.core.orchestration.DeploymentStateStore.ConcurrentUpdateException when another
     *     writer changed the record first
     */
    void commit(T next, long expectedVersion, List<Stored.OutboxEntry> events);

    /** Removes published entries from the record's outbox, whatever its version now. */
    void removeFromOutbox(K key, List<Stored.OutboxEntry> published);
}
