package dev.platform.functions.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.LoopbackAws.Answer;
import dev.platform.aws.priming.LoopbackAws;
import dev.platform.core.deploy.DeployBuild;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Projects;
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
 * The deployer's handler: the sample {@code BuildSucceeded} reaches the deploy for its project; other platform
 * events do not. The deploy's rules are tested in the core (DeployBuildTest) and the local runtime (DeploysTest).
 */
class DeployerHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));

    private final List<ProjectId> looked = new ArrayList<>();
    private final Projects projects = new Projects() {
        @Override
        public Optional<ProjectLink> project(ProjectId projectId) {
            looked.add(projectId);
            return Optional.empty();
        }

        @Override
        public void setInstallation(ProjectLink project, InstallationId installation) {
            throw new AssertionError("not expected");
        }
    };
    private final DeployerHandler handler = new DeployerHandler(new DeployBuild(projects, null, null, null, null, null, null,
            null, null, null, null, events -> { }, java.time.Clock.systemUTC()));

    private String invoke(byte[] event) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), output, null);
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSampleBuildSucceededReachesTheDeployOfItsProject() throws Exception {
        String output = invoke(Files.readAllBytes(ROOT.resolve("events/lambda/deployer.json")));
        assertEquals(List.of(ProjectId.of("hello-world")), looked);
        assertTrue(output.contains("unknown project"), output);
    }

    @Test
    void otherPlatformEventsAreNotDeployed() throws Exception {
        String output = invoke(Files.readAllBytes(ROOT.resolve("events/lambda/preview-teardown.json")));
        assertTrue(output.contains("not an event the deployer acts on"), output);
        assertTrue(looked.isEmpty());
    }

    @Test
    void primingRunsTheDeployPathOnALoopbackWithoutCallingTheRealServices() {
        try (LoopbackAws realServices = LoopbackAws.start(call -> Answer.error(400, "UnexpectedCall", call.target()))) {
            DeployerHandler real = new DeployerHandler(loopbackConfig(realServices));
            real.priming.beforeCheckpoint(null);
            assertEquals(List.of("GetItem"), real.priming.primedOperations(), "the priming copy looked its project up");
            assertEquals(List.of(), realServices.calls(), "nothing reached the real services");
        }
    }

    /** Every setting the function's graph reads, pointing at a loopback that refuses every call. */
    static PlatformConfig loopbackConfig(LoopbackAws loopback) {
        return EmbeddedPlatform.loopbackConfig(loopback.endpoint());
    }
}
