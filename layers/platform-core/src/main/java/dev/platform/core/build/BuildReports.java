package dev.platform.core.build;

import dev.platform.core.github.app.CheckRun;
import dev.platform.core.github.app.CheckRuns;
import dev.platform.core.json.JsonLog;
import java.util.Map;

/**
 * A build on its commit, as a GitHub check run named {@value #CHECK_NAME}: queued → in progress →
 * completed (success, failure, or cancelled when superseded or cancelled), the failure reason in its
 * summary and a link to the build's logs. Reporting never fails a build: a failure (after the GitHub
 * adapter's own retries) is logged and the build goes on.
 */
public final class BuildReports {
    public static final String CHECK_NAME = "preview build";

    private final CheckRuns checkRuns;
    private final String logsUrlTemplate;

    /** @param logsUrlTemplate the builder task's logs, with {@code {taskId}} for the task id's last part; null: none */
    public BuildReports(CheckRuns checkRuns, String logsUrlTemplate) {
        this.checkRuns = checkRuns;
        this.logsUrlTemplate = logsUrlTemplate;
    }

    /** @return the new check run's id, or null when it could not be created */
    Long queued(Build build) {
        try {
            return checkRuns.create(build.installation(), build.repository(), build.commitSha(),
                    run(build, CheckRun.Status.QUEUED, null, "Queued", "Waiting for a builder."));
        } catch (RuntimeException e) {
            logFailure("create", build, e);
            return null;
        }
    }

    void running(Build build) {
        update(build, run(build, CheckRun.Status.IN_PROGRESS, null, "Building",
                "Building " + build.commitSha().shortForm() + " (attempt " + build.attempt() + ")."));
    }

    void completed(Build build) {
        CheckRun run = switch (build.status()) {
            case SUCCEEDED -> run(build, CheckRun.Status.COMPLETED, CheckRun.Conclusion.SUCCESS, "Built", "Image " + build.image());
            case FAILED -> run(build, CheckRun.Status.COMPLETED, CheckRun.Conclusion.FAILURE, "Build failed", build.failureReason());
            case SUPERSEDED, CANCELLED -> run(build, CheckRun.Status.COMPLETED, CheckRun.Conclusion.CANCELLED,
                    "Build " + build.status().wireName(), build.failureReason());
            case QUEUED, RUNNING -> throw new IllegalArgumentException("build " + build.buildId() + " has not ended");
        };
        if (build.checkRunId() == null) {
            if (build.installation() != null) {
                try {
                    checkRuns.create(build.installation(), build.repository(), build.commitSha(), run);
                } catch (RuntimeException e) {
                    logFailure("create", build, e);
                }
            }
            return;
        }
        update(build, run);
    }

    private void update(Build build, CheckRun run) {
        if (build.checkRunId() == null) {
            return;
        }
        try {
            checkRuns.update(build.installation(), build.repository(), build.checkRunId(), run);
        } catch (RuntimeException e) {
            logFailure("update", build, e);
        }
    }

    private CheckRun run(Build build, CheckRun.Status status, CheckRun.Conclusion conclusion, String title, String summary) {
        return new CheckRun(CHECK_NAME, build.buildId().value(), status, conclusion, title, summary, logsUrl(build));
    }

    private String logsUrl(Build build) {
        if (logsUrlTemplate == null || build.taskId() == null) {
            return null;
        }
        String task = build.taskId().substring(build.taskId().lastIndexOf('/') + 1);
        return logsUrlTemplate.replace("{taskId}", task);
    }

    private static void logFailure(String what, Build build, RuntimeException e) {
        JsonLog.error("could not " + what + " the build's check run; the build goes on",
                Map.of("buildId", build.buildId().value(), "repository", build.repository()), e);
    }
}
