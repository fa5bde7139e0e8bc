package dev.platform.core.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.json.Json;

/** The {@code detail} JSON of each platform event, and the whole envelope as the local runtime records it. */
public final class PlatformEventCodec {
    private PlatformEventCodec() {
    }

    public static ObjectNode detail(PlatformEvent event) {
        ObjectNode detail = Json.object();
        switch (event) {
            case PlatformEvent.BuildRequested b -> {
                detail.put("projectId", b.projectId());
                detail.put("target", b.target().wireName());
                if (b.pr() == null) {
                    detail.putNull("pr");
                } else {
                    detail.put("pr", b.pr());
                }
                detail.put("commitSha", b.commitSha());
                detail.put("buildId", b.buildId());
            }
            case PlatformEvent.PreviewTeardownRequested t -> {
                detail.put("projectId", t.projectId());
                detail.put("pr", t.pr());
            }
        }
        return detail;
    }

    /** {@code {"source":"platform","detail-type":"...","detail":{...}}} */
    public static String envelope(PlatformEvent event) {
        ObjectNode line = Json.object();
        line.put("source", dev.platform.core.topology.Topology.EVENT_SOURCE);
        line.put("detail-type", event.detailType());
        line.set("detail", detail(event));
        return Json.write(line);
    }

    public static PlatformEvent readEnvelope(String json) {
        try {
            JsonNode line = Json.MAPPER.readTree(json);
            JsonNode detail = line.path("detail");
            return switch (line.path("detail-type").asText()) {
                case "BuildRequested" -> new PlatformEvent.BuildRequested(
                        detail.path("projectId").asText(),
                        PlatformEvent.BuildTarget.valueOf(detail.path("target").asText().toUpperCase(java.util.Locale.ROOT)),
                        detail.path("pr").isNull() ? null : detail.path("pr").asInt(),
                        detail.path("commitSha").asText(),
                        detail.path("buildId").asText());
                case "PreviewTeardownRequested" -> new PlatformEvent.PreviewTeardownRequested(
                        detail.path("projectId").asText(), detail.path("pr").asInt());
                default -> throw new IllegalArgumentException("unknown platform event " + line.path("detail-type"));
            };
        } catch (JacksonException e) {
            throw new IllegalArgumentException("stored platform event is not valid JSON", e);
        }
    }
}
