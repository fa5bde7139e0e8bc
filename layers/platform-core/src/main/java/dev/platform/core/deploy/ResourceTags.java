package dev.platform.core.deploy;

/**
 * Tags the platform puts on every ECS service, task definition, target group and listener rule it
 * creates. The reconciler finds its resources by them and never touches a resource without
 * {@link #PROJECT}.
 */
public final class ResourceTags {
    public static final String PROJECT = "platform:project";
    /** The pull request number of a preview's resources; absent on production's. */
    public static final String PR = "platform:pr";
    /** {@code preview} or {@code production}. */
    public static final String ENVIRONMENT = "platform:environment";
    public static final String COMMIT = "platform:commit";
    public static final String DEPLOYMENT = "platform:deployment";

    private ResourceTags() {
    }
}
