package dev.platform.core.deploy;

import static dev.platform.core.deploy.DeployFakes.PR;
import static dev.platform.core.deploy.DeployFakes.PROJECT;
import static dev.platform.core.deploy.DeployFakes.WAKERS;
import static dev.platform.core.deploy.DeployFakes.built;
import static dev.platform.core.deploy.DeployFakes.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.events.PlatformEvent.DeploymentSucceeded;
import dev.platform.core.events.PlatformEvent.PreviewCommandRequested;
import dev.platform.core.events.PlatformEvent.PreviewExpired;
import dev.platform.core.events.PlatformEvent.PreviewExpiring;
import dev.platform.core.events.PlatformEvent.PreviewSlept;
import dev.platform.core.events.PlatformEvent.PreviewWoke;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.preview.PreviewCommand;
import dev.platform.core.sleep.SleepPolicy;
import dev.platform.core.sleep.SweepPreviews;
import dev.platform.core.sleep.WakeOnRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Previews that cost nothing while idle: the sweep sleeps idle previews (desired 0, rule → the waker), a request
 * wakes one once, the watcher routes it back when healthy, expiry comes after notice and a new commit resets it,
 * a project stays under its cap, and the {@code /preview} commands act on their preview.
 */
class SleepAndWakeTest {
    private static final EnvironmentRef PREVIEW = EnvironmentRef.preview(PROJECT, PR);
    private static final EnvironmentRef OTHER = EnvironmentRef.preview(PROJECT, PrNumber.of(3));

    private final DeployFakes fakes = new DeployFakes();

    private Environment deployed(EnvironmentRef ref, CommitSha commit) {
        fakes.targets.at(ref, commit);
        fakes.deployer().handle(built(ref.pr(), commit));
        fakes.watcher().handle(new ServiceDeploymentChanged(ref.serviceName(), get(ref).latest().ecsDeploymentId(),
                ServiceDeploymentChanged.State.COMPLETED, "completed"));
        return get(ref);
    }

    private Environment get(EnvironmentRef ref) {
        return fakes.environments.get(ref);
    }

    private DeployFakes.Rules.Rule rule(EnvironmentRef ref) {
        return fakes.routing.rules.get(get(ref).ruleArn());
    }

    private void later(Duration by) {
        fakes.now = fakes.now.plus(by);
    }

    @Test
    void anIdlePreviewSleepsAndOneRequestedRecentlyIsUntouched() {
        deployed(PREVIEW, sha('a'));
        deployed(OTHER, sha('b'));
        later(Duration.ofMinutes(31));
        Instant minute = fakes.now.minus(Duration.ofMinutes(2));  // requested in the minute that began then
        fakes.traffic.put(get(OTHER).targetGroupArn(), minute);
        Instant requested = minute.plus(Duration.ofMinutes(1));  // counted at the minute's end

        SweepPreviews.Outcome outcome = fakes.sweeper().sweep();

        assertEquals(2, outcome.running());
        assertEquals(1, outcome.slept());
        Environment slept = get(PREVIEW);
        assertEquals(EnvironmentStatus.SLEEPING, slept.status());
        assertEquals(0, fakes.containers.desired(PREVIEW.serviceName()));
        assertEquals(WAKERS.get(slept.slot().shard()), rule(PREVIEW).targetGroup(), "its rule forwards to the waker");
        assertEquals("sleeping", fakes.targets.get(PREVIEW).status());
        assertEquals(List.of(new PreviewSlept(PROJECT, PR, "idle")), fakes.published(PreviewSlept.class).stream().distinct().toList());
        assertTrue(fakes.gitHub.comments.values().stream().anyMatch(c -> c.contains("Sleeping")), fakes.gitHub.comments.toString());

        Environment awake = get(OTHER);
        assertEquals(EnvironmentStatus.ACTIVE, awake.status());
        assertEquals(requested, awake.lastRequestAt());
        assertEquals(requested, fakes.targets.lastRequests.get(OTHER));
        assertEquals(1, fakes.containers.desired(OTHER.serviceName()));
        assertEquals(awake.targetGroupArn(), rule(OTHER).targetGroup());
    }

    @Test
    void fiftyConcurrentRequestsWakeItOnceAndTheWatcherRoutesItBackWhenHealthy() throws Exception {
        deployed(PREVIEW, sha('a'));
        later(Duration.ofMinutes(31));
        fakes.sweeper().sweep();
        String host = get(PREVIEW).host();
        WakeOnRequest onRequest = fakes.onRequest();

        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<WakeOnRequest.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(pool.submit(() -> onRequest.handle(host.toUpperCase() + ":443")));
        }
        for (Future<WakeOnRequest.Answer> answer : answers) {
            assertTrue(answer.get().found());
            assertEquals(WakeOnRequest.RETRY_AFTER_SECONDS, answer.get().retryAfterSeconds());
        }
        pool.shutdown();

        assertEquals(1, fakes.containers.count("wake "), fakes.containers.calls.toString());
        Environment waking = get(PREVIEW);
        assertEquals(EnvironmentStatus.WAKING, waking.status());
        assertEquals(WAKERS.get(0), rule(PREVIEW).targetGroup(), "the waker answers until the service is healthy");
        assertFalse(onRequest.handle("pr-9-unknown.preview.localhost").found());

        fakes.watcher().handle(new ServiceDeploymentChanged(PREVIEW.serviceName(), waking.wakeRollout(),
                ServiceDeploymentChanged.State.COMPLETED, "completed"));

        Environment awake = get(PREVIEW);
        assertEquals(EnvironmentStatus.ACTIVE, awake.status());
        assertNull(awake.wakeRollout());
        assertEquals(awake.targetGroupArn(), rule(PREVIEW).targetGroup());
        assertEquals(List.of(new PreviewWoke(PROJECT, PR, "http://" + awake.host() + ":8080")),
                fakes.published(PreviewWoke.class).stream().distinct().toList());
        assertEquals("active", fakes.targets.get(PREVIEW).status());
        assertEquals(0, fakes.sweeper().sweep().slept(), "woken by a request just now: not idle");
    }

    @Test
    void aFailedWakeGoesBackToSleepScaledToZeroAndTheNextRequestTriesAgain() {
        deployed(PREVIEW, sha('a'));
        later(Duration.ofMinutes(31));
        fakes.sweeper().sweep();
        fakes.onRequest().handle(get(PREVIEW).host());

        fakes.watcher().handle(new ServiceDeploymentChanged(PREVIEW.serviceName(), get(PREVIEW).wakeRollout(),
                ServiceDeploymentChanged.State.FAILED, "tasks failed to start"));

        assertEquals(EnvironmentStatus.SLEEPING, get(PREVIEW).status());
        assertEquals(0, fakes.containers.desired(PREVIEW.serviceName()));
        assertTrue(fakes.published(PreviewSlept.class).stream().anyMatch(e -> e.reason().contains("tasks failed to start")));
        fakes.onRequest().handle(get(PREVIEW).host());
        assertEquals(2, fakes.containers.count("wake "));
    }

    @Test
    void aWakeWhoseCompletionNeverArrivesGoesBackToSleepAfterFifteenMinutes() {
        deployed(PREVIEW, sha('a'));
        later(Duration.ofMinutes(31));
        fakes.sweeper().sweep();
        fakes.onRequest().handle(get(PREVIEW).host());
        later(Duration.ofMinutes(10));
        fakes.sweeper().sweep();
        assertEquals(EnvironmentStatus.WAKING, get(PREVIEW).status(), "still within the wake's time");

        later(Duration.ofMinutes(6));
        fakes.sweeper().sweep();

        assertEquals(EnvironmentStatus.SLEEPING, get(PREVIEW).status());
        assertEquals(0, fakes.containers.desired(PREVIEW.serviceName()));
        assertTrue(fakes.published(PreviewSlept.class).stream().anyMatch(e -> e.reason().contains("did not complete")));
        fakes.onRequest().handle(get(PREVIEW).host());
        assertEquals(2, fakes.containers.count("wake "), "the next request starts it anew");
    }

    @Test
    void expiryGivesNoticeFirstRemovesAfterAndANewCommitInBetweenResetsTheClock() {
        fakes.policy = new SleepPolicy(Duration.ofMinutes(30), Duration.ofDays(3), 10);
        Instant start = fakes.now;
        deployed(PREVIEW, sha('a'));

        later(Duration.ofDays(2).plusHours(1));
        assertEquals(1, fakes.sweeper().sweep().noticed());
        assertEquals(List.of(new PreviewExpiring(PROJECT, PR, start.plus(Duration.ofDays(3)))),
                fakes.published(PreviewExpiring.class).stream().distinct().toList());
        assertTrue(fakes.gitHub.comments.values().stream().anyMatch(c -> c.contains("Expires at")));

        Instant pushed = fakes.now;
        deployed(PREVIEW, sha('b'));
        assertEquals(Expiry.after(pushed, Duration.ofDays(3)), get(PREVIEW).expiry(), "a new commit resets the clock");

        later(Duration.ofHours(23));  // past the first expiry
        SweepPreviews.Outcome notYet = fakes.sweeper().sweep();
        assertEquals(0, notYet.expired());
        assertEquals(0, notYet.noticed());

        fakes.now = pushed.plus(Duration.ofDays(2)).plusSeconds(60);
        assertEquals(1, fakes.sweeper().sweep().noticed());
        assertFalse(get(PREVIEW).retired(), "notice first");

        fakes.now = pushed.plus(Duration.ofDays(3)).plusSeconds(60);
        assertEquals(1, fakes.sweeper().sweep().expired());
        assertTrue(get(PREVIEW).retired());
        assertEquals(List.of(new PreviewExpired(PROJECT, PR)), fakes.published(PreviewExpired.class).stream().distinct().toList());
        assertEquals("expired", fakes.targets.get(PREVIEW).status());
        assertTrue(fakes.containers.services.isEmpty(), fakes.containers.services.toString());
        assertTrue(fakes.routing.rules.isEmpty());
    }

    @Test
    void withACapOfTwoAThirdPreviewBecomingActiveSleepsTheLeastRecentlyRequested() {
        fakes.policy = new SleepPolicy(Duration.ofMinutes(30), Duration.ofDays(7), 2);
        deployed(PREVIEW, sha('a'));
        later(Duration.ofMinutes(1));
        deployed(OTHER, sha('b'));
        later(Duration.ofMinutes(4));
        fakes.traffic.put(get(PREVIEW).targetGroupArn(), fakes.now.minusSeconds(60));
        fakes.sweeper().sweep();  // PREVIEW was requested a minute ago; OTHER not since it was created

        EnvironmentRef third = EnvironmentRef.preview(PROJECT, PrNumber.of(4));
        deployed(third, sha('c'));
        DeploymentSucceeded succeeded = fakes.published(DeploymentSucceeded.class).stream()
                .filter(e -> e.pr().equals(third.pr())).findFirst().orElseThrow();
        fakes.control().started(succeeded);

        assertEquals(EnvironmentStatus.SLEEPING, get(OTHER).status(), "the least recently requested sleeps");
        assertEquals(EnvironmentStatus.ACTIVE, get(PREVIEW).status());
        assertEquals(EnvironmentStatus.ACTIVE, get(third).status());
        assertTrue(fakes.published(PreviewSlept.class).contains(new PreviewSlept(PROJECT, OTHER.pr(), "cap")));
    }

    @Test
    void previewCommandsSleepWakeAndExtendTheirPreviewAndAnswerWithAReaction() {
        deployed(PREVIEW, sha('a'));
        Instant expiresAt = get(PREVIEW).expiry().at();

        fakes.control().command(command(PreviewCommand.Kind.SLEEP, null, 11));
        assertEquals(EnvironmentStatus.SLEEPING, get(PREVIEW).status());
        fakes.control().command(command(PreviewCommand.Kind.WAKE, null, 12));
        assertEquals(EnvironmentStatus.WAKING, get(PREVIEW).status());
        fakes.control().command(command(PreviewCommand.Kind.EXTEND, Duration.ofDays(10), 13));
        assertEquals(expiresAt.plus(Duration.ofDays(10)), get(PREVIEW).expiry().at());
        fakes.control().command(new PreviewCommandRequested(PROJECT, PrNumber.of(9), PreviewCommand.Kind.WAKE, null,
                "octocat", 14, "d-14"));

        assertEquals(List.of("11 +1", "12 +1", "13 +1", "14 confused"), fakes.reactions);
        assertEquals(1, fakes.containers.count("wake "));
    }

    private static PreviewCommandRequested command(PreviewCommand.Kind kind, Duration extendBy, long commentId) {
        return new PreviewCommandRequested(PROJECT, PR, kind, extendBy, "octocat", commentId, "d-" + commentId);
    }
}
