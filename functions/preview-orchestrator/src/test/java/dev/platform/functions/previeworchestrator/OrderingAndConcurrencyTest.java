package dev.platform.functions.previeworchestrator;

import static dev.platform.functions.previeworchestrator.OrchestratorFixture.PROJECT;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.batch;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.failures;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.message;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.pullRequest;
import static dev.platform.functions.previeworchestrator.OrchestratorFixture.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent.BuildRequested;
import dev.platform.core.events.PlatformEvent.PreviewTeardownRequested;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.orchestration.Stored;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.PreviewStatus;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OrderingAndConcurrencyTest {
    private static final Instant T0 = Instant.parse("2019-05-15T15:20:33Z");
    /** Fixed so a failure can be replayed; printed so it can be found. */
    private static final long SEED = 20261122L;
    @RegisterExtension
    static final OrchestratorFixture fixture = new OrchestratorFixture();

    /**
     * Closes and reopens in any order, through the handler and DynamoDB Local: a pull request opened,
     * pushed, closed, reopened (sometimes overtaken by the next push), pushed and closed again. The
     * stored preview always ends as the newest delivery left it, and the builds and teardowns emitted
     * are the ones the newest-delivery-wins rule owes.
     */
    @Test
    void closeAndReopenCyclesInAnyOrderEndAsTheNewestDeliveryLeftThem() {
        System.out.println("OrderingAndConcurrencyTest seed=" + SEED);
        PreviewOrchestratorHandler handler = fixture.handler();
        Random random = new Random(SEED);
        for (int order = 0; order < 25; order++) {
            int pr = 300 + order;
            List<RepoEvent.PullRequest> history = List.of(
                    pullRequest("opened", pr, sha(pr * 100), T0, "c" + order + "-opened"),
                    pullRequest("synchronize", pr, sha(pr * 100 + 1), T0.plusSeconds(10), "c" + order + "-sync-1"),
                    pullRequest("closed", pr, sha(pr * 100 + 1), T0.plusSeconds(20), "c" + order + "-closed-1"),
                    pullRequest("reopened", pr, sha(pr * 100 + 1), T0.plusSeconds(30), "c" + order + "-reopened"),
                    pullRequest("synchronize", pr, sha(pr * 100 + 2), T0.plusSeconds(40), "c" + order + "-sync-2"),
                    pullRequest("edited", pr, sha(pr * 100 + 2), T0.plusSeconds(50), "c" + order + "-edited"),
                    pullRequest(order % 2 == 0 ? "closed" : "synchronize", pr, sha(pr * 100 + 3), T0.plusSeconds(60),
                            "c" + order + "-last"));
            List<RepoEvent.PullRequest> arrivals = new ArrayList<>(history);
            arrivals.add(history.get(random.nextInt(history.size())));
            Collections.shuffle(arrivals, random);

            List<PlatformEvent> expected = new ArrayList<>();
            Instant newest = null;
            boolean open = false;
            CommitSha requested = null;
            for (RepoEvent.PullRequest delivery : arrivals) {
                if (newest == null || delivery.updatedAt().isAfter(newest)) {
                    newest = delivery.updatedAt();
                    if (delivery.action() == dev.platform.core.repoevent.PullRequestAction.CLOSED) {
                        if (open) {
                            expected.add(new PreviewTeardownRequested(PROJECT, PrNumber.of(pr)));
                        }
                        open = false;
                        requested = null;
                    } else {
                        open = true;
                        if (!delivery.headSha().equals(requested)) {
                            expected.add(BuildRequested.preview(PROJECT, PrNumber.of(pr), delivery.headSha(), BuildSettings.DEFAULTS, delivery.deliveryId()));
                            requested = delivery.headSha();
                        }
                    }
                }
                assertEquals(List.of(), failures(handler.handleRequest(batch(message(delivery)), null)));
            }
            String context = "order " + order + " (seed " + SEED + "): " + arrivals.stream()
                    .map(d -> d.action().wireName() + "@" + d.updatedAt().getEpochSecond() % 1000).toList();
            assertEquals(expected, fixture.published.stream().filter(e -> prOf(e) == pr).toList(), context);
            RepoEvent.PullRequest last = history.get(history.size() - 1);
            Preview stored = fixture.preview(PROJECT, pr).orElseThrow().state();
            assertEquals(last.action() == dev.platform.core.repoevent.PullRequestAction.CLOSED
                    ? PreviewStatus.DELETED : PreviewStatus.PENDING, stored.status(), context);
            assertEquals(last.headSha(), stored.headSha(), context);
            assertEquals(last.updatedAt(), stored.prUpdatedAt(), context);
        }
    }

    /**
     * Two handler instances (two Lambda environments) apply different deliveries of one preview at the
     * same moment. Optimistic locking makes one of them retry: the newest delivery always wins and the
     * version counts every change.
     */
    @Test
    void concurrentUpdatesOfOnePreviewLoseNothing() throws Exception {
        PreviewOrchestratorHandler first = fixture.handler();
        PreviewOrchestratorHandler second = fixture.handler();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 15; round++) {
                int pr = 500 + round;
                first.handleRequest(batch(message(pullRequest("opened", pr, sha(1), T0, "r" + round + "-open"))), null);
                RepoEvent older = pullRequest("synchronize", pr, sha(2), T0.plusSeconds(10), "r" + round + "-a");
                RepoEvent newer = pullRequest("synchronize", pr, sha(3), T0.plusSeconds(20), "r" + round + "-b");
                CyclicBarrier together = new CyclicBarrier(2);
                Future<List<String>> a = pool.submit(() -> {
                    together.await();
                    return failures(first.handleRequest(batch(message(older)), null));
                });
                Future<List<String>> b = pool.submit(() -> {
                    together.await();
                    return failures(second.handleRequest(batch(message(newer)), null));
                });
                assertEquals(List.of(), a.get());
                assertEquals(List.of(), b.get());

                Stored<Preview> stored = fixture.preview(PROJECT, pr).orElseThrow();
                assertEquals(sha(3), stored.state().headSha(), "round " + round + ": the newest push must win");
                List<PlatformEvent> builds = fixture.published.stream().filter(e -> prOf(e) == pr).toList();
                // opened, then either both pushes (older applied first) or only the newer one
                assertEquals(builds.size(), stored.version(), "round " + round + ": one version per applied change");
                assertEquals(BuildRequested.preview(PROJECT, PrNumber.of(pr), sha(3), BuildSettings.DEFAULTS, newer.deliveryId()),
                        builds.get(builds.size() - 1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int prOf(PlatformEvent event) {
        return switch (event) {
            case BuildRequested b -> b.pr() == null ? -1 : b.pr().value();
            case PreviewTeardownRequested t -> t.pr().value();
            default -> throw new IllegalArgumentException("the orchestrator does not publish " + event.detailType());
        };
    }
}
