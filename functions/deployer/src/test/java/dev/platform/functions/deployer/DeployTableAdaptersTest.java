package dev.platform.functions.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.dynamodb.DynamoEnvironmentStore;
import dev.platform.aws.dynamodb.DynamoShardSlots;
import dev.platform.core.deploy.Deployment;
import dev.platform.core.deploy.DeploymentStatus;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStatus;
import dev.platform.core.deploy.Expiry;
import dev.platform.core.deploy.Slot;
import dev.platform.core.events.PlatformEvent.PreviewTornDown;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.DeploymentStateStore.ConcurrentUpdateException;
import dev.platform.core.orchestration.Stored;
import dev.platform.embedded.EmbeddedDynamoDb;
import dev.platform.embedded.EmbeddedPlatform;
import dev.platform.embedded.LocalClients;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The deploy ports that live in the table, on DynamoDB Local: shard slots claimed concurrently never
 * overfill a shard nor share a priority, and environments keep their version and outbox like builds do.
 * The deploy rules themselves are tested in the core (DeployBuildTest).
 */
class DeployTableAdaptersTest {
    private static EmbeddedDynamoDb embedded;
    private static DynamoDbClient dynamoDb;
    private static int tables;

    @BeforeAll
    static void start() {
        embedded = EmbeddedDynamoDb.inMemory();
        dynamoDb = LocalClients.dynamoDb(embedded.endpoint());
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        embedded.close();
    }

    private static String newTable() {
        String name = "deploy" + (++tables);
        EmbeddedPlatform.createTable(dynamoDb, name);
        return name;
    }

    @Test
    void twelveConcurrentClaimsOnThreeShardsOfFiveFillThemWithoutSharingAPriority() throws Exception {
        DynamoShardSlots slots = new DynamoShardSlots(dynamoDb, newTable(), 3, 5);
        List<Callable<Slot>> claims = new ArrayList<>();
        for (int n = 1; n <= 12; n++) {
            EnvironmentRef ref = EnvironmentRef.preview(ProjectId.of("app"), PrNumber.of(n));
            claims.add(() -> slots.claim(ref).orElseThrow());
        }
        List<Slot> claimed = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (Future<Slot> slot : pool.invokeAll(claims)) {
                claimed.add(slot.get());
            }
        }
        Map<Integer, List<Slot>> byShard = claimed.stream().collect(Collectors.groupingBy(Slot::shard));
        byShard.values().forEach(shard -> assertTrue(shard.size() <= 5, "a shard holds " + shard.size()));
        assertEquals(12, new HashSet<>(claimed).size(), "no two previews share a slot: " + claimed);
        assertEquals(Set.of(0, 1, 2), byShard.keySet());

        EnvironmentRef first = EnvironmentRef.preview(ProjectId.of("app"), PrNumber.of(1));
        Slot held = slots.claim(first).orElseThrow();
        assertTrue(claimed.contains(held), "a second claim returns the slot already held");
        for (int n = 13; n <= 15; n++) {
            slots.claim(EnvironmentRef.preview(ProjectId.of("app"), PrNumber.of(n))).orElseThrow();
        }
        assertEquals(Optional.empty(), slots.claim(EnvironmentRef.preview(ProjectId.of("app"), PrNumber.of(16))), "all full");
        slots.release(first, held);
        slots.release(first, held);
        assertEquals(Optional.of(held), slots.claim(EnvironmentRef.preview(ProjectId.of("app"), PrNumber.of(16))),
                "a freed slot is taken again");
        assertEquals(Slot.PRODUCTION, slots.claim(EnvironmentRef.production(ProjectId.of("app"))).orElseThrow().shard());
    }

    @Test
    void aProjectsDeploymentsListNewestFirstUpToTheLimitAndOnlyItsOwn() {
        DynamoEnvironmentStore store = new DynamoEnvironmentStore(dynamoDb, newTable());
        EnvironmentRef app = EnvironmentRef.preview(ProjectId.of("app"), PrNumber.of(1));
        EnvironmentRef other = EnvironmentRef.production(ProjectId.of("other"));
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        for (String id : List.of("d-1", "d-3", "d-2")) {
            store.put(deployment(id, app, at));
        }
        store.put(deployment("d-9", other, at));

        assertEquals(List.of("d-3", "d-2"), store.deployments(ProjectId.of("app"), 2).stream().map(Deployment::deploymentId).toList());
        assertEquals(List.of("d-3", "d-2", "d-1"), store.deployments(ProjectId.of("app"), 10).stream()
                .map(Deployment::deploymentId).toList());
        assertEquals(deployment("d-2", app, at), store.deployment(ProjectId.of("app"), "d-2").orElseThrow());
        assertEquals(Optional.empty(), store.deployment(ProjectId.of("app"), "d-9"), "another project's");
    }

    private static Deployment deployment(String id, EnvironmentRef ref, Instant at) {
        return new Deployment(id, ref, CommitSha.of("a".repeat(40)), new BuildId("b-" + "0".repeat(32)), "repo@sha256:" + "0".repeat(64),
                "arn:td/" + id, "ecs-svc/" + id, DeploymentStatus.SUCCEEDED, null, "BuildSucceeded r-" + id, at, at.plusSeconds(60));
    }

    @Test
    void aSleepingPreviewKeepsItsLastRequestExpiryAndWakeRolloutThroughTheTable() {
        DynamoEnvironmentStore store = new DynamoEnvironmentStore(dynamoDb, newTable());
        EnvironmentRef ref = EnvironmentRef.preview(ProjectId.of("app"), PrNumber.of(8));
        Instant at = Instant.parse("2026-12-01T10:00:00.120Z");
        Environment waking = new Environment(ref, EnvironmentStatus.WAKING, "pr-8-app-abcdefghij.preview.localhost",
                new Slot(1, 4), "arn:tg/app-pr-8", "arn:rule/app-pr-8", null, null, at, at.plusSeconds(60),
                at.plusSeconds(30), new Expiry(at.plusSeconds(7 * 86400), at.plusSeconds(6 * 86400), at.plusSeconds(6 * 86400 + 5)),
                "ecs-svc/123");

        store.commit(waking, 0, List.of());

        assertEquals(waking, store.read(ref).orElseThrow().state());
        assertEquals(Optional.of(ref), store.atHost("pr-8-app-abcdefghij.preview.localhost"));
        assertEquals(Optional.empty(), store.atHost("pr-9-app-abcdefghij.preview.localhost"));
    }

    /**
     * Auto-sleep's reads: over 1,000 previews of which 50 run, the index answers the 50 in Query calls (a page
     * holds up to 1 MB of keys, so one here), and nothing is scanned.
     */
    @Test
    void theIndexesListRunningAndExpiringPreviewsWithQueriesAndNeverAScan() {
        String table = newTable();
        DynamoEnvironmentStore store = new DynamoEnvironmentStore(dynamoDb, table);
        Instant created = Instant.parse("2026-12-01T10:00:00Z");
        List<EnvironmentRef> runningRefs = new ArrayList<>();
        for (int n = 1; n <= 1000; n++) {
            EnvironmentRef ref = EnvironmentRef.preview(ProjectId.of((n / 20) % 2 == 0 ? "app" : "web"), PrNumber.of(n));
            boolean running = n % 20 == 0;
            EnvironmentStatus status = running ? EnvironmentStatus.ACTIVE : n % 3 == 0 ? EnvironmentStatus.DELETED
                    : EnvironmentStatus.SLEEPING;
            // the running ones were requested in reverse order of their numbers
            Instant requested = created.plusSeconds(running ? 10_000 - n : 0);
            Expiry expiry = status == EnvironmentStatus.DELETED ? null
                    : Expiry.after(created.plusSeconds(n), java.time.Duration.ofDays(7));
            store.commit(new Environment(ref, status, "pr-" + n + "-" + ref.projectId().value() + ".preview.localhost",
                    new Slot(0, n), "arn:tg/" + n, "arn:rule/" + n, null, null, created, created, requested, expiry, null),
                    0, List.of());
            if (running) {
                runningRefs.add(ref);
            }
        }
        List<String> calls = new ArrayList<>();
        try (DynamoDbClient counted = DynamoDbClient.builder().endpointOverride(embedded.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        calls.add(context.request().getClass().getSimpleName());
                    }
                })).build()) {
            DynamoEnvironmentStore index = new DynamoEnvironmentStore(counted, table);

            List<EnvironmentRef> running = index.running();
            assertEquals(Set.copyOf(runningRefs), Set.copyOf(running));
            assertEquals(50, running.size());
            assertEquals(List.of("QueryRequest"), calls, "one page of 50 keys, no Scan");

            List<EnvironmentRef> app = index.running(ProjectId.of("app"));
            assertEquals(runningRefs.stream().filter(r -> r.projectId().value().equals("app")).sorted(
                    java.util.Comparator.comparing((EnvironmentRef r) -> r.pr().value()).reversed()).toList(), app,
                    "a project's running previews, least recently requested first");

            // notices fall due 6 days after each commit: by then + 100 s, the first 100 non-deleted ones
            List<EnvironmentRef> due = index.expiryDue(created.plus(java.time.Duration.ofDays(6)).plusSeconds(100));
            assertEquals(java.util.stream.IntStream.rangeClosed(1, 100).filter(n -> n % 3 != 0 || n % 20 == 0).boxed()
                    .collect(Collectors.toSet()), due.stream().map(r -> r.pr().value()).collect(Collectors.toSet()));
            assertTrue(calls.stream().allMatch(c -> c.equals("QueryRequest")), calls.toString());
        }
    }

    @Test
    void environmentsKeepVersionAndOutboxAndRefuseAStaleWrite() {
        String table = newTable();
        DynamoEnvironmentStore store = new DynamoEnvironmentStore(dynamoDb, table);
        EnvironmentRef ref = EnvironmentRef.preview(ProjectId.of("app"), PrNumber.of(7));
        Environment environment = new Environment(ref, EnvironmentStatus.DELETED,
                "pr-7-app-abcdefghij.preview.localhost", new Slot(0, 3), null, null, null, null,
                Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T10:00:00Z"), null, null, null);
        var entry = Stored.OutboxEntry.of("teardown:app-pr-7", List.of(new PreviewTornDown(ref.projectId(), ref.pr())),
                Instant.parse("2026-12-01T10:00:00Z"));
        store.commit(environment, 0, entry);

        Stored<Environment> stored = store.read(ref).orElseThrow();
        assertEquals(environment, stored.state());
        assertEquals(1, stored.version());
        assertEquals(entry, stored.outbox());
        assertThrows(ConcurrentUpdateException.class, () -> store.commit(environment, 0, List.of()));
        store.removeFromOutbox(ref, entry);
        assertEquals(List.of(), store.read(ref).orElseThrow().outbox());
    }
}
