package dev.platform.core.build;

/**
 * Port: the builder, one sandboxed task per build (on AWS a Fargate task running a daemonless image
 * builder). Behind this port another builder (CodeBuild, say) can replace it without touching the launcher.
 */
public interface BuilderTasks {

    /**
     * Starts the task; idempotent per {@link BuilderTask#clientToken()}.
     *
     * @return the task's id (an ECS task ARN)
     */
    String start(BuilderTask task);

    /** Stops a task; one that is unknown or already stopped is not an error. */
    void stop(String taskId, String reason);
}
