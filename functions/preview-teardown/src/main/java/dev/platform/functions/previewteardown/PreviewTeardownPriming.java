package dev.platform.functions.previewteardown;

import dev.platform.aws.priming.Priming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventCodec;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The teardown's synthetic request for SnapStart priming ({@link PrimingHook}): a teardown of a preview the
 * loopback table does not hold. It loads and runs the event parsing, the Dagger graph and the DynamoDB
 * client, on a copy whose clients talk to a loopback endpoint (see {@link Priming}); nothing is removed.
 */
final class PreviewTeardownPriming {
    private PreviewTeardownPriming() {
    }

    static void exercise(PreviewTeardownHandler copy) {
        var requested = new PlatformEvent.PreviewTeardownRequested(ProjectId.of(Priming.PROJECT_ID), PrNumber.of(1));
        var event = Json.object().put("id", "snapstart-priming").put("source", PlatformEvent.SOURCE)
                .put("detail-type", requested.detailType());
        event.set("detail", PlatformEventCodec.detail(requested));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            copy.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), output, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!output.toString(StandardCharsets.UTF_8).contains("nothing deployed")) {
            throw new IllegalStateException("priming request answered " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
