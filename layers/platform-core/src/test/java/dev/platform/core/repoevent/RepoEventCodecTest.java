package dev.platform.core.repoevent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.preview.PreviewCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepoEventCodecTest {
    @Test
    void pullRequestsAndPushesRoundTrip() {
        RepoEvent pr = new RepoEvent.PullRequest("d1", "O/R", null, PullRequestAction.READY_FOR_REVIEW, PrNumber.of(7), CommitSha.of("a".repeat(40)),
                "feature", "main", Instant.parse("2024-01-01T00:00:00Z"), true, true);
        RepoEvent push = new RepoEvent.Push("d2", "O/R", null, "refs/heads/main", CommitSha.of("b".repeat(40)), CommitSha.of("c".repeat(40)), true, false, 42);
        assertEquals(pr, RepoEventCodec.read(RepoEventCodec.write(pr)));
        assertEquals(push, RepoEventCodec.read(RepoEventCodec.write(push)));
    }

    @Test
    void approvalsAndPreviewCommandsRoundTrip() {
        List<RepoEvent> events = List.of(
                new RepoEvent.Approval("d3", "O/R", InstallationId.of(5), PrNumber.of(7), "maintainer", null),
                new RepoEvent.Approval("d4", "O/R", null, PrNumber.of(7), "maintainer", CommitSha.of("d".repeat(40))),
                new RepoEvent.PreviewCommand("d5", "O/R", InstallationId.of(5), PrNumber.of(7), "writer", 492700400L,
                        PreviewCommand.sleep(), null),
                new RepoEvent.PreviewCommand("d6", "O/R", null, PrNumber.of(7), "writer", 1L,
                        PreviewCommand.extend(Duration.ofMinutes(90)), null),
                new RepoEvent.PreviewCommand("d7", "O/R", InstallationId.of(5), PrNumber.of(7), "visitor", 3_000_000_000L,
                        null, "unknown command 'nap'"));
        for (RepoEvent event : events) {
            assertEquals(event, RepoEventCodec.read(RepoEventCodec.write(event)));
            assertEquals("o/r#pr-7", event.orderingKey(), "ordered with the pull request's pushes");
        }
    }

    @Test
    void aPreviewCommandMessageIsReadAsTheWebhookWritesIt() {
        String body = "{\"deliveryId\":\"d1\",\"repository\":\"O/R\",\"installation\":5,\"kind\":\"preview_command\","
                + "\"number\":7,\"login\":\"writer\",\"commentId\":9,\"command\":\"extend\",\"extendBy\":\"PT72H\"}";
        assertEquals(new RepoEvent.PreviewCommand("d1", "O/R", InstallationId.of(5), PrNumber.of(7), "writer", 9,
                PreviewCommand.extend(Duration.ofDays(3)), null), RepoEventCodec.read(body));
        assertEquals(body, RepoEventCodec.write(RepoEventCodec.read(body)));
        assertThrows(IllegalArgumentException.class, () -> RepoEventCodec.read(body.replace("PT72H", "P31D")),
                "an extension beyond 30 days is poison");
        assertThrows(IllegalArgumentException.class, () -> RepoEventCodec.read(body.replace("\"commentId\":9", "\"commentId\":0")));
        assertThrows(IllegalArgumentException.class, () -> RepoEventCodec.read(body.replace("\"extend\"", "\"nap\"")));
    }

    @Test
    void poisonMessagesAreRejectedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> RepoEventCodec.read("not json"));
        assertThrows(IllegalArgumentException.class, () -> RepoEventCodec.read("[]"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RepoEventCodec.read("{\"kind\":\"deployment\"}"));
        assertEquals("unknown repo event kind 'deployment'", e.getMessage());
    }
}
