package dev.platform.aws.dynamodb;

import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.Slot;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;

/** Key formats of the single table (see docs/design-notes.md). */
final class Keys {
    static final String PK = "PK";
    static final String SK = "SK";
    static final String META = "META";
    /**
     * GSI2 partition of the deploy environments of previews whose service is meant to run, sorted by project and
     * then by last inbound request: {@code <projectId>#<time>#<pr>}.
     */
    static final String ACTIVE_PREVIEWS = "PREVIEWS#ACTIVE";
    /** GSI1 partition of the previews with an expiry, sorted by when it is next due: {@code <time>#<projectId>#<pr>}. */
    static final String EXPIRING_PREVIEWS = "PREVIEWS#EXPIRY";

    private Keys() {
    }

    static String team(String teamId) {
        return "TEAM#" + teamId;
    }

    static String project(ProjectId projectId) {
        return "PROJECT#" + projectId.value();
    }

    static String repo(String repositoryKey) {
        return "REPO#" + repositoryKey;
    }

    static String preview(PrNumber pr) {
        return "PREVIEW#" + pr.value();
    }

    /** A deploy environment: {@code ENV#preview#<n>} or {@code ENV#production}. */
    static String environment(EnvironmentRef ref) {
        return "ENV#" + ref.target().wireName() + (ref.preview() ? "#" + ref.pr().value() : "");
    }

    /** A deployment: its id sorts by creation time, so the project's {@code DEPLOY#} keys list newest last. */
    static String deployment(String deploymentId) {
        return "DEPLOY#" + deploymentId;
    }

    /** The slots of a load balancer shard: {@code SHARD#<k>}, {@code SHARD#production}. */
    static String shard(int shard) {
        return "SHARD#" + (shard == Slot.PRODUCTION ? "production" : Integer.toString(shard));
    }

    /** Which preview a host was given to: {@code HOST#<host>} / {@code HOST}. */
    static String host(String host) {
        return "HOST#" + host;
    }

    static String productionBranch() {
        return "PRODUCTION";
    }
}
