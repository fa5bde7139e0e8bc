package dev.platform.aws.ecs;

import dev.platform.aws.eventbridge.EventEnvelope;
import dev.platform.core.deploy.ServiceDeploymentChanged;
import java.util.Optional;

/**
 * ECS "Deployment State Change" events ({@code aws.ecs}, on the default bus): the service is the event's
 * one resource ({@code arn:aws:ecs:<region>:<account>:service/<cluster>/<name>}), the deployment and what
 * happened to it are in the detail ({@code eventName} {@code SERVICE_DEPLOYMENT_IN_PROGRESS},
 * {@code _COMPLETED} or {@code _FAILED}, {@code deploymentId}, {@code reason}).
 */
public final class EcsDeploymentEvents {
    private EcsDeploymentEvents() {
    }

    /**
     * @return the change, or empty for event names the watcher does not act on
     * @throws IllegalArgumentException when the event names no service or no deployment
     */
    public static Optional<ServiceDeploymentChanged> changed(EventEnvelope envelope) {
        var state = ServiceDeploymentChanged.State.ofEventName(envelope.detail().path("eventName").asText(""));
        if (state == null) {
            return Optional.empty();
        }
        String service = envelope.resources().stream().filter(arn -> arn.contains(":service/")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("ECS deployment state change without a service ARN"));
        String deploymentId = envelope.detail().path("deploymentId").asText("");
        if (deploymentId.isEmpty()) {
            throw new IllegalArgumentException("ECS deployment state change without a deploymentId");
        }
        String reason = envelope.detail().path("reason").asText(null);
        return Optional.of(new ServiceDeploymentChanged(service.substring(service.lastIndexOf('/') + 1), deploymentId,
                state, reason));
    }
}
