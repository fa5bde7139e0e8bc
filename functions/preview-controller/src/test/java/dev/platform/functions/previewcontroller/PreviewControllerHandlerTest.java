package dev.platform.functions.previewcontroller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.platform.core.deploy.DeployReports;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventCodec;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.Json;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.orchestration.Stored;
import dev.platform.core.sleep.ControlPreview;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The preview controller's handler: the sample {@code /preview sleep} reaches the command of its preview (here
 * one that was never deployed, so nothing is acted on); events it does not act on are answered so. The commands'
 * rules are tested in the core (SleepAndWakeTest) and the local runtime (SleepWakeTest).
 */
class PreviewControllerHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));

    private final List<EnvironmentRef> read = new ArrayList<>();
    private final EnvironmentStore environments = new EnvironmentStore() {
        @Override
        public Optional<Stored<Environment>> read(EnvironmentRef ref) {
            read.add(ref);
            return Optional.empty();
        }

        @Override
        public void commit(Environment next, long expectedVersion, List<Stored.OutboxEntry> events) {
            throw new AssertionError("not expected");
        }

        @Override
        public void removeFromOutbox(EnvironmentRef ref, List<Stored.OutboxEntry> published) {
            throw new AssertionError("not expected");
        }
    };
    private final Projects projects = new Projects() {
        @Override
        public Optional<ProjectLink> project(ProjectId projectId) {
            return Optional.empty();
        }

        @Override
        public void setInstallation(ProjectLink project, InstallationId installation) {
            throw new AssertionError("not expected");
        }
    };
    private final PreviewControllerHandler handler = new PreviewControllerHandler(new ControlPreview(projects,
            environments, null, null, null, null, new DeployReports(null, Clock.systemUTC(), null), null,
            events -> { }, Clock.systemUTC()));

    private String invoke(InputStream event) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(event, output, null);
        return Json.MAPPER.readTree(output.toByteArray()).path("result").asText();
    }

    @Test
    void theSampleCommandReachesItsPreview() throws Exception {
        try (InputStream in = Files.newInputStream(ROOT.resolve("events/lambda/preview-controller.json"))) {
            assertEquals("/preview sleep by @octocat: no deployed preview to sleep", invoke(in));
        }
        assertEquals(List.of(EnvironmentRef.preview(ProjectId.of("hello-world"), PrNumber.of(2))), read);
    }

    @Test
    void anotherPlatformEventIsNotActedOn() throws Exception {
        PlatformEvent tornDown = new PlatformEvent.PreviewTornDown(ProjectId.of("hello-world"), PrNumber.of(2));
        var event = Json.object().put("id", "e1").put("source", PlatformEvent.SOURCE).put("detail-type", tornDown.detailType());
        event.set("detail", PlatformEventCodec.detail(tornDown));

        assertEquals("not an event the preview controller acts on",
                invoke(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of(), read);
    }
}
