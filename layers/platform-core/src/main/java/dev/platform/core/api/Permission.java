package dev.platform.core.api;

/** What a request does to a team's resources; {@link Permissions} says which roles may. */
public enum Permission {
    /** Read the team, its members, invitations, audit log, projects, previews, deployments and builds. */
    READ,
    /** Rename the team. */
    UPDATE_TEAM,
    /** Delete the team. */
    DELETE_TEAM,
    /** Change the role of, or remove, a member who is not an owner (and not to owner). */
    MANAGE_MEMBERS,
    /** Make a member an owner, or demote or remove an owner. */
    MANAGE_OWNERS,
    /** Invite people and cancel invitations. */
    MANAGE_INVITATIONS,
    /** Create, update and delete projects and their settings. */
    MANAGE_PROJECTS,
    /** Wake, sleep, extend and redeploy previews. */
    OPERATE_PREVIEWS,
    /** Tear a preview down. */
    DELETE_PREVIEWS,
    /** Production actions: promote (roll back) a deployment. */
    OPERATE_PRODUCTION,
    /** Read environment variables' values (never a sensitive one's), their history and exports; without it, names only. */
    READ_ENV_VALUES,
    /** Set, import and delete {@code preview} and {@code development} environment variables. */
    MANAGE_PREVIEW_ENV,
    /** Set, import and delete {@code production} environment variables. */
    MANAGE_PRODUCTION_ENV
}
