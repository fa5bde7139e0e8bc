package dev.platform.core.deploy;

import dev.platform.core.ledger.VersionedStore;

/** Port: environments, versioned, each with an outbox of the events its changes owe. */
public interface EnvironmentStore extends VersionedStore<EnvironmentRef, Environment> {
}
