package dev.platform.core.orchestration;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.ids.ProjectId;

/**
 * A project connected to a repository, as the webhook path sees it.
 *
 * @param productionBranch copied onto the link so a push needs one query, not one per project
 * @param buildSettings copied onto the link likewise: they are part of every build's identity
 */
public record ProjectLink(ProjectId projectId, String teamId, String repository, String productionBranch,
                          BuildSettings buildSettings) {

    /** A project with the default build settings. */
    public ProjectLink(ProjectId projectId, String teamId, String repository, String productionBranch) {
        this(projectId, teamId, repository, productionBranch, BuildSettings.DEFAULTS);
    }
}
