package dev.platform.core.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.PreviewCommand;
import dev.platform.core.preview.PreviewStatus;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The orchestration's rules against an in-memory store: duplicates, lost races, crashes and the outbox lease. */
class OrchestrateRepoEventTest {
    private static final String REPO = "Codertocat/Hello-World";
    private static final ProjectId P1 = ProjectId.of("p1");
    private static final Instant T0 = Instant.parse("2019-05-15T15:20:33Z");

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final List<PlatformEvent> published = new ArrayList<>();
    private Instant now = Instant.parse("2026-11-25T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final OrchestrateRepoEvent orchestrate = new OrchestrateRepoEvent(store, store, store, store, published::addAll, clock);

    OrchestrateRepoEventTest() {
        store.link(new ProjectLink(P1, "t1", REPO, "main"));
    }

    private static RepoEvent.PullRequest pr(String delivery, PullRequestAction action, int number, char sha, Instant at) {
        return new RepoEvent.PullRequest(delivery, REPO, null, action, PrNumber.of(number), CommitSha.of(String.valueOf(sha).repeat(40)), "feature", "main",
                at, false, false);
    }

    private static PlatformEvent build(RepoEvent.PullRequest event) {
        return PlatformEvent.BuildRequested.preview(P1, event.number(), event.headSha(), BuildSettings.DEFAULTS,
                event.deliveryId());
    }

    @Test
    void theSameDeliveryTwiceIsOneChangeAndOneEvent() {
        RepoEvent.PullRequest opened = pr("d1", PullRequestAction.OPENED, 1, 'a', T0);
        assertTrue(orchestrate.handle(opened).get(0).changed());
        OrchestrateRepoEvent.Outcome again = orchestrate.handle(opened).get(0);
        assertFalse(again.changed());
        assertTrue(again.reason().startsWith("duplicate delivery"), again.reason());
        assertEquals(List.of(build(opened)), published);
        assertEquals(1, store.preview(P1, PrNumber.of(1)).orElseThrow().version());
    }

    @Test
    void aLostRaceIsRetriedAgainstTheNewState() {
        orchestrate.handle(pr("d1", PullRequestAction.OPENED, 2, 'a', T0));
        RepoEvent.PullRequest older = pr("d-older", PullRequestAction.SYNCHRONIZE, 2, 'b', T0.plusSeconds(10));
        RepoEvent.PullRequest newer = pr("d-newer", PullRequestAction.SYNCHRONIZE, 2, 'c', T0.plusSeconds(20));
        AtomicBoolean raced = new AtomicBoolean();
        store.beforeCommit = () -> {
            if (raced.compareAndSet(false, true)) {
                orchestrate.handle(newer); // another environment commits first
            }
        };
        OrchestrateRepoEvent.Outcome outcome = orchestrate.handle(older).get(0);

        assertFalse(outcome.changed(), "re-read after the lost race, the older delivery is stale");
        Stored<Preview> stored = store.preview(P1, PrNumber.of(2)).orElseThrow();
        assertEquals(CommitSha.of("c".repeat(40)), stored.state().headSha());
        assertEquals(2, stored.version());
        assertEquals(List.of(build(pr("d1", PullRequestAction.OPENED, 2, 'a', T0)), build(newer)), published);
    }

    @Test
    void racesLostEveryTimeAreThrownForTheQueueToRedeliver() {
        AtomicInteger other = new AtomicInteger();
        store.beforeCommit = () -> {
            int n = other.incrementAndGet();
            Preview competing = new Preview(P1, PrNumber.of(3), PreviewStatus.PENDING, CommitSha.of("f".repeat(40)), "x", T0.minusSeconds(100 - n),
                    false, false, null, null, null, null, now, now, null, now);
            long version = store.preview(P1, PrNumber.of(3)).map(Stored::version).orElse(0L);
            store.put(new Stored<>(competing, version + 1, List.of(), List.of()));
        };
        assertThrows(DeploymentStateStore.ConcurrentUpdateException.class,
                () -> orchestrate.handle(pr("d1", PullRequestAction.OPENED, 3, 'a', T0)));
        assertEquals(OrchestrateRepoEvent.MAX_ATTEMPTS, store.commits);
        assertTrue(published.isEmpty());
    }

    @Test
    void aCrashAfterTheCommitIsRepairedByTheRedeliveryWithoutDuplicates() {
        RepoEvent.PullRequest opened = pr("d1", PullRequestAction.OPENED, 4, 'a', T0);
        OrchestrateRepoEvent crashing = new OrchestrateRepoEvent(store, store, store, store, events -> {
            throw new IllegalStateException("bus unavailable");
        }, clock);
        assertThrows(IllegalStateException.class, () -> crashing.handle(opened));
        assertEquals(1, store.preview(P1, PrNumber.of(4)).orElseThrow().outbox().size(), "the change kept its event");

        orchestrate.handle(opened);
        orchestrate.handle(opened);
        assertEquals(List.of(build(opened)), published);
        assertTrue(store.preview(P1, PrNumber.of(4)).orElseThrow().outbox().isEmpty());
    }

    @Test
    void anotherWritersEntriesWaitForTheLeaseThenTheNextReaderPublishesThem() {
        RepoEvent.PullRequest opened = pr("d1", PullRequestAction.OPENED, 5, 'a', T0);
        orchestrate.handle(opened);
        // a writer that committed and died before publishing: its entry sits in the outbox
        Stored<Preview> current = store.preview(P1, PrNumber.of(5)).orElseThrow();
        PlatformEvent orphan = PlatformEvent.BuildRequested.preview(P1, PrNumber.of(5), CommitSha.of("e".repeat(40)), BuildSettings.DEFAULTS, "d-dead");
        store.put(new Stored<>(current.state(), current.version(),
                Stored.OutboxEntry.of("d-dead", List.of(orphan), now), current.recentDeliveries()));
        published.clear();

        now = now.plus(OrchestrateRepoEvent.OUTBOX_LEASE.minus(Duration.ofSeconds(1)));
        orchestrate.handle(pr("d2", PullRequestAction.EDITED, 5, 'a', T0.plusSeconds(5)));
        assertTrue(published.isEmpty(), "within the lease the entry belongs to its writer");

        now = now.plus(Duration.ofSeconds(2));
        orchestrate.handle(pr("d3", PullRequestAction.EDITED, 5, 'a', T0.plusSeconds(9)));
        assertEquals(List.of(orphan), published, "past the lease the next reader publishes it, once");
        assertTrue(store.preview(P1, PrNumber.of(5)).orElseThrow().outbox().isEmpty());
    }

    @Test
    void aRepositoryWithoutProjectsChangesNothing() {
        RepoEvent.PullRequest elsewhere = new RepoEvent.PullRequest("d1", "someone/else", null, PullRequestAction.OPENED, PrNumber.of(1),
                CommitSha.of("a".repeat(40)), "f", "main", T0, false, false);
        assertEquals(List.of(), orchestrate.handle(elsewhere));
        assertTrue(published.isEmpty());
    }

    @Test
    void aBatchReadsEachStateOnceAndPublishesItsEventsTogetherInOrder() {
        List<List<PlatformEvent>> calls = new ArrayList<>();
        OrchestrateRepoEvent counting = new OrchestrateRepoEvent(store, store, store, store, events -> {
            calls.add(List.copyOf(events));
            published.addAll(events);
        }, clock);
        RepoEvent.PullRequest opened = pr("d1", PullRequestAction.OPENED, 6, 'a', T0);
        RepoEvent.PullRequest pushed = pr("d2", PullRequestAction.SYNCHRONIZE, 6, 'b', T0.plusSeconds(5));
        RepoEvent.PullRequest other = pr("d3", PullRequestAction.OPENED, 7, 'c', T0);
        OrchestrateRepoEvent.Batch batch = counting.batch();
        for (RepoEvent.PullRequest event : List.of(opened, pushed, opened, other)) {
            batch.handle(event);
        }
        assertTrue(published.isEmpty(), "nothing is published before the batch ends");
        batch.publish();

        assertEquals(List.of(List.of(build(opened), build(pushed), build(other))), calls, "one publish, in commit order");
        assertEquals(1, store.linkQueries, "the repository's projects are read once per batch");
        assertEquals(2, store.reads, "each state is read once; later messages start from what the batch committed");
        assertEquals(3, store.commits);
        assertEquals(2, store.outboxRemovals, "one outbox removal per state");
        assertTrue(store.preview(P1, PrNumber.of(6)).orElseThrow().outbox().isEmpty());
        assertEquals(2, store.preview(P1, PrNumber.of(6)).orElseThrow().version());
    }

    @Test
    void aBatchWhosePublishFailsKeepsItsEventsForTheRedeliveryToPublishOnce() {
        RepoEvent.PullRequest opened = pr("d1", PullRequestAction.OPENED, 8, 'a', T0);
        RepoEvent.PullRequest pushed = pr("d2", PullRequestAction.SYNCHRONIZE, 8, 'b', T0.plusSeconds(5));
        OrchestrateRepoEvent.Batch failing = new OrchestrateRepoEvent(store, store, store, store, events -> {
            throw new IllegalStateException("bus unavailable");
        }, clock).batch();
        failing.handle(opened);
        failing.handle(pushed);
        assertThrows(IllegalStateException.class, failing::publish);
        assertEquals(2, store.preview(P1, PrNumber.of(8)).orElseThrow().outbox().size(), "both changes kept their events");

        OrchestrateRepoEvent.Batch redelivery = orchestrate.batch();
        redelivery.handle(opened);
        redelivery.handle(pushed);
        redelivery.publish();
        assertEquals(List.of(build(opened), build(pushed)), published);
        assertTrue(store.preview(P1, PrNumber.of(8)).orElseThrow().outbox().isEmpty());
    }

    private static RepoEvent.PullRequest fork(String delivery, PullRequestAction action, int number, char sha, Instant at) {
        return new RepoEvent.PullRequest(delivery, REPO, InstallationId.of(9), action, PrNumber.of(number),
                CommitSha.of(String.valueOf(sha).repeat(40)), "feature", "main", at, false, true);
    }

    private static RepoEvent.Approval approval(String delivery, int number, String login, CommitSha head) {
        return new RepoEvent.Approval(delivery, REPO, InstallationId.of(9), PrNumber.of(number), login, head);
    }

    @Test
    void aForkBuildsOnlyAHeadSomeoneWithWritePermissionApproved() {
        RepoEvent.PullRequest opened = fork("f1", PullRequestAction.OPENED, 20, 'a', T0);
        orchestrate.handle(opened);
        assertTrue(published.isEmpty(), "no build before an approval");
        Preview waiting = store.preview(P1, PrNumber.of(20)).orElseThrow().state();
        assertEquals(PreviewStatus.AWAITING_APPROVAL, waiting.status());
        assertTrue(waiting.statusReason().contains("/preview approve"), waiting.statusReason());

        store.permission = dev.platform.core.github.app.RepositoryPermission.READ;
        OrchestrateRepoEvent.Outcome refused = orchestrate.handle(approval("f2", 20, "visitor", null)).getFirst();
        assertFalse(refused.changed());
        assertTrue(refused.reason().contains("their permission is read"), refused.reason());
        assertTrue(published.isEmpty());

        store.permission = dev.platform.core.github.app.RepositoryPermission.MAINTAIN;
        orchestrate.handle(approval("f3", 20, "maintainer", null));
        assertEquals(List.of(PlatformEvent.BuildRequested.preview(P1, PrNumber.of(20), opened.headSha(),
                BuildSettings.DEFAULTS, "f3")), published, "the approved head builds");
        assertEquals(opened.headSha(), store.preview(P1, PrNumber.of(20)).orElseThrow().state().approvedSha());
        assertEquals(List.of("visitor", "maintainer"), store.permissionChecks);

        RepoEvent.PullRequest pushed = fork("f4", PullRequestAction.SYNCHRONIZE, 20, 'b', T0.plusSeconds(10));
        orchestrate.handle(pushed);
        assertEquals(1, published.size(), "a new commit needs a new approval");
        assertEquals(PreviewStatus.AWAITING_APPROVAL, store.preview(P1, PrNumber.of(20)).orElseThrow().state().status());

        OrchestrateRepoEvent.Outcome stale = orchestrate.handle(approval("f5", 20, "maintainer", opened.headSha())).getFirst();
        assertFalse(stale.changed(), "a label on the older head approves nothing now");
        orchestrate.handle(approval("f6", 20, "maintainer", pushed.headSha()));
        assertEquals(2, published.size());
        orchestrate.handle(approval("f7", 20, "maintainer", pushed.headSha()));
        assertEquals(2, published.size(), "approving an approved head again builds nothing more");
    }

    @Test
    void pullRequestsFromTheRepositoryItselfNeedNoApproval() {
        orchestrate.handle(pr("n1", PullRequestAction.OPENED, 21, 'a', T0));
        assertEquals(1, published.size());
        assertFalse(orchestrate.handle(approval("n2", 21, "maintainer", null)).getFirst().changed());
        assertTrue(store.permissionChecks.isEmpty(), "nobody's permission is asked for nothing");
    }

    @Test
    void theInstallationOfEachProjectFollowsDeliveriesAndInstallationEvents() {
        orchestrate.handle(fork("i1", PullRequestAction.OPENED, 22, 'a', T0));
        assertEquals(InstallationId.of(9), store.project(P1).orElseThrow().installation(), "learnt from a delivery");
        orchestrate.handle(pr("i2", PullRequestAction.SYNCHRONIZE, 22, 'b', T0.plusSeconds(1)));
        assertEquals(InstallationId.of(9), store.project(P1).orElseThrow().installation(),
                "a delivery without an installation forgets none");

        orchestrate.handle(new RepoEvent.Installation("i3", InstallationId.of(10), "added", List.of(REPO), List.of()));
        assertEquals(InstallationId.of(10), store.project(P1).orElseThrow().installation());
        orchestrate.handle(new RepoEvent.Installation("i4", InstallationId.of(9), "removed", List.of(), List.of(REPO)));
        assertEquals(InstallationId.of(10), store.project(P1).orElseThrow().installation(), "another installation's removal");
        orchestrate.handle(new RepoEvent.Installation("i5", InstallationId.of(10), "deleted", List.of(), List.of(REPO)));
        assertNull(store.project(P1).orElseThrow().installation());
    }
    private static RepoEvent.PreviewCommand command(String delivery, int number, String login, PreviewCommand command) {
        return new RepoEvent.PreviewCommand(delivery, REPO, InstallationId.of(9), PrNumber.of(number), login, 700 + number,
                command, null);
    }

    @Test
    void aPermittedCommandOnALivePreviewIsOneEventPerDeliveryAndAnsweredWithEyes() {
        orchestrate.handle(pr("c1", PullRequestAction.OPENED, 30, 'a', T0));
        published.clear();
        store.permission = RepositoryPermission.WRITE;
        RepoEvent.PreviewCommand extend = command("c2", 30, "writer", PreviewCommand.extend(Duration.ofDays(3)));

        OrchestrateRepoEvent.Outcome outcome = orchestrate.handle(extend).getFirst();
        OrchestrateRepoEvent.Outcome again = orchestrate.handle(extend).getFirst();

        assertTrue(outcome.changed(), outcome.reason());
        assertTrue(again.reason().startsWith("duplicate delivery"), again.reason());
        assertEquals(List.of(new PlatformEvent.PreviewCommandRequested(P1, PrNumber.of(30), PreviewCommand.Kind.EXTEND,
                Duration.ofDays(3), "writer", 730, "c2")), published, "one event for the delivery seen twice");
        assertEquals(List.of("730 eyes"), store.reactions, "answered once");
        assertEquals(List.of("writer"), store.permissionChecks, "the duplicate asked nobody's permission");
        Stored<Preview> stored = store.preview(P1, PrNumber.of(30)).orElseThrow();
        assertTrue(stored.outbox().isEmpty(), "published, then removed from the outbox");
        assertTrue(stored.changedBy("c2"));
        assertEquals(CommitSha.of("a".repeat(40)), stored.state().headSha(), "the preview itself is as it was");
    }

    @Test
    void aCommandBySomeoneWithoutWritePermissionIsAnsweredConfusedAndChangesNothing() {
        orchestrate.handle(pr("c1", PullRequestAction.OPENED, 31, 'a', T0));
        published.clear();
        store.permission = RepositoryPermission.TRIAGE;

        OrchestrateRepoEvent.Outcome outcome = orchestrate.handle(command("c2", 31, "visitor", PreviewCommand.sleep())).getFirst();

        assertFalse(outcome.changed());
        assertTrue(outcome.reason().contains("their permission is triage"), outcome.reason());
        assertTrue(published.isEmpty());
        assertEquals(List.of("731 confused"), store.reactions);
        assertEquals(1, store.preview(P1, PrNumber.of(31)).orElseThrow().version(), "nothing written");
    }

    @Test
    void aCommandOnAClosedOrMissingPreviewIsIgnoredWithoutAnAnswer() {
        orchestrate.handle(pr("c1", PullRequestAction.OPENED, 32, 'a', T0));
        orchestrate.handle(pr("c2", PullRequestAction.CLOSED, 32, 'a', T0.plusSeconds(5)));
        published.clear();

        OrchestrateRepoEvent.Outcome closed = orchestrate.handle(command("c3", 32, "writer", PreviewCommand.wake())).getFirst();
        OrchestrateRepoEvent.Outcome missing = orchestrate.handle(command("c4", 33, "writer", PreviewCommand.wake())).getFirst();

        assertTrue(closed.reason().startsWith("no live preview for #32"), closed.reason());
        assertTrue(missing.reason().startsWith("no live preview for #33"), missing.reason());
        assertTrue(published.isEmpty());
        assertEquals(List.of(), store.reactions);
        assertEquals(List.of(), store.permissionChecks);
    }

    @Test
    void aCommandThatCouldNotBeReadIsAnsweredConfusedWithItsReason() {
        orchestrate.handle(pr("c1", PullRequestAction.OPENED, 34, 'a', T0));
        published.clear();
        RepoEvent.PreviewCommand refused = new RepoEvent.PreviewCommand("c2", REPO, InstallationId.of(9), PrNumber.of(34),
                "writer", 734, null, "unknown command 'nap'");

        OrchestrateRepoEvent.Outcome outcome = orchestrate.handle(refused).getFirst();

        assertFalse(outcome.changed());
        assertTrue(outcome.reason().contains("unknown command 'nap'"), outcome.reason());
        assertTrue(published.isEmpty());
        assertEquals(List.of("734 confused"), store.reactions);
        assertEquals(List.of(), store.permissionChecks, "nothing to carry out: nobody's permission asked");
    }

    @Test
    void aReactionGitHubFailsNeverFailsTheCommand() {
        orchestrate.handle(pr("c1", PullRequestAction.OPENED, 35, 'a', T0));
        published.clear();
        store.reactionsFail = true;

        OrchestrateRepoEvent.Outcome outcome = orchestrate.handle(command("c2", 35, "writer", PreviewCommand.redeploy())).getFirst();

        assertTrue(outcome.changed(), outcome.reason());
        assertEquals(List.of(new PlatformEvent.PreviewCommandRequested(P1, PrNumber.of(35), PreviewCommand.Kind.REDEPLOY,
                null, "writer", 735, "c2")), published);
    }
}
