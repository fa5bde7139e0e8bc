package dev.platform.core.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The newest delivery decides, whatever the arrival order. Each history is a consistent life of one
 * pull request (opened, pushes, edits, closes and reopens, one second or more apart), delivered in a
 * random order with some deliveries twice.
 */
class PreviewOrderingTest {
    private static final ProjectId P1 = ProjectId.of("p1");
    private static final PrNumber PR = PrNumber.of(7);
    /** Fixed so a failure can be replayed; printed so it can be found. */
    private static final long SEED = 20261125L;
    private static final int HISTORIES = 3_000;
    private static final Instant T0 = Instant.parse("2019-05-15T15:20:33Z");
    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    @Test
    void everyArrivalOrderEndsInTheNewestDeliverysStateAndBuildsOnlyTheNewestHead() {
        System.out.println("PreviewOrderingTest seed=" + SEED + " histories=" + HISTORIES);
        Random random = new Random(SEED);
        for (int h = 0; h < HISTORIES; h++) {
            List<RepoEvent.PullRequest> history = history(random, h);
            List<RepoEvent.PullRequest> arrivals = new ArrayList<>(history);
            for (int d = random.nextInt(3); d > 0; d--) {
                arrivals.add(history.get(random.nextInt(history.size())));
            }
            Collections.shuffle(arrivals, random);
            String context = "history " + h + " (seed " + SEED + "), arrivals " + arrivals.stream()
                    .map(e -> e.action().wireName() + "@" + e.updatedAt().getEpochSecond() % 1000 + ":" + e.headSha().value().charAt(39))
                    .toList();

            Preview state = null;
            // the model: only a strictly newer delivery changes anything
            Instant newest = null;
            boolean open = false;
            CommitSha requested = null;
            for (RepoEvent.PullRequest event : arrivals) {
                List<PlatformEvent> expected = new ArrayList<>();
                if (newest == null || event.updatedAt().isAfter(newest)) {
                    newest = event.updatedAt();
                    if (event.action() == PullRequestAction.CLOSED) {
                        if (open) {
                            expected.add(new PlatformEvent.PreviewTeardownRequested(P1, PR));
                        }
                        open = false;
                        requested = null;
                    } else {
                        open = true;
                        if (!event.headSha().equals(requested)) {
                            expected.add(PlatformEvent.BuildRequested.preview(P1, PR, event.headSha(), BuildSettings.DEFAULTS,
                                    event.deliveryId()));
                            requested = event.headSha();
                        }
                    }
                }
                Decision decision = PreviewPolicy.decide(Optional.ofNullable(state), event, P1, BuildSettings.DEFAULTS, NOW);
                List<PlatformEvent> actual = decision instanceof Decision.Changed c ? c.events() : List.of();
                assertEquals(expected, actual, context + " at " + event.action().wireName() + "@"
                        + event.updatedAt().getEpochSecond() % 1000);
                if (decision instanceof Decision.Changed c) {
                    state = (Preview) c.next();
                }
            }
            RepoEvent.PullRequest last = history.get(history.size() - 1);
            assertEquals(last.action() == PullRequestAction.CLOSED ? PreviewStatus.DELETED : PreviewStatus.PENDING,
                    state.status(), context);
            assertEquals(last.headSha(), state.headSha(), context);
            assertEquals(last.updatedAt(), state.prUpdatedAt(), context);
        }
    }

    /** opened, then 3 to 12 steps a pull request can take from its current state, in time order. */
    private static List<RepoEvent.PullRequest> history(Random random, int h) {
        List<RepoEvent.PullRequest> events = new ArrayList<>();
        int commit = 0;
        boolean open = true;
        Instant at = T0;
        events.add(event(h, PullRequestAction.OPENED, commit, at));
        for (int steps = 3 + random.nextInt(10); steps > 0; steps--) {
            at = at.plusSeconds(1 + random.nextInt(30));
            PullRequestAction action;
            if (!open) {
                action = PullRequestAction.REOPENED;
                open = true;
            } else {
                int pick = random.nextInt(10);
                action = pick < 5 ? PullRequestAction.SYNCHRONIZE : pick < 7 ? PullRequestAction.EDITED : PullRequestAction.CLOSED;
                if (action == PullRequestAction.SYNCHRONIZE) {
                    commit++;
                }
                open = action != PullRequestAction.CLOSED;
            }
            events.add(event(h, action, commit, at));
        }
        return events;
    }

    private static RepoEvent.PullRequest event(int h, PullRequestAction action, int commit, Instant at) {
        CommitSha sha = CommitSha.of("%039x%x".formatted(h, commit % 16));
        return new RepoEvent.PullRequest("h" + h + "-" + action.wireName() + "-" + at.getEpochSecond(),
                "Codertocat/Hello-World", null, action, PR, sha, "changes", "main", at, false, false);
    }
}
