package dev.platform.core.build;

import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import java.util.Optional;

/**
 * Port: the targets builds are for, a project's previews and its production, as the builder sees them.
 * Their state belongs to the orchestrator; the builder only marks what its builds do, with writes
 * conditional on the target still wanting that build.
 */
public interface BuildTargets {

    /**
     * What a target wants now.
     *
     * @param head the commit the target is at
     * @param deleted the pull request was closed
     * @param buildId the build the target waits for or has, or null
     */
    record TargetState(CommitSha head, boolean deleted, BuildId buildId) {
    }

    /** @param pr the pull request of a preview, null for production */
    Optional<TargetState> target(ProjectId projectId, BuildTarget target, PrNumber pr);

    /**
     * The target builds {@code buildId} now ({@code building}), if it is still at {@code commit} and live.
     *
     * @return false when the target moved on (a newer commit, a close): nothing was changed
     */
    boolean building(ProjectId projectId, BuildTarget target, PrNumber pr, CommitSha commit, BuildId buildId);

    /**
     * The build the target waits for ended: {@code built}, or {@code failed} with the reason. Nothing
     * changes if the target waits for another build by now.
     */
    void buildEnded(ProjectId projectId, BuildTarget target, PrNumber pr, BuildId buildId, boolean succeeded, String reason);
}
