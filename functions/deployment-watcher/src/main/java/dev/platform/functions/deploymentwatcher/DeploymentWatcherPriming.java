package dev.platform.functions.deploymentwatcher;

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
 * The deployment watcher's synthetic request for SnapStart priming ({@link PrimingHook}): a completed
 * deployment of a service whose environment the loopback table does not hold. It loads and runs the event
 * parsing, the Dagger graph and the DynamoDB client, on a copy whose clients talk to a loopback endpoint
 * (see {@link Priming}).
 */
final class DeploymentWatcherPriming {
    private DeploymentWatcherPriming() {
    }

    static void exercise(DeploymentWatcherHandler copy) {
        var event = Json.object().put("id", "snapstart-priming").put("source", Trigger.EcsDeploymentStateChange.SOURCE)
                .put("detail-type", Trigger.EcsDeploymentStateChange.DETAIL_TYPE);
        event.putArray("resources").add("arn:aws:ecs:us-east-1:000000000000:service/platform/" + Priming.PROJECT_ID + "-pr-1");
        event.putObject("detail").put("eventType", "INFO").put("eventName", "SERVICE_DEPLOYMENT_COMPLETED")
                .put("deploymentId", "ecs-svc/0000000000000000000");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            copy.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), output, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!output.toString(StandardCharsets.UTF_8).contains("no live environment")) {
            throw new IllegalStateException("priming request answered " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
