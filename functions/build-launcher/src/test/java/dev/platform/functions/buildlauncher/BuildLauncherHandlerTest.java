package dev.platform.functions.buildlauncher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.LoopbackAws.Answer;
import dev.platform.aws.priming.LoopbackAws;
import dev.platform.core.build.BuildReports;
import dev.platform.core.build.BuildTargets;
import dev.platform.core.build.LaunchBuild;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.Json;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Projects;
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
 * The launcher's handler: the sample event as EventBridge delivers it reaches the launch with its
 * request; a teardown reaches it too; other platform events and inputs that are not events do not. The
 * launch's own rules are tested in the core (LaunchBuildTest) and the local runtime (BuildsTest).
 */
class BuildLauncherHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));

    private final List<String> asked = new ArrayList<>();
    private final Projects projects = new Projects() {
        @Override
        public Optional<ProjectLink> project(ProjectId projectId) {
            asked.add("project " + projectId);
            return Optional.empty();
        }

        @Override
        public void setInstallation(ProjectLink project, dev.platform.core.ids.InstallationId installation) {
            throw new AssertionError("not expected");
        }
    };
    private final BuildTargets targets = new BuildTargets() {
        @Override
        public Optional<TargetState> target(ProjectId projectId, PlatformEvent.BuildTarget target, PrNumber pr) {
            asked.add("target " + projectId + " " + target.wireName() + " " + pr);
            return Optional.empty();
        }

        @Override
        public boolean building(ProjectId projectId, PlatformEvent.BuildTarget target, PrNumber pr,
                                dev.platform.core.ids.CommitSha commit, BuildId buildId) {
            throw new AssertionError("not expected");
        }

        @Override
        public void buildEnded(ProjectId projectId, PlatformEvent.BuildTarget target, PrNumber pr, BuildId buildId,
                               boolean succeeded, String reason) {
            throw new AssertionError("not expected");
        }
    };
    private final BuildLauncherHandler handler = new BuildLauncherHandler(new LaunchBuild(projects, targets, null, null, null,
            null, null, new BuildReports(null, null), events -> { }, new LaunchBuild.Settings(1, "cache"), java.time.Clock.systemUTC()));

    private String invoke(byte[] event) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), output, null);
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSampleBuildRequestReachesTheLaunchAsItsProjectsRequest() throws Exception {
        String output = invoke(Files.readAllBytes(ROOT.resolve("events/lambda/build-launcher.json")));
        assertEquals(List.of("project hello-world"), asked);
        assertTrue(output.contains("unknown project hello-world"), output);
    }

    @Test
    void aTeardownReachesTheLaunchForItsPreview() throws Exception {
        var event = Json.object().put("id", "e1").put("source", "platform").put("detail-type", "PreviewTeardownRequested");
        event.putObject("detail").put("projectId", "hello-world").put("pr", 2);
        String output = invoke(Json.write(event).getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("target hello-world preview 2"), asked);
        assertTrue(output.contains("no build for preview #2"), output);
    }

    @Test
    void inputsThatAreNotPlatformEventsAreRefusedNamingWhy() {
        IllegalArgumentException notAnEvent = assertThrows(IllegalArgumentException.class,
                () -> invoke("{\"hello\":1}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(notAnEvent.getMessage().contains("detail-type"), notAnEvent.getMessage());
        IllegalArgumentException badDetail = assertThrows(IllegalArgumentException.class, () -> invoke(
                "{\"detail-type\":\"BuildRequested\",\"detail\":{\"projectId\":\"Not A Project\"}}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(badDetail.getMessage().startsWith("BuildRequested:"), badDetail.getMessage());
        assertTrue(asked.isEmpty());
    }

    @Test
    void primingRunsTheLaunchPathOnALoopbackWithoutCallingTheRealServices() {
        try (LoopbackAws realServices = LoopbackAws.start(call -> Answer.error(400, "UnexpectedCall", call.target()))) {
            BuildLauncherHandler real = new BuildLauncherHandler(new PlatformConfig(Map.ofEntries(
                    Map.entry("AWS_REGION", "us-east-1"), Map.entry("AWS_ACCESS_KEY_ID", "test"),
                    Map.entry("AWS_SECRET_ACCESS_KEY", "test"), Map.entry("AWS_ENDPOINT_URL", realServices.endpoint().toString()),
                    Map.entry(PlatformConfig.TABLE_NAME, "platform"), Map.entry(PlatformConfig.EVENT_BUS_NAME, "platform"),
                    Map.entry(Settings.SOURCE_BUCKET, "sources"), Map.entry(Settings.BUILD_CLUSTER, "builds"),
                    Map.entry(Settings.BUILDER_TASK_DEFINITION, "platform-builder"), Map.entry(Settings.BUILDER_SUBNETS, "subnet-1"),
                    Map.entry(Settings.BUILDER_SECURITY_GROUP, "sg-1"),
                    Map.entry(Settings.IMAGE_REPOSITORY_URI, "1.dkr.ecr.us-east-1.amazonaws.com/previews"),
                    Map.entry(Settings.BUILD_CACHE_REPOSITORY_URI, "1.dkr.ecr.us-east-1.amazonaws.com/cache"))));
            real.priming.beforeCheckpoint(null);
            assertEquals(List.of("GetItem"), real.priming.primedOperations(), "the priming copy looked its project up");
            assertEquals(List.of(), realServices.calls(), "nothing reached the real services");
        }
    }
}
