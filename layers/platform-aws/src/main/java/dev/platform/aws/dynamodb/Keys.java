package dev.platform.aws.dynamodb;

/** Key formats of the single table (see docs/data-model.md). */
final class Keys {
    static final String PK = "PK";
    static final String SK = "SK";
    static final String META = "META";
    /** GSI2 partition of every preview that is not deleted; sorted by last inbound request. */
    static final String ACTIVE_PREVIEWS = "PREVIEWS#ACTIVE";

    private Keys() {
    }

    static String team(String teamId) {
        return "TEAM#" + teamId;
    }

    static String project(String projectId) {
        return "PROJECT#" + projectId;
    }

    static String repo(String repositoryKey) {
        return "REPO#" + repositoryKey;
    }

    static String preview(int pr) {
        return "PREVIEW#" + pr;
    }

    static String productionBranch() {
        return "PRODUCTION";
    }
}
