package dev.platform.core.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreviewPolicyTest {
    private static final ProjectId P1 = ProjectId.of("p1");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T0 = Instant.parse("2019-05-15T15:20:33Z");

    static RepoEvent.PullRequest pr(PullRequestAction action, CommitSha sha, Instant updatedAt, boolean draft) {
        return new RepoEvent.PullRequest("d-" + action + sha + updatedAt, "Codertocat/Hello-World", null, action, PrNumber.of(2), sha,
                "changes", "master", updatedAt, draft, false);
    }

    static CommitSha sha(char c) {
        return CommitSha.of(String.valueOf(c).repeat(40));
    }

    private static Preview apply(Preview current, RepoEvent.PullRequest event) {
        Decision decision = PreviewPolicy.decide(Optional.ofNullable(current), event, P1, BuildSettings.DEFAULTS, NOW);
        return decision instanceof Decision.Changed c ? (Preview) c.next() : current;
    }

    private static List<PlatformEvent> events(Preview current, RepoEvent.PullRequest event) {
        Decision decision = PreviewPolicy.decide(Optional.ofNullable(current), event, P1, BuildSettings.DEFAULTS, NOW);
        return decision instanceof Decision.Changed c ? c.events() : List.of();
    }

    /** The build request a delivery owes: the image of its head, requested by it. */
    private static PlatformEvent build(RepoEvent.PullRequest event) {
        return PlatformEvent.BuildRequested.preview(P1, event.number(), event.headSha(), BuildSettings.DEFAULTS,
                event.deliveryId());
    }

    @Test
    void openedCreatesAPendingPreviewAndRequestsItsBuild() {
        var opened = pr(PullRequestAction.OPENED, sha('a'), T0, false);
        Decision decision = PreviewPolicy.decide(Optional.empty(), opened, P1, BuildSettings.DEFAULTS, NOW);
        Decision.Changed changed = assertInstanceOf(Decision.Changed.class, decision);
        Preview preview = (Preview) changed.next();
        assertEquals(PreviewStatus.PENDING, preview.status());
        assertEquals(sha('a'), preview.buildRequestedSha());
        assertEquals(List.of(build(opened)), changed.events());
    }

    @Test
    void synchronizeRecordsTheNewHeadAndRequestsABuild() {
        Preview opened = apply(null, pr(PullRequestAction.OPENED, sha('a'), T0, false));
        var sync = pr(PullRequestAction.SYNCHRONIZE, sha('b'), T0.plusSeconds(5), false);
        assertEquals(sha('b'), apply(opened, sync).headSha());
        assertEquals(List.of(build(sync)), events(opened, sync));
    }

    @Test
    void anOlderDeliveryChangesNothing() {
        Preview newer = apply(null, pr(PullRequestAction.SYNCHRONIZE, sha('b'), T0.plusSeconds(5), false));
        Decision decision = PreviewPolicy.decide(Optional.of(newer), pr(PullRequestAction.SYNCHRONIZE, sha('a'), T0, false), P1, BuildSettings.DEFAULTS, NOW);
        assertInstanceOf(Decision.Unchanged.class, decision);
    }

    @Test
    void theSameHeadTwiceRequestsOneBuild() {
        var opened = pr(PullRequestAction.OPENED, sha('a'), T0, false);
        Preview preview = apply(null, opened);
        assertInstanceOf(Decision.Unchanged.class, PreviewPolicy.decide(Optional.of(preview), opened, P1, BuildSettings.DEFAULTS, NOW));
        // GitHub's reopened/synchronize examples share opened's head and updated_at
        assertTrue(events(preview, pr(PullRequestAction.SYNCHRONIZE, sha('a'), T0, false)).isEmpty());
    }

    @Test
    void closedRequestsTeardownOnce() {
        Preview open = apply(null, pr(PullRequestAction.OPENED, sha('a'), T0, false));
        var closed = pr(PullRequestAction.CLOSED, sha('a'), T0.plusSeconds(45), false);
        assertEquals(List.of(new PlatformEvent.PreviewTeardownRequested(P1, PrNumber.of(2))), events(open, closed));
        Preview deleted = apply(open, closed);
        assertEquals(PreviewStatus.DELETED, deleted.status());
        assertTrue(events(deleted, closed).isEmpty(), "a repeated close tears down nothing more");
    }

    @Test
    void aClosedPreviewIgnoresLateDeliveriesAndAReopenAtTheSameInstant() {
        Preview deleted = apply(apply(null, pr(PullRequestAction.OPENED, sha('a'), T0, false)),
                pr(PullRequestAction.CLOSED, sha('a'), T0.plusSeconds(45), false));
        assertInstanceOf(Decision.Unchanged.class, PreviewPolicy.decide(Optional.of(deleted),
                pr(PullRequestAction.SYNCHRONIZE, sha('b'), T0.plusSeconds(10), false), P1, BuildSettings.DEFAULTS, NOW));
        assertInstanceOf(Decision.Unchanged.class, PreviewPolicy.decide(Optional.of(deleted),
                pr(PullRequestAction.REOPENED, sha('a'), T0.plusSeconds(45), false), P1, BuildSettings.DEFAULTS, NOW),
                "a reopen at the same instant as the close does not revive");
    }

    @Test
    void aSynchronizeThatOvertookTheReopenRevivesAtItsHeadAndTheLateReopenChangesNothing() {
        Preview deleted = apply(apply(null, pr(PullRequestAction.OPENED, sha('a'), T0, false)),
                pr(PullRequestAction.CLOSED, sha('a'), T0.plusSeconds(20), false));
        var synchronize = pr(PullRequestAction.SYNCHRONIZE, sha('c'), T0.plusSeconds(40), false);
        assertEquals(List.of(build(synchronize)), events(deleted, synchronize));
        Preview revived = apply(deleted, synchronize);
        assertEquals(PreviewStatus.PENDING, revived.status());
        assertEquals(sha('c'), revived.headSha());
        assertNull(revived.closedAt());
        assertInstanceOf(Decision.Unchanged.class, PreviewPolicy.decide(Optional.of(revived),
                pr(PullRequestAction.REOPENED, sha('a'), T0.plusSeconds(30), false), P1, BuildSettings.DEFAULTS, NOW));
    }

    @Test
    void anEditNewerThanTheCloseRevivesTooAndANewerCloseKeepsOlderReopensStale() {
        Preview deleted = apply(apply(null, pr(PullRequestAction.OPENED, sha('a'), T0, false)),
                pr(PullRequestAction.CLOSED, sha('a'), T0.plusSeconds(20), false));
        var edited = pr(PullRequestAction.EDITED, sha('a'), T0.plusSeconds(40), false);
        assertEquals(List.of(build(edited)), events(deleted, edited));

        Preview closedLater = apply(deleted, pr(PullRequestAction.CLOSED, sha('a'), T0.plusSeconds(60), false));
        assertEquals(PreviewStatus.DELETED, closedLater.status());
        assertEquals(T0.plusSeconds(60), closedLater.prUpdatedAt());
        assertInstanceOf(Decision.Unchanged.class, PreviewPolicy.decide(Optional.of(closedLater),
                pr(PullRequestAction.REOPENED, sha('a'), T0.plusSeconds(30), false), P1, BuildSettings.DEFAULTS, NOW),
                "a reopen between two closes is stale");
    }

    @Test
    void aNewerReopenRevivesAndRebuilds() {
        Preview deleted = apply(apply(null, pr(PullRequestAction.OPENED, sha('a'), T0, false)),
                pr(PullRequestAction.CLOSED, sha('a'), T0.plusSeconds(45), false));
        var reopened = pr(PullRequestAction.REOPENED, sha('a'), T0.plusSeconds(60), false);
        Preview revived = apply(deleted, reopened);
        assertEquals(PreviewStatus.PENDING, revived.status());
        assertNull(revived.closedAt());
        assertEquals(List.of(build(reopened)), events(deleted, reopened));
    }

    @Test
    void aCloseSeenFirstBlocksALateOpen() {
        Preview closedFirst = apply(null, pr(PullRequestAction.CLOSED, sha('a'), T0.plusSeconds(45), false));
        assertEquals(PreviewStatus.DELETED, closedFirst.status());
        assertInstanceOf(Decision.Unchanged.class, PreviewPolicy.decide(Optional.of(closedFirst),
                pr(PullRequestAction.OPENED, sha('a'), T0, false), P1, BuildSettings.DEFAULTS, NOW));
    }

    @Test
    void draftsDoNotBuildUntilReadyForReview() {
        var openedDraft = pr(PullRequestAction.OPENED, sha('a'), T0, true);
        Preview draft = apply(null, openedDraft);
        assertTrue(events(null, openedDraft).isEmpty());
        var pushToDraft = pr(PullRequestAction.SYNCHRONIZE, sha('b'), T0.plusSeconds(5), true);
        assertTrue(events(draft, pushToDraft).isEmpty());
        Preview updatedDraft = apply(draft, pushToDraft);
        assertEquals(sha('b'), updatedDraft.headSha());
        var ready = pr(PullRequestAction.READY_FOR_REVIEW, sha('b'), T0.plusSeconds(9), false);
        assertEquals(List.of(build(ready)), events(updatedDraft, ready));
    }

    @Test
    void convertedToDraftStopsBuildingNewCommitsButKeepsThePreview() {
        Preview open = apply(null, pr(PullRequestAction.OPENED, sha('a'), T0, false));
        Preview draft = apply(open, pr(PullRequestAction.CONVERTED_TO_DRAFT, sha('a'), T0.plusSeconds(5), true));
        assertEquals(PreviewStatus.PENDING, draft.status());
        assertTrue(events(draft, pr(PullRequestAction.SYNCHRONIZE, sha('b'), T0.plusSeconds(9), true)).isEmpty());
        Preview readyAgain = apply(draft, pr(PullRequestAction.READY_FOR_REVIEW, sha('a'), T0.plusSeconds(12), false));
        assertTrue(events(draft, pr(PullRequestAction.READY_FOR_REVIEW, sha('a'), T0.plusSeconds(12), false)).isEmpty(),
                "the head was built before it became a draft");
        assertEquals(sha('a'), readyAgain.buildRequestedSha());
    }
}
