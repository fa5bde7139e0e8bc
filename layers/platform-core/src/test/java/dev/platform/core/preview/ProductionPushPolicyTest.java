package dev.platform.core.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProductionPushPolicyTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);

    private static RepoEvent.Push push(String ref, String after, boolean deleted, long pushedAt) {
        return new RepoEvent.Push("d", "o/r", ref, "c".repeat(40), after, false, deleted, pushedAt);
    }

    private static Decision decide(ProductionBranch stored, RepoEvent.Push push) {
        return ProductionPushPolicy.decide(Optional.ofNullable(stored), push, "p1", "main", NOW);
    }

    @Test
    void aPushToTheProductionBranchRequestsAProductionBuild() {
        Decision.Changed changed = assertInstanceOf(Decision.Changed.class, decide(null, push("refs/heads/main", A, false, 100)));
        assertEquals(List.of(PlatformEvent.BuildRequested.production("p1", A)), changed.events());
        assertEquals(A, ((ProductionBranch) changed.next()).headSha());
    }

    @Test
    void tagsDeletionsAndOtherBranchesDoNothing() {
        assertInstanceOf(Decision.Unchanged.class, decide(null, push("refs/tags/v1", A, false, 100)));
        assertInstanceOf(Decision.Unchanged.class, decide(null, push("refs/heads/main", "0".repeat(40), true, 100)));
        assertInstanceOf(Decision.Unchanged.class, decide(null, push("refs/heads/feature", A, false, 100)));
        assertInstanceOf(Decision.Unchanged.class, decide(null, push("refs/heads/mainline", A, false, 100)));
    }

    @Test
    void olderAndRepeatedPushesDoNothing() {
        ProductionBranch stored = new ProductionBranch("p1", "main", B, 200, NOW);
        assertInstanceOf(Decision.Unchanged.class, decide(stored, push("refs/heads/main", A, false, 100)));
        assertInstanceOf(Decision.Unchanged.class, decide(stored, push("refs/heads/main", B, false, 200)));
        assertInstanceOf(Decision.Changed.class, decide(stored, push("refs/heads/main", A, false, 300)));
    }

    @Test
    void aBuildIdDependsOnProjectAndCommitOnly() {
        assertEquals(PlatformEvent.BuildRequested.preview("p1", 7, A).buildId(),
                PlatformEvent.BuildRequested.production("p1", A).buildId());
        assertEquals(34, PlatformEvent.BuildRequested.production("p1", A).buildId().length());
        org.junit.jupiter.api.Assertions.assertNotEquals(PlatformEvent.BuildRequested.production("p2", A).buildId(),
                PlatformEvent.BuildRequested.production("p1", A).buildId());
    }
}
