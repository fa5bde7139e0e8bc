package dev.platform.aws.eventbridge;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventCodec;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.json.Json;
import dev.platform.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** Puts platform events on the bus, at most ten per call; any rejected entry fails the whole call. */
public final class EventBridgePublisher implements PlatformEventPublisher {
    private static final int MAX_ENTRIES_PER_CALL = 10;

    private final EventBridgeClient eventBridge;
    private final String busName;

    public EventBridgePublisher(EventBridgeClient eventBridge, String busName) {
        this.eventBridge = eventBridge;
        this.busName = busName;
    }

    @Override
    public void publish(List<PlatformEvent> events) {
        List<PutEventsRequestEntry> entries = new ArrayList<>(events.size());
        for (PlatformEvent event : events) {
            entries.add(PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(Topology.EVENT_SOURCE)
                    .detailType(event.detailType())
                    .detail(Json.write(PlatformEventCodec.detail(event)))
                    .build());
        }
        for (int from = 0; from < entries.size(); from += MAX_ENTRIES_PER_CALL) {
            List<PutEventsRequestEntry> chunk = entries.subList(from, Math.min(entries.size(), from + MAX_ENTRIES_PER_CALL));
            PutEventsResponse response = eventBridge.putEvents(r -> r.entries(chunk));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                String firstError = response.entries().stream()
                        .filter(e -> e.errorCode() != null)
                        .map(e -> e.errorCode() + ": " + e.errorMessage())
                        .findFirst().orElse("unknown");
                throw new IllegalStateException(response.failedEntryCount() + " of " + chunk.size()
                        + " events rejected by bus " + busName + " (" + firstError + ")");
            }
        }
    }
}
