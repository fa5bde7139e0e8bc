package dev.platform.core.build;

import dev.platform.core.ids.BuildId;
import dev.platform.core.ledger.VersionedStore;

/** Port: build records, versioned, each with an outbox of the events its changes owe. */
public interface BuildStore extends VersionedStore<BuildId, Build> {
}
