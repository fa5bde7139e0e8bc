package dev.platform.core.orchestration;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.preview.TrackedState;
import java.util.List;

/**
 * A state as stored: its optimistic-locking version, and the events of its last change that may not
 * have reached the bus yet (the outbox, cleared once published).
 */
public record Stored<T extends TrackedState>(T state, long version, List<PlatformEvent> outbox) {
    public Stored {
        outbox = List.copyOf(outbox);
    }
}
