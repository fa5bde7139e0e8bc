package dev.platform.functions.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.PlatformConfig;
import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.ReconcileOrphans;
import dev.platform.core.deploy.Routing;
import dev.platform.core.deploy.ServiceSpec;
import dev.platform.core.deploy.TaggedResource;
import dev.platform.core.deploy.TaskDefinitionSpec;
import dev.platform.core.json.Json;
import dev.platform.core.orchestration.Stored;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's handler: the scheduled sample runs one pass; a tagged service of an unknown preview is
 * removed, an untagged one is not, and the result says how many were removed. The rules are tested in the core
 * (ReconcileOrphansTest).
 */
class ReconcilerHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));

    @Test
    void theScheduledSampleRemovesATaggedOrphanAndLeavesAnUntaggedService() throws Exception {
        List<String> deleted = new ArrayList<>();
        Instant old = Instant.now().minusSeconds(3600);
        ContainerServices containers = new ContainerServices() {
            @Override
            public String registerTaskDefinition(TaskDefinitionSpec spec) {
                throw new AssertionError("not expected");
            }

            @Override
            public void deregisterTaskDefinition(String taskDefinitionArn) {
                deleted.add(taskDefinitionArn);
            }

            @Override
            public List<String> taskDefinitions(String family) {
                return List.of("arn:aws:ecs:us-east-1:0:task-definition/" + family + ":1");
            }

            @Override
            public String deploy(ServiceSpec spec) {
                throw new AssertionError("not expected");
            }

            @Override
            public String update(String serviceName, String taskDefinitionArn) {
                throw new AssertionError("not expected");
            }

            @Override
            public void scale(String serviceName, int desiredCount) {
                throw new AssertionError("not expected");
            }

            @Override
            public String wake(String serviceName) {
                throw new AssertionError("not expected");
            }

            @Override
            public void delete(String serviceName) {
                deleted.add(serviceName);
            }

            @Override
            public List<TaggedResource> services() {
                return List.of(new TaggedResource("arn:service/shop-pr-7", "shop-pr-7",
                                Map.of("platform:project", "shop", "platform:environment", "preview", "platform:pr", "7"), old),
                        new TaggedResource("arn:service/someone-else", "someone-else", Map.of("team", "web"), old));
            }
        };
        Routing routing = new Routing() {
            @Override
            public String ensureTargetGroup(String name, int port, String healthCheckPath, Map<String, String> tags) {
                throw new AssertionError("not expected");
            }

            @Override
            public void deleteTargetGroup(String targetGroupArn) {
                throw new AssertionError("not expected");
            }

            @Override
            public String ensureHostRule(int shard, int priority, String host, String targetGroupArn, Map<String, String> tags) {
                throw new AssertionError("not expected");
            }

            @Override
            public void forward(String ruleArn, String targetGroupArn) {
                throw new AssertionError("not expected");
            }

            @Override
            public void deleteRule(String ruleArn) {
                throw new AssertionError("not expected");
            }

            @Override
            public List<TaggedResource> targetGroups() {
                return List.of();
            }

            @Override
            public List<TaggedResource> hostRules() {
                return List.of();
            }
        };
        EnvironmentStore unknown = new EnvironmentStore() {
            @Override
            public Optional<Stored<Environment>> read(EnvironmentRef key) {
                return Optional.empty();
            }

            @Override
            public void commit(Environment next, long expectedVersion, List<Stored.OutboxEntry> events) {
                throw new AssertionError("not expected");
            }

            @Override
            public void removeFromOutbox(EnvironmentRef key, List<Stored.OutboxEntry> published) {
                throw new AssertionError("not expected");
            }
        };
        List<String> published = new ArrayList<>();
        ReconcilerHandler handler = new ReconcilerHandler(new ReconcileOrphans(unknown, null, containers, routing,
                events -> events.forEach(e -> published.add(e.detailType())), ReconcileOrphans.DEFAULT_GRACE, Clock.systemUTC()));

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(ROOT.resolve("events/lambda/reconciler.json"))),
                output, null);

        assertEquals(List.of("shop-pr-7", "arn:aws:ecs:us-east-1:0:task-definition/shop-pr-7:1"), deleted);
        var result = Json.MAPPER.readTree(output.toByteArray());
        assertEquals(1, result.path("removed").asInt());
        assertEquals(2, result.path("examined").asInt());
        assertTrue(published.contains("OrphansRemoved"));
    }

    @Test
    void theGracePeriodComesFromReconcilerGraceAndABadOneIsRefusedByName() {
        assertEquals(ReconcileOrphans.DEFAULT_GRACE, ReconcilerComponent.ReconcileModule.grace(new PlatformConfig(Map.of())));
        assertEquals(Duration.ofMinutes(30), ReconcilerComponent.ReconcileModule.grace(
                new PlatformConfig(Map.of("RECONCILER_GRACE", "PT30M"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReconcilerComponent.ReconcileModule.grace(
                new PlatformConfig(Map.of("RECONCILER_GRACE", "soon"))));
        assertTrue(e.getMessage().contains("RECONCILER_GRACE") && e.getMessage().contains("soon"), e.getMessage());
    }
}
