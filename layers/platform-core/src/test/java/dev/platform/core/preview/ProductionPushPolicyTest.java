package dev.platform.core.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProductionPushPolicyTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final CommitSha A = CommitSha.of("a".repeat(40));
    private static final CommitSha B = CommitSha.of("b".repeat(40));
    private static final ProjectId P1 = ProjectId.of("p1");

    private static RepoEvent.Push push(String ref, CommitSha after, boolean deleted, long pushedAt) {
        return new RepoEvent.Push("d", "o/r", null, ref, CommitSha.of("c".repeat(40)), after, false, deleted, pushedAt);
    }

    private static Decision decide(ProductionBranch stored, RepoEvent.Push push) {
        return ProductionPushPolicy.decide(Optional.ofNullable(stored), push, P1, "main", BuildSettings.DEFAULTS, NOW);
    }

    @Test
    void aPushToTheProductionBranchRequestsAProductionBuild() {
        RepoEvent.Push push = push("refs/heads/main", A, false, 100);
        Decision.Changed changed = assertInstanceOf(Decision.Changed.class, decide(null, push));
        assertEquals(List.of(PlatformEvent.BuildRequested.production(P1, A, BuildSettings.DEFAULTS, push.deliveryId())),
                changed.events());
        assertEquals(A, ((ProductionBranch) changed.next()).headSha());
    }

    @Test
    void tagsDeletionsAndOtherBranchesDoNothing() {
        assertInstanceOf(Decision.Unchanged.class, decide(null, push("refs/tags/v1", A, false, 100)));
        assertInstanceOf(Decision.Unchanged.class, decide(null, push("refs/heads/main", CommitSha.ZERO, true, 100)));
        assertInstanceOf(Decision.Unchanged.class, decide(null, push("refs/heads/feature", A, false, 100)));
        assertInstanceOf(Decision.Unchanged.class, decide(null, push("refs/heads/mainline", A, false, 100)));
    }

    @Test
    void olderAndRepeatedPushesDoNothing() {
        ProductionBranch stored = new ProductionBranch(P1, "main", B, 200, NOW);
        assertInstanceOf(Decision.Unchanged.class, decide(stored, push("refs/heads/main", A, false, 100)));
        assertInstanceOf(Decision.Unchanged.class, decide(stored, push("refs/heads/main", B, false, 200)));
        assertInstanceOf(Decision.Changed.class, decide(stored, push("refs/heads/main", A, false, 300)));
    }

    /**
     * A build is an image of (project, commit, build settings): a preview and production at one commit,
     * or two pull requests at one head, name the same build, and each request says who asked.
     */
    @Test
    void aBuildIdNamesTheImageAndARequestIdNamesWhoAsked() {
        var preview = PlatformEvent.BuildRequested.preview(P1, PrNumber.of(7), A, BuildSettings.DEFAULTS, "delivery-1");
        var otherPr = PlatformEvent.BuildRequested.preview(P1, PrNumber.of(8), A, BuildSettings.DEFAULTS, "delivery-1");
        var production = PlatformEvent.BuildRequested.production(P1, A, BuildSettings.DEFAULTS, "delivery-2");
        assertEquals(preview.buildId(), production.buildId());
        assertEquals(preview.buildId(), otherPr.buildId());
        assertEquals(34, preview.buildId().value().length());
        assertNotEquals(preview.requestId(), otherPr.requestId());
        assertNotEquals(preview.requestId(), production.requestId());
        assertEquals(preview, PlatformEvent.BuildRequested.preview(P1, PrNumber.of(7), A, BuildSettings.DEFAULTS, "delivery-1"),
                "the same delivery asks with the same request id, so a re-published event is the same event");

        assertNotEquals(preview.buildId(), PlatformEvent.BuildRequested.preview(ProjectId.of("p2"), PrNumber.of(7), A, BuildSettings.DEFAULTS, "d").buildId());
        assertNotEquals(preview.buildId(), PlatformEvent.BuildRequested.preview(P1, PrNumber.of(7), B, BuildSettings.DEFAULTS, "d").buildId());
        BuildSettings otherDockerfile = new BuildSettings("docker/web.Dockerfile", ".", "");
        assertNotEquals(preview.buildId(), PlatformEvent.BuildRequested.preview(P1, PrNumber.of(7), A, otherDockerfile, "d").buildId());
        BuildSettings otherStage = new BuildSettings("Dockerfile", ".", "runtime");
        assertNotEquals(preview.buildId(), PlatformEvent.BuildRequested.preview(P1, PrNumber.of(7), A, otherStage, "d").buildId());
    }
}
