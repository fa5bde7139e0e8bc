package dev.platform.core.orchestration;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.ProductionBranch;
import dev.platform.core.preview.TrackedState;
import java.util.List;
import java.util.Optional;

/** Port: projects by repository, and the versioned preview and production-branch states. */
public interface DeploymentStateStore {

    List<ProjectLink> projectsOf(String repository);

    /** Strongly consistent read. */
    Optional<Stored<Preview>> preview(String projectId, int pr);

    /** Strongly consistent read. */
    Optional<Stored<ProductionBranch>> productionBranch(String projectId);

    /**
     * Atomically: writes {@code next} at version {@code expectedVersion + 1} if the stored version is
     * still {@code expectedVersion} (0: must not exist), with {@code outbox} as its pending events, and
     * records that {@code deliveryId} changed this state (once only).
     *
     * @throws ConcurrentUpdateException when another writer changed the state first
     * @throws DuplicateDeliveryException when this delivery already changed this state
     */
    void commit(TrackedState next, long expectedVersion, List<PlatformEvent> outbox, String deliveryId);

    /** Removes the outbox of the state at {@code version}; does nothing if the state moved on. */
    void clearOutbox(TrackedState state, long version);

    final class ConcurrentUpdateException extends RuntimeException {
        public ConcurrentUpdateException(String message) {
            super(message);
        }
    }

    final class DuplicateDeliveryException extends RuntimeException {
        public DuplicateDeliveryException(String message) {
            super(message);
        }
    }
}
