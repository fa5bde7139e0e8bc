package dev.platform.core.orchestration;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A state as stored: its optimistic-locking version; its outbox (events of committed changes not
 * confirmed published yet); and the deliveries that changed it most recently, so a replayed delivery
 * is recognized without a second item or a transaction.
 */
public record Stored<T>(T state, long version, List<OutboxEntry> outbox,
                                             List<String> recentDeliveries) {

    /**
     * How many deliveries a state remembers. Older replays are stopped by the ordering rules
     * ({@code updated_at}, {@code pushed_at}, head SHA); the window only has to cover replays of
     * deliveries with equal timestamps, which arrive close together.
     */
    public static final int RECENT_DELIVERIES = 10;

    public Stored {
        outbox = List.copyOf(outbox);
        recentDeliveries = List.copyOf(recentDeliveries);
    }

    public boolean changedBy(String deliveryId) {
        return recentDeliveries.contains(RepoEvent.deliveryKey(deliveryId));
    }

    /** The recent deliveries once {@code deliveryId} has changed the state (oldest dropped first). */
    public static List<String> recentDeliveriesAfter(Optional<? extends Stored<?>> stored, String deliveryId) {
        List<String> recent = new ArrayList<>(stored.map(Stored::recentDeliveries).orElse(List.of()));
        recent.add(RepoEvent.deliveryKey(deliveryId));
        return List.copyOf(recent.subList(Math.max(0, recent.size() - RECENT_DELIVERIES), recent.size()));
    }

    /**
     * One pending event.
     *
     * @param key {@code <delivery key>#<n>}: unique per event, the same on every attempt of a delivery
     * @param createdAt when the change that produced it was committed
     */
    public record OutboxEntry(String key, PlatformEvent event, Instant createdAt) {
        public static List<OutboxEntry> of(String deliveryId, List<PlatformEvent> events, Instant now) {
            String delivery = RepoEvent.deliveryKey(deliveryId);
            return IntStream.range(0, events.size())
                    .mapToObj(i -> new OutboxEntry(delivery + "#" + i, events.get(i), now))
                    .toList();
        }

        public boolean fromDelivery(String deliveryId) {
            return key.startsWith(RepoEvent.deliveryKey(deliveryId) + "#");
        }
    }
}
