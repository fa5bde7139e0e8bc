package dev.platform.core.preview;

import dev.platform.core.events.PlatformEvent;
import java.util.List;

/** What a policy decided for one event: a new state and the events to emit, or nothing. */
public sealed interface Decision {

    String reason();

    record Unchanged(String reason) implements Decision {
    }

    record Changed(TrackedState next, List<PlatformEvent> events, String reason) implements Decision {
        public Changed {
            events = List.copyOf(events);
        }
    }
}
