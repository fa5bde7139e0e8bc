package dev.platform.core.deploy;

import dev.platform.core.ids.ProjectId;
import java.util.List;
import java.util.Optional;

/**
 * Port: the deployment history of each project ({@code DEPLOY#<id>} items). Each environment holds its
 * latest deployment itself (the record of truth while it rolls out); these are the copies kept for
 * listing and promoting, written after every change.
 */
public interface DeploymentRecords {

    /** Stores the deployment as it is now (a later state replaces an earlier one). */
    void put(Deployment deployment);

    Optional<Deployment> deployment(ProjectId projectId, String deploymentId);

    /** The project's deployments, newest first, at most {@code limit}. */
    List<Deployment> deployments(ProjectId projectId, int limit);
}
