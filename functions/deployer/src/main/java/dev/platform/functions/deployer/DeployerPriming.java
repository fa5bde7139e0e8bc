package dev.platform.functions.deployer;

import dev.platform.aws.priming.Priming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventCodec;
import dev.platform.core.ids.BuildId;
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
 * The deployer's synthetic request for SnapStart priming ({@link PrimingHook}): a {@code BuildSucceeded}
 * for a project the loopback table does not hold. It loads and runs the event parsing, the Dagger graph and
 * the DynamoDB client, on a copy whose clients talk to a loopback endpoint (see {@link Priming}); no ECS or
 * ELB call is made. No host is generated either: the random part of a host is never in a snapshot.
 */
final class DeployerPriming {
    private DeployerPriming() {
    }

    static void exercise(DeployerHandler copy) {
        ProjectId project = ProjectId.of(Priming.PROJECT_ID);
        CommitSha commit = CommitSha.of("0123456789abcdef0123456789abcdef01234567");
        var built = new PlatformEvent.BuildSucceeded(project, PlatformEvent.BuildTarget.PREVIEW, PrNumber.of(1), commit,
                BuildId.of(project, commit, BuildSettings.DEFAULTS), "snapstart.invalid/priming@sha256:" + "0".repeat(64),
                "r-snapstart-priming");
        var event = Json.object().put("id", "snapstart-priming").put("source", PlatformEvent.SOURCE)
                .put("detail-type", built.detailType());
        event.set("detail", PlatformEventCodec.detail(built));
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
