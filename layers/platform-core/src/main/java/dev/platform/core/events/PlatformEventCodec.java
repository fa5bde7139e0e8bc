package dev.platform.core.events;

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
                detail.put("projectId", b.projectId().value());
                detail.put("target", b.target().wireName());
                if (b.pr() == null) {
                    detail.putNull("pr");
                } else {
                    detail.put("pr", b.pr().value());
                }
                detail.put("commitSha", b.commitSha().value());
                detail.put("buildId", b.buildId().value());
                detail.put("requestId", b.requestId());
            }
            case PlatformEvent.PreviewTeardownRequested t -> {
                detail.put("projectId", t.projectId().value());
                detail.put("pr", t.pr().value());
            }
        }
        return detail;
    }

    /** {@code {"source":"platform","detail-type":"...","detail":{...}}} */
    public static String envelope(PlatformEvent event) {
        ObjectNode line = Json.object();
        line.put("source", PlatformEvent.SOURCE);
        line.put("detail-type", event.detailType());
        line.set("detail", detail(event));
        return Json.write(line);
    }
}
