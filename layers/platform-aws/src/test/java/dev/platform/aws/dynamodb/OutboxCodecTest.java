package dev.platform.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.orchestration.Stored;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxCodecTest {
    private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void everyEventKindRoundTripsThroughItsShortForm() {
        List<PlatformEvent> events = List.of(
                PlatformEvent.BuildRequested.preview("proj", 42, "a".repeat(40)),
                PlatformEvent.BuildRequested.production("proj", "b".repeat(40)),
                new PlatformEvent.PreviewTeardownRequested("proj", 42));
        for (PlatformEvent event : events) {
            Stored.OutboxEntry entry = new Stored.OutboxEntry("k#0", event, AT);
            String written = OutboxCodec.write(entry);
            assertTrue(written.length() < 80, written);
            assertEquals(entry, OutboxCodec.read("k#0", written, "proj"));
        }
    }

    @Test
    void anUnknownEntryIsAnErrorNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OutboxCodec.read("k#0", "1|deploy|x", "proj"));
        assertTrue(e.getMessage().contains("k#0"));
    }
}
