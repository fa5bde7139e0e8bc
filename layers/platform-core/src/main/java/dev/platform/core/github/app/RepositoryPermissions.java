package dev.platform.core.github.app;

import dev.platform.core.ids.InstallationId;

/** Port: what a GitHub user may do in a repository, asked through the GitHub App. */
public interface RepositoryPermissions {

    /**
     * {@code GET /repos/{repository}/collaborators/{login}/permission}.
     *
     * @return {@link RepositoryPermission#NONE} for a user who is not a collaborator
     * @throws GitHubException when GitHub refuses or fails
     */
    RepositoryPermission permissionOf(InstallationId installation, String repository, String login);
}
