package dev.platform.core.preview;

import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.ProjectId;
import java.time.Instant;

/**
 * The newest push to a project's production branch.
 *
 * @param pushedAt {@code repository.pushed_at} of that push (epoch seconds): older pushes change nothing
 */
public record ProductionBranch(ProjectId projectId, String branch, CommitSha headSha, long pushedAt, Instant changedAt)
        implements TrackedState {
}
