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
        return new PlatformConfig(Map.ofEntries(
                Map.entry("AWS_REGION", "us-east-1"), Map.entry("AWS_ACCESS_KEY_ID", "test"),
                Map.entry("AWS_SECRET_ACCESS_KEY", "test"), Map.entry("AWS_ENDPOINT_URL", loopback.endpoint().toString()),
                Map.entry(PlatformConfig.TABLE_NAME, "platform"), Map.entry(PlatformConfig.EVENT_BUS_NAME, "platform"),
                Map.entry(Settings.APP_CLUSTER, "platform"), Map.entry(Settings.APP_SUBNETS, "subnet-1,subnet-2"),
                Map.entry(Settings.APP_SECURITY_GROUP, "sg-1"),
                Map.entry(Settings.APP_EXECUTION_ROLE_ARN, "arn:aws:iam::000000000000:role/app-execution"),
                Map.entry(Settings.APP_TASK_ROLE_ARN, "arn:aws:iam::000000000000:role/app-task"),
                Map.entry(Settings.APP_LOG_GROUP, "/platform/apps"), Map.entry(Settings.APP_VPC_ID, "vpc-1"),
                Map.entry(Settings.PREVIEW_LISTENER_ARNS,
                        "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/previews-0/1/2"),
                Map.entry(Settings.PRODUCTION_LISTENER_ARN,
                        "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/production/1/2"),
                Map.entry(Settings.PREVIEW_DOMAIN, "preview.example.com")));
    }
}
