package dev.platform.functions.autosleep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.aws.dynamodb.DynamoEnvironmentStore;
import dev.platform.aws.dynamodb.ProjectRegistry;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStatus;
import dev.platform.core.deploy.Slot;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.Json;
import dev.platform.core.sleep.SleepPolicy;
import dev.platform.core.sleep.SleepPreview;
import dev.platform.core.sleep.SweepPreviews;
import dev.platform.embedded.EmbeddedDynamoDb;
import dev.platform.embedded.EmbeddedPlatform;
import dev.platform.embedded.LocalClients;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The auto-sleep handler: its schedule's sample event runs one sweep over the table's indexes (DynamoDB Local)
 * and answers with the counts. Sleeping, capping and expiry are tested in the core (SleepAndWakeTest) and the
 * local runtime (SleepWakeTest).
 */
class AutoSleepHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));
    private static EmbeddedDynamoDb embedded;
    private static DynamoDbClient dynamoDb;

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

    @Test
    void theScheduledSampleSweepsTheRunningPreviewsTheIndexHolds() throws Exception {
        EmbeddedPlatform.createTable(dynamoDb, "sweep");
        DynamoEnvironmentStore store = new DynamoEnvironmentStore(dynamoDb, "sweep");
        Instant now = Instant.now();
        // deploying: running (indexed), but not sleepable while its rollout is under way
        store.commit(new Environment(EnvironmentRef.preview(ProjectId.of("hello-world"), PrNumber.of(2)),
                EnvironmentStatus.DEPLOYING, "pr-2.preview.localhost", new Slot(0, 1), null, null, null, null, now, now,
                now, null, null), 0, List.of());
        store.commit(new Environment(EnvironmentRef.preview(ProjectId.of("hello-world"), PrNumber.of(3)),
                EnvironmentStatus.SLEEPING, "pr-3.preview.localhost", new Slot(0, 2), null, null, null, null, now, now,
                now, null, null), 0, List.of());
        SleepPreview sleeper = new SleepPreview(new ProjectRegistry(dynamoDb, "sweep"), store, store, null, null, List.of(), null, null, null,
                SleepPolicy.DEFAULTS, events -> { }, Clock.systemUTC());
        AutoSleepHandler handler = new AutoSleepHandler(new SweepPreviews(null, store, store,
                (sources, since, until) -> Map.of(), sleeper, null, null, null, null, events -> { }, Clock.systemUTC()));

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(ROOT.resolve("events/lambda/auto-sleep.json"))) {
            handler.handleRequest(in, output, null);
        }

        JsonNode answer = Json.MAPPER.readTree(output.toByteArray());
        assertEquals(1, answer.path("indexEntries").asInt(), answer.toString());
        assertEquals(1, answer.path("running").asInt());
        assertEquals(0, answer.path("slept").asInt());
        assertEquals(0, answer.path("expired").asInt());
    }
}
