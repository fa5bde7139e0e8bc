package dev.platform.core.github.app;

import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;

/** Port: check runs on commits (GitHub Apps only; {@code checks: write}). */
public interface CheckRuns {

    /**
     * {@code POST /repos/{repository}/check-runs} on {@code head}.
     *
     * @return the check run's id
     * @throws GitHubException when GitHub refuses or fails
     */
    long create(InstallationId installation, String repository, CommitSha head, CheckRun run);

    /**
     * {@code PATCH /repos/{repository}/check-runs/{checkRunId}}.
     *
     * @throws GitHubException when GitHub refuses or fails
     */
    void update(InstallationId installation, String repository, long checkRunId, CheckRun run);
}
