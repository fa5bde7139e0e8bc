package dev.platform.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.Stored;
import dev.platform.core.preview.PreviewCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxCodecTest {
    private static final ProjectId PROJECT = ProjectId.of("proj");
    private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void everyEventKindRoundTripsThroughItsShortForm() {
        String deliveryId = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
        BuildSettings custom = new BuildSettings("web/Dockerfile", "web", "runtime");
        List<PlatformEvent> events = List.of(
                PlatformEvent.BuildRequested.preview(PROJECT, PrNumber.of(42), CommitSha.of("a".repeat(40)), BuildSettings.DEFAULTS, deliveryId),
                PlatformEvent.BuildRequested.production(PROJECT, CommitSha.of("b".repeat(40)), custom, deliveryId),
                new PlatformEvent.PreviewTeardownRequested(PROJECT, PrNumber.of(42)));
        List<Stored.OutboxEntry> entries = Stored.OutboxEntry.of(deliveryId, events, AT);
        for (Stored.OutboxEntry entry : entries) {
            String written = OutboxCodec.write(entry);
            assertTrue(written.length() < 120, written);
            assertEquals(entry, OutboxCodec.read(entry.key(), written, PROJECT),
                    "the same event, request id included, comes back from the outbox");
        }
    }

    @Test
    void commandRequestsRoundTripWithTheirDeliveryIdWhateverItHolds() {
        List<PlatformEvent> events = List.of(
                new PlatformEvent.PreviewCommandRequested(PROJECT, PrNumber.of(42), PreviewCommand.Kind.EXTEND,
                        Duration.ofDays(30), "dependabot[bot]", 3_000_000_000L, "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
                new PlatformEvent.PreviewCommandRequested(PROJECT, PrNumber.of(42), PreviewCommand.Kind.SLEEP, null,
                        "octocat", 1L, "a|delivery|id"));
        for (Stored.OutboxEntry entry : Stored.OutboxEntry.of("d-command", events, AT)) {
            String written = OutboxCodec.write(entry);
            assertTrue(written.length() < 150, written);
            assertEquals(entry, OutboxCodec.read(entry.key(), written, PROJECT));
        }
    }

    @Test
    void anUnknownEntryIsAnErrorNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OutboxCodec.read("k#0", "1|deploy|x", PROJECT));
        assertTrue(e.getMessage().contains("k#0"));
    }
}
