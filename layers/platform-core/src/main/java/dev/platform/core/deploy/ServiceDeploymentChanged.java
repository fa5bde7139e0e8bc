package dev.platform.core.deploy;

/**
 * An ECS "Deployment State Change" event, as the deployment watcher needs it.
 *
 * @param serviceName the service the event's resource names
 * @param ecsDeploymentId {@code ecs-svc/...}
 * @param reason ECS's words (for a failure: the circuit breaker's)
 */
public record ServiceDeploymentChanged(String serviceName, String ecsDeploymentId, State state, String reason) {

    public enum State {
        IN_PROGRESS, COMPLETED, FAILED;

        /** {@code SERVICE_DEPLOYMENT_COMPLETED} → COMPLETED; null for an event name the watcher does not act on. */
        public static State ofEventName(String eventName) {
            return switch (eventName) {
                case "SERVICE_DEPLOYMENT_IN_PROGRESS" -> IN_PROGRESS;
                case "SERVICE_DEPLOYMENT_COMPLETED" -> COMPLETED;
                case "SERVICE_DEPLOYMENT_FAILED" -> FAILED;
                default -> null;
            };
        }
    }
}
