package dev.platform.core.build;

import dev.platform.core.ids.BuildId;

/**
 * A builder task ended, as the container service reports it (on AWS an ECS "Task State Change" event
 * with {@code lastStatus} {@code STOPPED}).
 *
 * @param buildId what the task was started for ({@code startedBy})
 * @param attempt which attempt of the build it ran (from the task's overrides), or null when not known
 * @param exitCode the builder container's exit code, null when it never ran or was killed without one
 * @param stopCode why the task stopped ({@code EssentialContainerExited}, {@code TaskFailedToStart},
 *     {@code UserInitiated}, ...), may be null
 * @param containerReason the container's own reason ({@code OutOfMemoryError: ...}), may be null
 */
public record BuilderTaskStopped(String taskId, BuildId buildId, Integer attempt, Integer exitCode, String stopCode,
                                 String stoppedReason, String containerReason) {

    /** Exit code of the {@code timeout} the builder command runs under when the build timeout passes. */
    public static final int TIMEOUT_EXIT_CODE = 124;

    public boolean succeeded() {
        return exitCode != null && exitCode == 0;
    }

    /** Why the build failed, for people (a check run's summary, a preview's status). */
    public String failureReason() {
        if ("TaskFailedToStart".equals(stopCode)) {
            return "the builder task failed to start: " + orUnknown(stoppedReason);
        }
        if (containerReason != null && containerReason.contains("OutOfMemory")) {
            return "the builder ran out of memory (" + containerReason + "); give builds more memory";
        }
        if (exitCode == null) {
            return "the builder task stopped before the build ended: " + orUnknown(stoppedReason);
        }
        if (exitCode == TIMEOUT_EXIT_CODE) {
            return "the build timed out (exit code " + TIMEOUT_EXIT_CODE + ")";
        }
        return "the builder exited with code " + exitCode + (stoppedReason == null ? "" : " (" + stoppedReason + ")");
    }

    private static String orUnknown(String reason) {
        return reason == null || reason.isBlank() ? "no reason given" : reason;
    }
}
