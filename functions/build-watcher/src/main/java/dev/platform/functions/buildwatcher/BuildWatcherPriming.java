package dev.platform.functions.buildwatcher;

import dev.platform.aws.priming.Priming;
import dev.platform.aws.priming.PrimingHook;
import dev.platform.core.json.Json;
import dev.platform.topology.Trigger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The watcher's synthetic request for SnapStart priming ({@link PrimingHook}): a stopped builder task of a
 * build the loopback table does not hold. It loads and runs the event parsing, the Dagger graph and the
 * DynamoDB client, on a copy whose clients talk to a loopback endpoint (see {@link Priming}).
 */
final class BuildWatcherPriming {
    private BuildWatcherPriming() {
    }

    static void exercise(BuildWatcherHandler copy) {
        var event = Json.object().put("id", "snapstart-priming").put("source", Trigger.EcsTaskStateChange.SOURCE)
                .put("detail-type", Trigger.EcsTaskStateChange.DETAIL_TYPE);
        var detail = event.putObject("detail").put("lastStatus", "STOPPED").put("stopCode", "EssentialContainerExited")
                .put("taskArn", "arn:aws:ecs:us-east-1:000000000000:task/snapstart/priming")
                .put("startedBy", "b-" + "0".repeat(32));
        detail.putArray("containers").addObject().put("name", "builder").put("exitCode", 0);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            copy.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), output, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!output.toString(StandardCharsets.UTF_8).contains("unknown build")) {
            throw new IllegalStateException("priming request answered " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
