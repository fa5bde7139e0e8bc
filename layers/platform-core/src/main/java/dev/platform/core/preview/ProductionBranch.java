package dev.platform.core.preview;

import java.time.Instant;

/**
 * The newest push to a project's production branch.
 *
 * @param pushedAt {@code repository.pushed_at} of that push (epoch seconds): older pushes change nothing
 */
public record ProductionBranch(String projectId, String branch, String headSha, long pushedAt, Instant changedAt)
        implements TrackedState {
}
