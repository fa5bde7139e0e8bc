package dev.platform.core.orchestration;

/**
 * A project connected to a repository, as the webhook path sees it.
 *
 * @param productionBranch copied onto the link so a push needs one query, not one per project
 */
public record ProjectLink(String projectId, String teamId, String repository, String productionBranch) {
}
