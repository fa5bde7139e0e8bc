package dev.platform.core.config;

import dev.platform.core.api.Accounts.AuditEntry;
import dev.platform.core.api.ApiStore;
import dev.platform.core.api.Page;
import dev.platform.core.ids.ProjectId;
import java.util.List;
import java.util.Optional;

/** Environment variables, their versions and the audit entries of their changes. */
public interface EnvVarStore {
    /** The variable, a tombstone included. */
    Optional<EnvVar> get(EnvVarKey key);

    /** The project's live variables (no tombstones), by scope, name and branch; {@code scope} null for all. */
    Page<EnvVar> list(ProjectId projectId, EnvScope scope, String after, int limit);

    /** Every live variable of the scope, each branch's included (for a deployment's configuration and for export). */
    List<EnvVar> all(ProjectId projectId, EnvScope scope);

    /**
     * Writes the variable's next version, its history entry and the audit entry in one transaction, on condition
     * that its stored version is still {@code expectedVersion} (0: none stored).
     *
     * @throws ApiStore.Conflict when another change came first
     */
    void write(EnvVar next, long expectedVersion, EnvVarVersion change, AuditEntry audit);

    /** The variable's changes, newest first. */
    Page<EnvVarVersion> history(EnvVarKey key, String after, int limit);

    Optional<EnvVarVersion> version(EnvVarKey key, long version);
}
