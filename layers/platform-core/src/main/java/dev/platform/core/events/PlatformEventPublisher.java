package dev.platform.core.events;

import java.util.List;

/** Port: puts events on the platform bus. Throws when any event was not accepted. */
public interface PlatformEventPublisher {
    void publish(List<PlatformEvent> events);
}
