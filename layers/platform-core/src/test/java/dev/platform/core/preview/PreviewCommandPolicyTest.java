package dev.platform.core.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.github.app.CommentReactions.Reaction;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PreviewCommandPolicyTest {
    private static final ProjectId P1 = ProjectId.of("p1");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T0 = Instant.parse("2019-05-15T15:20:33Z");

    private final AtomicInteger permissionChecks = new AtomicInteger();

    private Supplier<RepositoryPermission> permission(RepositoryPermission granted) {
        return () -> {
            permissionChecks.incrementAndGet();
            return granted;
        };
    }

    private static Preview live() {
        var opened = PreviewPolicyTest.pr(PullRequestAction.OPENED, PreviewPolicyTest.sha('a'), T0, false);
        var decision = PreviewPolicy.decide(Optional.empty(), opened, P1, BuildSettings.DEFAULTS, NOW);
        return (Preview) ((Decision.Changed) decision).next();
    }

    private static Preview closed() {
        var close = PreviewPolicyTest.pr(PullRequestAction.CLOSED, PreviewPolicyTest.sha('a'), T0.plusSeconds(5), false);
        var decision = PreviewPolicy.decide(Optional.of(live()), close, P1, BuildSettings.DEFAULTS, NOW);
        return (Preview) ((Decision.Changed) decision).next();
    }

    private static RepoEvent.PreviewCommand command(PreviewCommand command) {
        return new RepoEvent.PreviewCommand("d-cmd", "Codertocat/Hello-World", InstallationId.of(1), PrNumber.of(2),
                "octocat", 492700400L, command, null);
    }

    @Test
    void writeMaintainAndAdminMayCommandALivePreview() {
        for (RepositoryPermission granted : List.of(RepositoryPermission.WRITE, RepositoryPermission.MAINTAIN,
                RepositoryPermission.ADMIN)) {
            Preview preview = live();
            var answer = PreviewCommandPolicy.decide(Optional.of(preview),
                    command(PreviewCommand.extend(Duration.ofHours(12))), permission(granted));
            Decision.Changed changed = assertInstanceOf(Decision.Changed.class, answer.decision(), granted.name());
            assertSame(preview, changed.next(), "the preview itself does not change");
            assertEquals(List.of(new PlatformEvent.PreviewCommandRequested(P1, PrNumber.of(2), PreviewCommand.Kind.EXTEND,
                    Duration.ofHours(12), "octocat", 492700400L, "d-cmd")), changed.events());
            assertEquals(Reaction.EYES, answer.reaction());
        }
    }

    @Test
    void readAndTriageMayNot() {
        for (RepositoryPermission granted : List.of(RepositoryPermission.NONE, RepositoryPermission.READ,
                RepositoryPermission.TRIAGE)) {
            var answer = PreviewCommandPolicy.decide(Optional.of(live()), command(PreviewCommand.sleep()), permission(granted));
            Decision.Unchanged unchanged = assertInstanceOf(Decision.Unchanged.class, answer.decision(), granted.name());
            assertEquals("/preview sleep by octocat ignored: their permission is " + granted.wireName()
                    + "; write, maintain or admin may command previews", unchanged.reason());
            assertEquals(Reaction.CONFUSED, answer.reaction());
        }
    }

    @Test
    void withoutALivePreviewNothingHappensAndNobodyIsAsked() {
        for (Optional<Preview> stored : List.of(Optional.<Preview>empty(), Optional.of(closed()))) {
            var answer = PreviewCommandPolicy.decide(stored, command(PreviewCommand.wake()), permission(RepositoryPermission.ADMIN));
            Decision.Unchanged unchanged = assertInstanceOf(Decision.Unchanged.class, answer.decision());
            assertEquals("no live preview for #2: /preview wake by octocat ignored", unchanged.reason());
            assertNull(answer.reaction());
        }
        assertEquals(0, permissionChecks.get());
    }

    @Test
    void aRefusedCommandIsAnsweredConfusedWithoutAskingForPermission() {
        var refused = new RepoEvent.PreviewCommand("d-cmd", "Codertocat/Hello-World", InstallationId.of(1), PrNumber.of(2),
                "octocat", 492700400L, null, "an extension is at most 30 days, not '45d'");
        var answer = PreviewCommandPolicy.decide(Optional.of(live()), refused, permission(RepositoryPermission.ADMIN));
        Decision.Unchanged unchanged = assertInstanceOf(Decision.Unchanged.class, answer.decision());
        assertTrue(unchanged.reason().endsWith("refused: an extension is at most 30 days, not '45d'"), unchanged.reason());
        assertEquals(Reaction.CONFUSED, answer.reaction());
        assertEquals(0, permissionChecks.get());
    }
}
