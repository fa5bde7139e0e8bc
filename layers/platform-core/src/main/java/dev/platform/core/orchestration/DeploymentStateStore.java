package dev.platform.core.orchestration;

import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.ProductionBranch;
import dev.platform.core.preview.TrackedState;
import java.util.List;
import java.util.Optional;

/** Port: projects by repository, and the versioned preview and production-branch states. */
public interface DeploymentStateStore {

    /** @param repositoryKey {@code owner/name} in lower case ({@code RepoEvent.repositoryKey}) */
    List<ProjectLink> projectsOf(String repositoryKey);

    /** Strongly consistent read. */
    Optional<Stored<Preview>> preview(ProjectId projectId, PrNumber pr);

    /** Strongly consistent read. */
    Optional<Stored<ProductionBranch>> productionBranch(ProjectId projectId);

    /**
     * In one conditional write: stores {@code next} at version {@code expectedVersion + 1} if the
     * stored version is still {@code expectedVersion} (0: must not exist), adds {@code events} to its
     * outbox (entries of other writers stay) and replaces its recent deliveries.
     *
     * @throws ConcurrentUpdateException when another writer changed the state first
     */
    void commit(TrackedState next, long expectedVersion, List<Stored.OutboxEntry> events, List<String> recentDeliveries);

    /** Removes published entries from the state's outbox, whatever its version now. */
    void removeFromOutbox(TrackedState state, List<Stored.OutboxEntry> published);

    final class ConcurrentUpdateException extends RuntimeException {
        public ConcurrentUpdateException(String message) {
            super(message);
        }
    }
}
