package dev.platform.functions.deploymentwatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.LoopbackAws.Answer;
import dev.platform.aws.priming.LoopbackAws;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.RecordDeploymentOutcome;
import dev.platform.core.json.Json;
import dev.platform.core.orchestration.Stored;
import dev.platform.embedded.EmbeddedPlatform;
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
 * The deployment watcher's handler: the sample ECS event (a completed rollout of {@code hello-world-pr-2})
 * reaches the outcome for that environment; other sources, other event names and services the platform did
 * not name do not. The outcome's rules are tested in the core (DeployBuildTest) and locally (DeploysTest).
 */
class DeploymentWatcherHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));

    private final List<EnvironmentRef> read = new ArrayList<>();
    private final EnvironmentStore environments = new EnvironmentStore() {
        @Override
        public Optional<Stored<Environment>> read(EnvironmentRef key) {
            read.add(key);
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
    private final DeploymentWatcherHandler handler = new DeploymentWatcherHandler(new RecordDeploymentOutcome(null, null,
            environments, null, null, null, null, null, events -> { }, java.time.Clock.systemUTC()));

    private String invoke(ObjectNode event) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), output, null);
        return output.toString(StandardCharsets.UTF_8);
    }

    private static ObjectNode sample() throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(ROOT.resolve("events/lambda/deployment-watcher.json")));
    }

    @Test
    void theSampleCompletedRolloutReachesTheOutcomeForItsEnvironment() throws Exception {
        String output = invoke(sample());
        assertEquals(List.of(EnvironmentRef.ofServiceName("hello-world-pr-2").orElseThrow()), read);
        assertTrue(output.contains("no live environment"), output);
    }

    @Test
    void otherSourcesEventNamesAndServicesAreIgnored() throws Exception {
        ObjectNode other = sample();
        ((ObjectNode) other.get("detail")).put("eventName", "SERVICE_TASK_PLACEMENT_FAILURE");
        assertTrue(invoke(other).contains("not a deployment event the watcher acts on"));
        ObjectNode foreign = sample();
        foreign.putArray("resources").add("arn:aws:ecs:us-east-1:000000000000:service/platform/Someone_Else");
        assertTrue(invoke(foreign).contains("not a platform service"));
        ObjectNode ec2 = sample().put("source", "aws.ec2");
        assertTrue(invoke(ec2).contains("not an ECS deployment state change"));
        assertTrue(read.isEmpty());
    }

    @Test
    void primingRunsTheOutcomePathOnALoopbackWithoutCallingTheRealServices() {
        try (LoopbackAws realServices = LoopbackAws.start(call -> Answer.error(400, "UnexpectedCall", call.target()))) {
            DeploymentWatcherHandler real = new DeploymentWatcherHandler(loopbackConfig(realServices));
            real.priming.beforeCheckpoint(null);
            assertEquals(List.of("GetItem"), real.priming.primedOperations(), "the priming copy looked its environment up");
            assertEquals(List.of(), realServices.calls(), "nothing reached the real services");
        }
    }

    /** Every setting the function's graph reads, pointing at a loopback that refuses every call. */
    static PlatformConfig loopbackConfig(LoopbackAws loopback) {
        return EmbeddedPlatform.loopbackConfig(loopback.endpoint());
    }
}
