package dev.platform.core.deploy;

import static dev.platform.core.deploy.DeployFakes.PR;
import static dev.platform.core.deploy.DeployFakes.PROJECT;
import static dev.platform.core.deploy.DeployFakes.built;
import static dev.platform.core.deploy.DeployFakes.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.events.PlatformEvent.OrphansRemoved;
import dev.platform.core.events.PlatformEvent.PreviewTeardownRequested;
import dev.platform.core.ids.PrNumber;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileOrphansTest {
    private final DeployFakes fakes = new DeployFakes();

    private ReconcileOrphans reconciler() {
        return new ReconcileOrphans(fakes.environments, fakes.teardown(), fakes.containers, fakes.routing,
                fakes.published::addAll, ReconcileOrphans.DEFAULT_GRACE, fakes.clock);
    }

    /** A service, target group and rule made behind the platform's back, tagged as pr-{@code n}'s. */
    private void createdBehindTheBack(int n, Map<String, String> tags) {
        String service = PROJECT + "-pr-" + n;
        fakes.containers.registerTaskDefinition(new TaskDefinitionSpec(service, "app", "img@sha256:0", 3000, 256, 512,
                List.of(), Map.of(), tags));
        String targetGroup = fakes.routing.ensureTargetGroup("tg-" + n, 3000, "/", tags);
        fakes.containers.deploy(new ServiceSpec(service, "token-" + n, "td", targetGroup, "app", 3000, 1, tags));
        fakes.routing.ensureHostRule(0, 50 + n, "orphan-" + n + ".preview.localhost", targetGroup, tags);
    }

    @Test
    void taggedResourcesWithoutALiveEnvironmentAreRemovedAndUntaggedOnesAreNotTouched() {
        EnvironmentRef live = EnvironmentRef.preview(PROJECT, PR);
        fakes.targets.at(live, sha('a'));
        fakes.deployer().handle(built(PR, sha('a')));
        createdBehindTheBack(7, EnvironmentRef.preview(PROJECT, PrNumber.of(7)).tags());
        createdBehindTheBack(8, Map.of("team", "someone-else"));
        fakes.now = fakes.now.plus(Duration.ofMinutes(11));

        ReconcileOrphans.Outcome outcome = reconciler().run();

        assertEquals(3, outcome.removed().size(), outcome.removed().toString());
        assertEquals(List.of(PROJECT + "-pr-2", PROJECT + "-pr-8"), List.copyOf(fakes.containers.services.keySet()));
        assertEquals(2, fakes.routing.rules.size(), "the live preview's rule and the untagged one");
        assertEquals(2, fakes.routing.targetGroups.size());
        assertTrue(fakes.containers.taskDefinitions(PROJECT + "-pr-7").isEmpty());
        assertEquals(3, fakes.published(OrphansRemoved.class).getFirst().removed());
    }

    @Test
    void aTeardownThatNeverFinishedIsLeftToItsRetriesForTheGracePeriodAndFinishedAfter() {
        EnvironmentRef preview = EnvironmentRef.preview(PROJECT, PR);
        fakes.targets.at(preview, sha('a'));
        fakes.deployer().handle(built(PR, sha('a')));
        fakes.targets.close(preview);
        fakes.containers.failNext = "delete";
        try {
            fakes.teardown().handle(new PreviewTeardownRequested(PROJECT, PR));
        } catch (IllegalStateException crashed) {
            // the teardown crashed midway and its retries were lost: the service and target group remain
        }

        ReconcileOrphans.Outcome early = reconciler().run();
        assertEquals(List.of(), early.removed());
        assertEquals(List.of(), early.tornDownAgain(), "within the grace period the teardown's own retries may finish it");
        fakes.now = fakes.now.plus(Duration.ofMinutes(11));

        assertEquals(List.of(preview), reconciler().run().tornDownAgain());
        assertTrue(fakes.containers.services.isEmpty());
        assertTrue(fakes.routing.targetGroups.isEmpty());
        assertTrue(fakes.containers.taskDefinitions.isEmpty());
        assertEquals(0, fakes.slots.held());
        assertEquals(EnvironmentStatus.DELETED, fakes.environments.get(preview).status());
    }
}
