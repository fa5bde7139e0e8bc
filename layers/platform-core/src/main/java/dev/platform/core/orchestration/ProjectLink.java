package dev.platform.core.orchestration;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.deploy.DeploySettings;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.sleep.SleepPolicy;

/**
 * A project connected to a repository, as the webhook path sees it.
 *
 * @param productionBranch copied onto the link so a push needs one query, not one per project
 * @param buildSettings copied onto the link likewise: they are part of every build's identity
 * @param installation the GitHub App installation that serves the repository (null: none known yet);
 *     kept current from the deliveries, which carry it, and the installation events
 * @param deploySettings how the project's app runs (port, health check, size, command): read from the project
 *     item by the deployer; the repository link does not carry them, so the webhook path sees the defaults
 * @param previewPolicy the project's own sleep policy for its previews, from its item (null: the platform's)
 */
public record ProjectLink(ProjectId projectId, String teamId, String repository, String productionBranch,
                          BuildSettings buildSettings, InstallationId installation, DeploySettings deploySettings,
                          SleepPolicy previewPolicy) {
    public ProjectLink {
        deploySettings = deploySettings == null ? DeploySettings.DEFAULTS : deploySettings;
    }

    public ProjectLink(ProjectId projectId, String teamId, String repository, String productionBranch,
                       BuildSettings buildSettings, InstallationId installation) {
        this(projectId, teamId, repository, productionBranch, buildSettings, installation, DeploySettings.DEFAULTS, null);
    }

    /** A project with the default build settings and no installation known. */
    public ProjectLink(ProjectId projectId, String teamId, String repository, String productionBranch) {
        this(projectId, teamId, repository, productionBranch, BuildSettings.DEFAULTS, null);
    }

    public ProjectLink withInstallation(InstallationId newInstallation) {
        return new ProjectLink(projectId, teamId, repository, productionBranch, buildSettings, newInstallation, deploySettings,
                previewPolicy);
    }

    /** The project's own policy, or the platform's when it has none. */
    public SleepPolicy previewPolicy(SleepPolicy platformDefault) {
        return previewPolicy == null ? platformDefault : previewPolicy;
    }
}
