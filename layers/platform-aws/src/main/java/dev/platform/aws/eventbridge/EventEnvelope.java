package dev.platform.aws.eventbridge;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An EventBridge event as a rule target receives it ({@code {"id","source","detail-type","time","detail":{...}}}):
 * what event-triggered functions read from their input stream. Functions take the stream, not a typed
 * event class, so no reflection-based event mapping (nor its date library) is on their path.
 *
 * @param resources the ARNs the event is about (an ECS deployment event names its service here)
 * @param detail the {@code detail} object
 */
public record EventEnvelope(String id, String source, String detailType, List<String> resources, JsonNode detail) {

    /** A scheduled rule's events ({@code source aws.events}). */
    public static final String SCHEDULED_EVENT = "Scheduled Event";

    /** @throws IllegalArgumentException when the input is not an event: the invocation fails and is not retried usefully */
    public static EventEnvelope read(InputStream input) throws IOException {
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(input);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the invocation's input is not a JSON event", e);
        }
        if (event == null || !event.isObject() || !event.path("detail-type").isTextual()) {
            throw new IllegalArgumentException("the invocation's input is not an EventBridge event (no detail-type)");
        }
        List<String> resources = new ArrayList<>();
        event.path("resources").forEach(resource -> resources.add(resource.asText()));
        return new EventEnvelope(event.path("id").asText(""), event.path("source").asText(""),
                event.path("detail-type").asText(), List.copyOf(resources), event.path("detail"));
    }
}
