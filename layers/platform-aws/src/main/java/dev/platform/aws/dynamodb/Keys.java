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
    /** The key that signs the API's pagination cursors: one item for the whole platform. */
    static final String CURSOR_KEY = "PLATFORM#CURSOR";
    static final String MEMBER_PREFIX = "MEMBER#";
    static final String AUDIT_PREFIX = "AUDIT#";
    static final String PREVIEW_PREFIX = "PREVIEW#";

    private Keys() {
    }

    static String team(String teamId) {
        return "TEAM#" + teamId;
    }

    static String user(String userId) {
        return "USER#" + userId;
    }

    /** The claim on an email address: lower case, so that two spellings of one address are one claim. */
    static String email(String email) {
        return "EMAIL#" + email.toLowerCase(java.util.Locale.ROOT);
    }

    /** An API token by the SHA-256 of its value: the authorizer's one GetItem. */
    static String token(String hash) {
        return "TOKEN#" + hash;
    }

    /** GSI1 partition of a user's tokens, sorted by {@code <createdAt>#<tokenId>}. */
    static String userTokens(String userId) {
        return user(userId) + "#TOKENS";
    }

    /** A membership, in the team's partition; its GSI1 entry ({@code USER#<userId>} / {@code TEAM#<teamId>}) lists a user's teams. */
    static String member(String userId) {
        return MEMBER_PREFIX + userId;
    }

    /** An audit entry in the team's partition: audit ids sort by time. */
    static String audit(String auditId) {
        return AUDIT_PREFIX + auditId;
    }

    /** An invitation by the SHA-256 of its token. */
    static String invitation(String hash) {
        return "INVITE#" + hash;
    }

    /** GSI1 partition of a team's invitations, sorted by {@code <createdAt>#<invitationId>}. */
    static String teamInvitations(String teamId) {
        return team(teamId) + "#INVITES";
    }

    /** GSI1 partition of a team's projects, sorted by slug. */
    static String teamProjects(String teamId) {
        return team(teamId) + "#PROJECTS";
    }

    /** The claim on a slug in the team's partition: slugs are unique in a team. */
    static String slug(String slug) {
        return "SLUG#" + slug;
    }

    static String project(ProjectId projectId) {
        return "PROJECT#" + projectId.value();
    }

    static String repo(String repositoryKey) {
        return "REPO#" + repositoryKey;
    }

    static String preview(PrNumber pr) {
        return PREVIEW_PREFIX + pr.value();
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
