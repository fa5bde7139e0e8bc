package dev.platform.core.orchestration;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.ProjectId;

/**
 * A project connected to a repository, as the webhook path sees it.
 *
 * @param productionBranch copied onto the link so a push needs one query, not one per project
 * @param buildSettings copied onto the link likewise: they are part of every build's identity
 * @param installation the GitHub App installation that serves the repository (null: none known yet);
 *     kept current from the deliveries, which carry it, and the installation events
 */
public record ProjectLink(ProjectId projectId, String teamId, String repository, String productionBranch,
                          BuildSettings buildSettings, InstallationId installation) {

    /** A project with the default build settings and no installation known. */
    public ProjectLink(ProjectId projectId, String teamId, String repository, String productionBranch) {
        this(projectId, teamId, repository, productionBranch, BuildSettings.DEFAULTS, null);
    }

    public ProjectLink withInstallation(InstallationId newInstallation) {
        return new ProjectLink(projectId, teamId, repository, productionBranch, buildSettings, newInstallation);
    }
}
