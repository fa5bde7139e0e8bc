package dev.platform.functions.buildlauncher;

import dev.platform.aws.priming.Priming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventCodec;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The launcher's synthetic request for SnapStart priming ({@link PrimingHook}): a {@code BuildRequested}
 * for a project the loopback table does not hold. It loads and runs the event parsing, the Dagger graph,
 * the DynamoDB client's marshalling and the outcome mapping, on a copy whose clients talk to a loopback
 * endpoint (see {@link Priming}); nothing is fetched from GitHub and no task is started.
 */
final class BuildLauncherPriming {
    private BuildLauncherPriming() {
    }

    static void exercise(BuildLauncherHandler copy) {
        PlatformEvent.BuildRequested requested = PlatformEvent.BuildRequested.preview(ProjectId.of(Priming.PROJECT_ID),
                PrNumber.of(1), CommitSha.of("0123456789abcdef0123456789abcdef01234567"), BuildSettings.DEFAULTS,
                "snapstart-priming");
        var event = Json.object().put("id", "snapstart-priming").put("source", PlatformEvent.SOURCE)
                .put("detail-type", requested.detailType());
        event.set("detail", PlatformEventCodec.detail(requested));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            copy.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), output, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!output.toString(StandardCharsets.UTF_8).contains("unknown project")) {
            throw new IllegalStateException("priming request answered " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
