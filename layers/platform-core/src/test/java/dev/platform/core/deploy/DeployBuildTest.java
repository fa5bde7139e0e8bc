package dev.platform.core.deploy;

import static dev.platform.core.deploy.DeployFakes.PR;
import static dev.platform.core.deploy.DeployFakes.PROJECT;
import static dev.platform.core.deploy.DeployFakes.built;
import static dev.platform.core.deploy.DeployFakes.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.events.PlatformEvent.DeploymentFailed;
import dev.platform.core.events.PlatformEvent.DeploymentSucceeded;
import dev.platform.core.events.PlatformEvent.PreviewTeardownRequested;
import dev.platform.core.events.PlatformEvent.PreviewTornDown;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeployBuildTest {
    private static final EnvironmentRef PREVIEW = EnvironmentRef.preview(PROJECT, PR);
    private static final Pattern SHARD0_HOST = Pattern.compile("pr-2-hello-world-[a-z2-7]{10}\\.preview\\.localhost");

    private final DeployFakes fakes = new DeployFakes();

    private String deployAndComplete(EnvironmentRef ref, CommitSha commit) {
        fakes.targets.at(ref, commit);
        fakes.deployer().handle(built(ref.pr(), commit));
        Deployment latest = fakes.environments.get(ref).latest();
        fakes.watcher().handle(new ServiceDeploymentChanged(ref.serviceName(), latest.ecsDeploymentId(),
                ServiceDeploymentChanged.State.COMPLETED, "completed"));
        return latest.deploymentId();
    }

    @Test
    void buildSucceededBecomesAServiceBehindAHostRuleAndTheWatcherMakesItActiveWithItsUrl() {
        fakes.targets.at(PREVIEW, sha('a'));
        fakes.deployer().handle(built(PR, sha('a')));

        Environment environment = fakes.environments.get(PREVIEW);
        assertTrue(SHARD0_HOST.matcher(environment.host()).matches(), environment.host());
        assertEquals(new Slot(0, 1), environment.slot());
        assertEquals(List.of("register hello-world-pr-2", "create hello-world-pr-2"), fakes.containers.calls);
        TaskDefinitionSpec spec = fakes.containers.taskDefinitions.values().iterator().next();
        assertEquals(built(PR, sha('a')).imageUri(), spec.image(), "the image by digest");
        assertEquals(3000, spec.port());
        assertEquals(256, spec.cpu());
        assertEquals(512, spec.memoryMiB());
        assertEquals(sha('a').value(), spec.tags().get(ResourceTags.COMMIT));
        assertEquals("2", spec.tags().get(ResourceTags.PR));
        assertEquals(1, fakes.routing.rules.size());
        DeployFakes.Rules.Rule rule = fakes.routing.rules.values().iterator().next();
        assertEquals(environment.host(), rule.host());
        assertEquals(environment.targetGroupArn(), rule.targetGroup());
        assertEquals("deploying", fakes.targets.get(PREVIEW).status());
        assertEquals(DeploymentStatus.DEPLOYING, fakes.records.byId.get(environment.latest().deploymentId()).status());

        fakes.watcher().handle(new ServiceDeploymentChanged(PREVIEW.serviceName(), environment.latest().ecsDeploymentId(),
                ServiceDeploymentChanged.State.COMPLETED, "ECS deployment completed."));

        String url = "http://" + environment.host() + ":8080";
        DeploymentSucceeded succeeded = fakes.published(DeploymentSucceeded.class).getFirst();
        assertEquals(new DeploymentSucceeded(PROJECT, PREVIEW.target(), PR, sha('a'), environment.latest().deploymentId(), url),
                succeeded);
        assertEquals("active", fakes.targets.get(PREVIEW).status());
        assertEquals(url, fakes.targets.get(PREVIEW).url());
        assertEquals(EnvironmentStatus.ACTIVE, fakes.environments.get(PREVIEW).status());
        assertEquals(DeploymentStatus.SUCCEEDED, fakes.records.byId.get(environment.latest().deploymentId()).status());
    }

    @Test
    void everyEventDeliveredTwiceIsOneStepEach() {
        fakes.targets.at(PREVIEW, sha('a'));
        fakes.deployer().handle(built(PR, sha('a')));
        fakes.deployer().handle(built(PR, sha('a')));
        Deployment latest = fakes.environments.get(PREVIEW).latest();
        var completed = new ServiceDeploymentChanged(PREVIEW.serviceName(), latest.ecsDeploymentId(),
                ServiceDeploymentChanged.State.COMPLETED, "completed");
        fakes.watcher().handle(completed);
        fakes.watcher().handle(completed);

        assertEquals(List.of("register hello-world-pr-2", "create hello-world-pr-2"), fakes.containers.calls);
        assertEquals(1, fakes.records.byId.size(), "one deployment");
        assertEquals(1, fakes.published(DeploymentSucceeded.class).size());
        assertEquals(1, fakes.routing.rules.size());
        assertEquals(1, fakes.slots.held());
    }

    @Test
    void aCrashAfterTheServiceCallIsFinishedByTheRetryWithoutASecondTaskDefinition() {
        fakes.targets.at(PREVIEW, sha('a'));
        fakes.containers.failNext = "deploy";
        assertThrows(IllegalStateException.class, () -> fakes.deployer().handle(built(PR, sha('a'))));
        fakes.deployer().handle(built(PR, sha('a')));

        assertEquals(2, fakes.containers.taskDefinitions.size(), "the crash came before the revision was recorded: "
                + fakes.containers.taskDefinitions.keySet());
        assertNotNull(fakes.environments.get(PREVIEW).latest().ecsDeploymentId());
        assertEquals(1, fakes.routing.rules.size());
    }

    @Test
    void anImageForACommitThePreviewMovedPastIsNotDeployed() {
        fakes.targets.at(PREVIEW, sha('b'));
        var outcome = fakes.deployer().handle(built(PR, sha('a')));

        assertTrue(outcome.result().startsWith("stale"), outcome.result());
        assertTrue(fakes.containers.calls.isEmpty());
        assertTrue(fakes.environments.stored.isEmpty());
    }

    @Test
    void aSynchronizeDuringADeployEndsWithTheNewestCommitServingAndTheOlderRolloutIgnored() {
        fakes.targets.at(PREVIEW, sha('a'));
        fakes.deployer().handle(built(PR, sha('a')));
        String olderRollout = fakes.environments.get(PREVIEW).latest().ecsDeploymentId();
        fakes.targets.at(PREVIEW, sha('b'));
        fakes.deployer().handle(built(PR, sha('b')));
        Deployment newer = fakes.environments.get(PREVIEW).latest();

        var ignored = fakes.watcher().handle(new ServiceDeploymentChanged(PREVIEW.serviceName(), olderRollout,
                ServiceDeploymentChanged.State.FAILED, "superseded"));
        assertTrue(ignored.result().contains("not the latest"), ignored.result());
        fakes.watcher().handle(new ServiceDeploymentChanged(PREVIEW.serviceName(), newer.ecsDeploymentId(),
                ServiceDeploymentChanged.State.COMPLETED, "completed"));

        assertEquals(newer.taskDefinitionArn(), fakes.containers.services.get(PREVIEW.serviceName()));
        assertEquals(sha('b'), fakes.environments.get(PREVIEW).serving().commitSha());
        assertEquals(List.of(sha('b')), fakes.published(DeploymentSucceeded.class).stream().map(e -> e.commitSha()).toList());
        assertEquals(1, fakes.routing.rules.size(), "one rule: the same host for the preview's life");
    }

    @Test
    void anOlderRolloutThatCompletesAfterTheNewerWasStartedPointsTheServiceBackAtTheNewest() {
        fakes.targets.at(PREVIEW, sha('a'));
        fakes.deployer().handle(built(PR, sha('a')));
        String olderRollout = fakes.environments.get(PREVIEW).latest().ecsDeploymentId();
        fakes.targets.at(PREVIEW, sha('b'));
        fakes.deployer().handle(built(PR, sha('b')));
        Deployment newer = fakes.environments.get(PREVIEW).latest();
        String olderTaskDefinition = fakes.containers.taskDefinitions.keySet().iterator().next();
        fakes.containers.services.put(PREVIEW.serviceName(), olderTaskDefinition); // the older call reached ECS last

        fakes.watcher().handle(new ServiceDeploymentChanged(PREVIEW.serviceName(), olderRollout,
                ServiceDeploymentChanged.State.COMPLETED, "completed"));

        assertEquals(newer.taskDefinitionArn(), fakes.containers.services.get(PREVIEW.serviceName()));
        assertTrue(fakes.published(DeploymentSucceeded.class).isEmpty(), "the older commit is never reported as serving");
    }

    @Test
    void aFailedDeploymentKeepsThePreviousServingAndIsRecordedWithTheReason() {
        String first = deployAndComplete(PREVIEW, sha('a'));
        fakes.targets.at(PREVIEW, sha('b'));
        fakes.deployer().handle(built(PR, sha('b')));
        Deployment second = fakes.environments.get(PREVIEW).latest();

        fakes.watcher().handle(new ServiceDeploymentChanged(PREVIEW.serviceName(), second.ecsDeploymentId(),
                ServiceDeploymentChanged.State.FAILED, "ECS deployment circuit breaker: tasks failed to start."));

        Environment environment = fakes.environments.get(PREVIEW);
        assertEquals(EnvironmentStatus.FAILED, environment.status());
        assertEquals(first, environment.serving().deploymentId(), "the previous deployment still serves");
        DeploymentFailed failed = fakes.published(DeploymentFailed.class).getFirst();
        assertEquals(second.deploymentId(), failed.deploymentId());
        assertEquals("ECS deployment circuit breaker: tasks failed to start.", failed.reason());
        assertEquals("failed", fakes.targets.get(PREVIEW).status());
        assertEquals(DeploymentStatus.FAILED, fakes.records.byId.get(second.deploymentId()).status());
    }

    @Test
    void closedPreviewLeavesNothingAndTeardownTwiceOrOfANeverBuiltPreviewIsNoError() {
        deployAndComplete(PREVIEW, sha('a'));
        fakes.targets.close(PREVIEW);

        fakes.teardown().handle(new PreviewTeardownRequested(PROJECT, PR));
        fakes.teardown().handle(new PreviewTeardownRequested(PROJECT, PR));
        fakes.teardown().handle(new PreviewTeardownRequested(PROJECT, PrNumber.of(99)));

        assertNothingLeft();
        assertEquals(1, fakes.published(PreviewTornDown.class).size());
        assertEquals(EnvironmentStatus.DELETED, fakes.environments.get(PREVIEW).status());
    }

    @Test
    void aCrashBetweenTeardownStepsIsFinishedByTheRetry() {
        deployAndComplete(PREVIEW, sha('a'));
        fakes.targets.close(PREVIEW);
        fakes.containers.failNext = "delete";
        assertThrows(IllegalStateException.class, () -> fakes.teardown().handle(new PreviewTeardownRequested(PROJECT, PR)));
        assertTrue(fakes.routing.rules.isEmpty(), "routing goes first");

        fakes.teardown().handle(new PreviewTeardownRequested(PROJECT, PR));
        assertNothingLeft();
    }

    @Test
    void aRuleAndTargetGroupADeployCreatedButNeverRecordedAreFoundByTheirTags() {
        fakes.targets.at(PREVIEW, sha('a'));
        fakes.containers.failNext = "deploy";
        assertThrows(IllegalStateException.class, () -> fakes.deployer().handle(built(PR, sha('a'))));
        fakes.routing.ensureHostRule(0, 1, fakes.environments.get(PREVIEW).host(),
                fakes.routing.targetGroups.keySet().iterator().next(), PREVIEW.tags());
        fakes.targets.close(PREVIEW);

        fakes.teardown().handle(new PreviewTeardownRequested(PROJECT, PR));
        assertNothingLeft();
    }

    @Test
    void aPreviewReopenedBeforeItsTeardownRanIsLeftAlone() {
        deployAndComplete(PREVIEW, sha('a'));
        var outcome = fakes.teardown().handle(new PreviewTeardownRequested(PROJECT, PR));

        assertTrue(outcome.result().contains("reopened"), outcome.result());
        assertEquals(1, fakes.containers.services.size());
    }

    @Test
    void fortyConcurrentPreviewsGetDistinctPrioritiesAndTwelveOnShardsOfFiveLandOnThreeShards() throws Exception {
        DeployFakes wide = new DeployFakes();
        List<Callable<Void>> opens = new ArrayList<>();
        // 3 shards of 5: 15 slots; 12 previews
        for (int n = 1; n <= 12; n++) {
            EnvironmentRef ref = EnvironmentRef.preview(PROJECT, PrNumber.of(n));
            wide.targets.at(ref, sha('a'));
            opens.add(() -> {
                wide.deployer().handle(built(ref.pr(), sha('a')));
                return null;
            });
        }
        runAll(opens);

        Map<Integer, List<Environment>> byShard = wide.environments.stored.values().stream()
                .map(s -> s.state()).collect(Collectors.groupingBy(e -> e.slot().shard()));
        assertEquals(Set.of(0, 1, 2), byShard.keySet());
        byShard.forEach((shard, environments) -> {
            assertTrue(environments.size() <= 5, "shard " + shard + " holds " + environments.size());
            assertEquals(environments.size(), environments.stream().map(e -> e.slot().priority()).distinct().count());
            String suffix = shard == 0 ? ".preview.localhost" : ".s" + shard + ".preview.localhost";
            environments.forEach(e -> assertTrue(e.host().endsWith(suffix) && e.host().split("\\.").length
                    == suffix.split("\\.").length, e.host() + " on shard " + shard));
        });

        DeployFakes forty = new DeployFakes();
        DeployFakes.Slots big = new DeployFakes.Slots(1, 95);
        List<Callable<Void>> many = new ArrayList<>();
        DeployBuild deployer = forty.deployer(big);
        IntStream.rangeClosed(1, 40).forEach(n -> {
            EnvironmentRef ref = EnvironmentRef.preview(PROJECT, PrNumber.of(n));
            forty.targets.at(ref, sha('c'));
            many.add(() -> {
                deployer.handle(built(ref.pr(), sha('c')));
                return null;
            });
        });
        runAll(many);
        Set<Integer> priorities = new HashSet<>();
        forty.routing.rules.values().forEach(rule -> priorities.add(rule.priority()));
        assertEquals(40, forty.routing.rules.size());
        assertEquals(40, priorities.size(), "no two rules share a priority");
    }

    @Test
    void whenEveryShardIsFullTheDeployFailsWithAReason() {
        DeployFakes full = new DeployFakes();
        DeployFakes.Slots none = new DeployFakes.Slots(1, 0);
        full.targets.at(PREVIEW, sha('a'));
        full.deployer(none).handle(built(PR, sha('a')));

        assertEquals("every load balancer shard is full", full.published(DeploymentFailed.class).getFirst().reason());
        assertEquals("failed", full.targets.get(PREVIEW).status());
        assertTrue(full.containers.calls.isEmpty());
    }

    @Test
    void productionDeploysTheSameWayAndPromoteIsOneUpdateServiceWithoutABuild() {
        EnvironmentRef production = EnvironmentRef.production(PROJECT);
        String first = deployAndComplete(production, sha('a'));
        deployAndComplete(production, sha('b'));
        assertEquals("hello-world.prod.preview.localhost", fakes.environments.get(production).host());
        assertEquals(Slot.PRODUCTION, fakes.environments.get(production).slot().shard());
        fakes.containers.calls.clear();

        Deployment promoted = fakes.promoter().promote(PROJECT, first, "octocat");

        assertEquals(List.of("update hello-world-production"), fakes.containers.calls);
        assertEquals(fakes.records.byId.get(first).taskDefinitionArn(), fakes.containers.services.get("hello-world-production"));
        assertEquals(sha('a'), promoted.commitSha());
        assertEquals("promote of " + first + " by octocat", promoted.triggeredBy());
        fakes.watcher().handle(new ServiceDeploymentChanged("hello-world-production", promoted.ecsDeploymentId(),
                ServiceDeploymentChanged.State.COMPLETED, "completed"));
        assertEquals(promoted.deploymentId(), fakes.environments.get(production).serving().deploymentId());
        assertThrows(PromoteDeployment.NotPromotableException.class, () -> fakes.promoter().promote(PROJECT, "d-unknown", "x"));
    }

    @Test
    void previewHostsAreValidDnsLabelsWithFiftyRandomBitsEvenForLongProjectIds() {
        EnvironmentHosts hosts = new EnvironmentHosts("preview.example.com", "https://{host}");
        EnvironmentRef longest = EnvironmentRef.preview(dev.platform.core.ids.ProjectId.of("a".repeat(39) + "-"),
                PrNumber.of(123456));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String host = hosts.newHost(longest, 2);
            String label = host.substring(0, host.indexOf('.'));
            assertTrue(label.length() <= 63, label);
            assertTrue(label.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?"), label);
            assertTrue(host.endsWith(".s2.preview.example.com"), host);
            seen.add(host);
        }
        assertEquals(200, seen.size(), "the random part differs per host");
        assertNull(EnvironmentRef.ofServiceName("someone-elses-service").orElse(null));
        assertEquals(PREVIEW, EnvironmentRef.ofServiceName(PREVIEW.serviceName()).orElseThrow());
        assertEquals(EnvironmentRef.production(PROJECT), EnvironmentRef.ofServiceName("hello-world-production").orElseThrow());
    }

    @Test
    void thePullRequestGetsADeploymentPerCommitWithStatusesAndOneCommentEditedInPlace() {
        deployAndComplete(PREVIEW, sha('a'));
        String url = "http://" + fakes.environments.get(PREVIEW).host() + ":8080";
        deployAndComplete(PREVIEW, sha('b'));
        fakes.targets.close(PREVIEW);
        fakes.teardown().handle(new PreviewTeardownRequested(PROJECT, PR));

        List<DeployFakes.GitHub.GitHubDeployment> deployments = fakes.gitHub.deployments;
        assertEquals(2, deployments.size(), "one GitHub deployment per commit");
        assertEquals("preview/pr-2", deployments.getFirst().environment());
        assertEquals(List.of("queued", "in_progress", "success " + url), deployments.getFirst().states());
        assertEquals(List.of("queued", "in_progress", "success " + url, "inactive"), deployments.get(1).states());
        String logs = "https://logs.example/" + PREVIEW.serviceName();
        assertEquals(Arrays.asList(logs, logs, logs, logs, logs, logs, null), fakes.gitHub.logUrls,
                "every status links the environment's logs but the last, when there are none left");
        assertEquals(1, fakes.gitHub.comments.size(), "one comment");
        assertEquals(5, fakes.gitHub.commentWrites, "edited in place at each step");
        assertTrue(fakes.gitHub.comments.get(2).contains("Removed"), fakes.gitHub.comments.get(2));
    }

    @Test
    void gitHubBeingDownNeverFailsADeploy() {
        fakes.gitHub.down = true;
        deployAndComplete(PREVIEW, sha('a'));

        assertEquals(EnvironmentStatus.ACTIVE, fakes.environments.get(PREVIEW).status());
        assertEquals(1, fakes.published(DeploymentSucceeded.class).size());
    }

    private void assertNothingLeft() {
        assertTrue(fakes.routing.rules.isEmpty(), "rules: " + fakes.routing.rules);
        assertTrue(fakes.containers.services.isEmpty(), "services: " + fakes.containers.services);
        assertTrue(fakes.routing.targetGroups.isEmpty(), "target groups: " + fakes.routing.targetGroups);
        assertTrue(fakes.containers.taskDefinitions.isEmpty(), "task definitions: " + fakes.containers.taskDefinitions);
        assertEquals(0, fakes.slots.held(), "slots");
    }

    private static void runAll(List<Callable<Void>> tasks) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        }
    }
}
