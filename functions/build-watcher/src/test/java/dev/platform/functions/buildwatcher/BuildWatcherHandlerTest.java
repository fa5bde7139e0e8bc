package dev.platform.functions.buildwatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.LoopbackAws.Answer;
import dev.platform.aws.priming.LoopbackAws;
import dev.platform.core.build.Build;
import dev.platform.core.build.BuildReports;
import dev.platform.core.build.BuildStore;
import dev.platform.core.build.RecordBuildOutcome;
import dev.platform.core.ids.BuildId;
import dev.platform.core.json.Json;
import dev.platform.core.orchestration.Stored;
import dev.platform.topology.Settings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The watcher's handler: the sample ECS event (a builder task that exited 0) reaches the outcome with its
 * build; events of other sources, other detail types and tasks still running do not. The outcome's rules
 * are tested in the core (LaunchBuildTest) and the local runtime (BuildsTest).
 */
class BuildWatcherHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));

    private final List<BuildId> read = new ArrayList<>();
    private final BuildStore builds = new BuildStore() {
        @Override
        public Optional<Stored<Build>> read(BuildId buildId) {
            read.add(buildId);
            return Optional.empty();
        }

        @Override
        public void commit(Build next, long expectedVersion, List<Stored.OutboxEntry> events) {
            throw new AssertionError("not expected");
        }

        @Override
        public void removeFromOutbox(BuildId buildId, List<Stored.OutboxEntry> published) {
            throw new AssertionError("not expected");
        }
    };
    private final BuildWatcherHandler handler = new BuildWatcherHandler(new RecordBuildOutcome(null, builds, null,
            new BuildReports(null, null), events -> { }, java.time.Clock.systemUTC()));

    private String invoke(byte[] event) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), output, null);
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSampleStoppedTaskReachesTheOutcomeForItsBuild() throws Exception {
        String output = invoke(Files.readAllBytes(ROOT.resolve("events/lambda/build-watcher.json")));
        assertEquals(List.of(new BuildId("b-df0e5e882df2279a9d01afa287ae53d2")), read);
        assertTrue(output.contains("unknown build"), output);
    }

    @Test
    void otherEventsAndRunningTasksAreIgnored() throws Exception {
        var running = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(
                Files.readAllBytes(ROOT.resolve("events/lambda/build-watcher.json")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) running.get("detail")).put("lastStatus", "RUNNING");
        assertTrue(invoke(Json.write(running).getBytes(StandardCharsets.UTF_8)).contains("not a stopped builder task"));
        running.put("source", "aws.ec2");
        assertTrue(invoke(Json.write(running).getBytes(StandardCharsets.UTF_8)).contains("not an ECS task state change"));
        var notABuild = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(
                Files.readAllBytes(ROOT.resolve("events/lambda/build-watcher.json")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) notABuild.get("detail")).put("startedBy", "ecs-svc/123");
        assertTrue(invoke(Json.write(notABuild).getBytes(StandardCharsets.UTF_8)).contains("not a stopped builder task"));
        assertTrue(read.isEmpty());
    }

    @Test
    void primingRunsTheOutcomePathOnALoopbackWithoutCallingTheRealServices() {
        try (LoopbackAws realServices = LoopbackAws.start(call -> Answer.error(400, "UnexpectedCall", call.target()))) {
            BuildWatcherHandler real = new BuildWatcherHandler(new PlatformConfig(Map.of(
                    "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                    "AWS_ENDPOINT_URL", realServices.endpoint().toString(), PlatformConfig.TABLE_NAME, "platform",
                    PlatformConfig.EVENT_BUS_NAME, "platform",
                    Settings.IMAGE_REPOSITORY_URI, "1.dkr.ecr.us-east-1.amazonaws.com/previews")));
            real.priming.beforeCheckpoint(null);
            assertEquals(List.of("GetItem"), real.priming.primedOperations(), "the priming copy looked its build up");
            assertEquals(List.of(), realServices.calls(), "nothing reached the real services");
        }
    }
}
