package dev.platform.aws.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.platform.core.ids.CommitSha;
import dev.platform.core.repoevent.RepoEvent;
import org.junit.jupiter.api.Test;

/** Ordering keys become FIFO group ids within SQS's rules (128 printable ASCII characters). */
class SqsGroupIdTest {
    @Test
    void ordinaryKeysAreTheGroupIdAsTheyAre() {
        RepoEvent.Push push = new RepoEvent.Push("d", "Octo/Repo", null, "refs/heads/main", CommitSha.of("a".repeat(40)), CommitSha.of("b".repeat(40)),
                false, false, 1);
        assertEquals("octo/repo#refs/heads/main", SqsRepoEventQueue.messageGroupId(push));
    }

    @Test
    void longOrUnusualRefsGetAValidStableGroupId() {
        RepoEvent.Push push = new RepoEvent.Push("d", "o/r", null, "refs/heads/" + "é".repeat(200), CommitSha.of("a".repeat(40)),
                CommitSha.of("b".repeat(40)), false, false, 1);
        String group = SqsRepoEventQueue.messageGroupId(push);
        assertEquals(66, group.length());
        assertEquals(group, SqsRepoEventQueue.messageGroupId(new RepoEvent.Push("x", "O/R", null, push.ref(), CommitSha.of("c".repeat(40)),
                CommitSha.of("d".repeat(40)), false, false, 2)), "stable per repository and ref");
    }
}
