package dev.platform.core.repoevent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import java.time.Instant;
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
    void poisonMessagesAreRejectedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> RepoEventCodec.read("not json"));
        assertThrows(IllegalArgumentException.class, () -> RepoEventCodec.read("[]"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RepoEventCodec.read("{\"kind\":\"deployment\"}"));
        assertEquals("unknown repo event kind 'deployment'", e.getMessage());
    }
}
