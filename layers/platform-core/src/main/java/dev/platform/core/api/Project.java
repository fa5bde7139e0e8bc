package dev.platform.core.api;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.deploy.DeploySettings;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.sleep.SleepPolicy;
import java.time.Instant;

/**
 * A project as the API manages it.
 *
 * @param slug unique in its team
 * @param revision counts the project's changes: its ETag, and the precondition of an update
 */
public record Project(ProjectId projectId, String teamId, String name, String slug, String repository,
                      String productionBranch, BuildSettings build, DeploySettings deploy, SleepPolicy previews,
                      long revision, Instant createdAt, Instant updatedAt) {
}
