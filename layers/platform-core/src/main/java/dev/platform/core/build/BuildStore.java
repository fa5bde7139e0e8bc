package dev.platform.core.build;

import dev.platform.core.ids.BuildId;
import dev.platform.core.orchestration.Stored;
import java.util.List;
import java.util.Optional;

/** Port: build records, versioned, each with an outbox of the events its changes owe. */
public interface BuildStore {

    /** Strongly consistent read. */
    Optional<Stored<Build>> build(BuildId buildId);

    /**
     * In one conditional write: stores {@code next} at version {@code expectedVersion + 1} if the stored
     * version is still {@code expectedVersion} (0: must not exist), and adds {@code events} to its outbox.
     *
     * @throws dev.platform.core.orchestration.DeploymentStateStore.ConcurrentUpdateException when another
     *     writer changed the build first
     */
    void commit(Build next, long expectedVersion, List<Stored.OutboxEntry> events);

    /** Removes published entries from the build's outbox, whatever its version now. */
    void removeFromOutbox(BuildId buildId, List<Stored.OutboxEntry> published);
}
