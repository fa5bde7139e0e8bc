package dev.platform.core.orchestration;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.preview.TrackedState;
import java.time.Instant;
import java.util.List;

/**
 * A state as stored: its optimistic-locking version, and its outbox: events of committed changes
 * that are not confirmed published yet.
 */
public record Stored<T extends TrackedState>(T state, long version, List<OutboxEntry> outbox) {
    public Stored {
        outbox = List.copyOf(outbox);
    }

    /**
     * One pending event.
     *
     * @param key {@code <deliveryId>#<n>}: unique per event, the same on every attempt of a delivery
     * @param createdAt when the change that produced it was committed
     */
    public record OutboxEntry(String key, PlatformEvent event, Instant createdAt) {
        public static List<OutboxEntry> of(String deliveryId, List<PlatformEvent> events, Instant now) {
            return java.util.stream.IntStream.range(0, events.size())
                    .mapToObj(i -> new OutboxEntry(deliveryId + "#" + i, events.get(i), now))
                    .toList();
        }

        public boolean fromDelivery(String deliveryId) {
            return key.startsWith(deliveryId + "#");
        }
    }
}
