package dev.platform.core.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.Json;
import dev.platform.core.preview.PreviewCommand;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlatformEventCodecTest {
    private static final ProjectId PROJECT = ProjectId.of("hello-world");

    @Test
    void aPreviewCommandRequestIsWrittenWithWireNamesAndReadBack() throws Exception {
        var extend = new PlatformEvent.PreviewCommandRequested(PROJECT, PrNumber.of(2), PreviewCommand.Kind.EXTEND,
                Duration.ofDays(3), "Codertocat", 492700400L, "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertEquals(Json.MAPPER.readTree("""
                {"projectId":"hello-world","pr":2,"command":"extend","extendBy":"PT72H","requestedBy":"Codertocat",
                 "commentId":492700400,"deliveryId":"72d3162e-cc78-11e3-81ab-4c9367dc0958"}"""),
                Json.MAPPER.readTree(Json.write(PlatformEventCodec.detail(extend))), "the detail as the bus carries it");
        assertEquals(extend, PlatformEventCodec.read("PreviewCommandRequested", PlatformEventCodec.detail(extend)));

        var sleep = new PlatformEvent.PreviewCommandRequested(PROJECT, PrNumber.of(2), PreviewCommand.Kind.SLEEP, null,
                "Codertocat", 3_000_000_000L, "d-1");
        String envelope = PlatformEventCodec.envelope(sleep);
        assertTrue(envelope.startsWith("{\"source\":\"platform\",\"detail-type\":\"PreviewCommandRequested\""), envelope);
        var detail = Json.MAPPER.readTree(envelope).path("detail");
        assertTrue(detail.get("extendBy").isNull(), "extendBy is null for every command but extend");
        assertEquals("sleep", detail.path("command").asText());
        assertEquals(sleep, PlatformEventCodec.read("PreviewCommandRequested", detail));
    }

    @Test
    void aPreviewCommandRequestThatIsWrongSaysWhere() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> PlatformEventCodec.read(
                "PreviewCommandRequested", """
                {"projectId":"p","pr":2,"command":"nap","extendBy":null,"requestedBy":"u","commentId":1,"deliveryId":"d"}"""));
        assertTrue(unknown.getMessage().contains("unknown preview command 'nap'"), unknown.getMessage());
        IllegalArgumentException duration = assertThrows(IllegalArgumentException.class, () -> PlatformEventCodec.read(
                "PreviewCommandRequested", """
                {"projectId":"p","pr":2,"command":"extend","extendBy":"3 days","requestedBy":"u","commentId":1,"deliveryId":"d"}"""));
        assertTrue(duration.getMessage().contains("'extendBy'"), duration.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PlatformEventCodec.read("PreviewCommandRequested", """
                {"projectId":"p","pr":2,"command":"sleep","extendBy":"P1D","requestedBy":"u","commentId":1,"deliveryId":"d"}"""),
                "a duration on anything but extend");
    }
}
