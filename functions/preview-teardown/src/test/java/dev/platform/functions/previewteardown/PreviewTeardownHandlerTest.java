package dev.platform.functions.previewteardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.LoopbackAws.Answer;
import dev.platform.aws.priming.LoopbackAws;
import dev.platform.core.build.BuildTargets;
import dev.platform.core.deploy.TearDownPreview;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
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
 * The teardown's handler: the sample {@code PreviewTeardownRequested} reaches the teardown of its preview;
 * other platform events do not. The teardown's rules are tested in the core (DeployBuildTest) and the local
 * runtime (DeploysTest).
 */
class PreviewTeardownHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));

    private final List<PrNumber> asked = new ArrayList<>();
    private final BuildTargets targets = new BuildTargets() {
        @Override
        public Optional<TargetState> target(ProjectId projectId, BuildTarget target, PrNumber pr) {
            asked.add(pr);
            return Optional.of(new TargetState(CommitSha.of("ec26c3e57ca3a959ca5aad62de7213c562f8c821"), false, null));
        }

        @Override
        public boolean building(ProjectId projectId, BuildTarget target, PrNumber pr, CommitSha commit, BuildId buildId) {
            throw new AssertionError("not expected");
        }

        @Override
        public void buildEnded(ProjectId projectId, BuildTarget target, PrNumber pr, BuildId buildId, boolean succeeded,
                               String reason) {
            throw new AssertionError("not expected");
        }
    };
    private final PreviewTeardownHandler handler = new PreviewTeardownHandler(new TearDownPreview(null, targets, null, null,
            null, null, null, null, events -> { }, java.time.Clock.systemUTC()));

    private String invoke(byte[] event) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), output, null);
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSampleTeardownReachesItsPreviewWhichWasReopenedSince() throws Exception {
        String output = invoke(Files.readAllBytes(ROOT.resolve("events/lambda/preview-teardown.json")));
        assertEquals(List.of(PrNumber.of(2)), asked);
        assertTrue(output.contains("reopened"), output);
    }

    @Test
    void otherPlatformEventsAreNotTornDown() throws Exception {
        String output = invoke(Files.readAllBytes(ROOT.resolve("events/lambda/deployer.json")));
        assertTrue(output.contains("not an event the teardown acts on"), output);
        assertTrue(asked.isEmpty());
    }

    @Test
    void primingRunsTheTeardownPathOnALoopbackWithoutCallingTheRealServices() {
        try (LoopbackAws realServices = LoopbackAws.start(call -> Answer.error(400, "UnexpectedCall", call.target()))) {
            PreviewTeardownHandler real = new PreviewTeardownHandler(loopbackConfig(realServices));
            real.priming.beforeCheckpoint(null);
            assertEquals(List.of("GetItem", "GetItem"), real.priming.primedOperations(),
                    "the priming copy looked its preview and environment up");
            assertEquals(List.of(), realServices.calls(), "nothing reached the real services");
        }
    }

    /** Every setting the function's graph reads, pointing at a loopback that refuses every call. */
    static PlatformConfig loopbackConfig(LoopbackAws loopback) {
        return EmbeddedPlatform.loopbackConfig(loopback.endpoint());
    }
}
