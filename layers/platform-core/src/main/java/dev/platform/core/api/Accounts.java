package dev.platform.core.api;

import java.time.Instant;

/** Values of the API's people and their credentials. */
public final class Accounts {
    private Accounts() {
    }

    public record User(String userId, String name, String email, Instant createdAt) {
    }

    /**
     * A stored API token: never its value, only the SHA-256 of it.
     *
     * @param prefix the first characters of the value, so a user can tell their tokens apart
     * @param expiresAt null: does not expire
     * @param lastUsedAt null: never used (updated at most once a minute)
     */
    public record ApiToken(String tokenId, String hash, String userId, String name, String prefix, Instant createdAt,
                           Instant expiresAt, Instant lastUsedAt) {
        public boolean validAt(Instant now) {
            return expiresAt == null || now.isBefore(expiresAt);
        }
    }

    public record Team(String teamId, String name, Instant createdAt) {
    }

    /** A user's membership of a team, with the user's name and email copied for the member list. */
    public record Member(String teamId, String userId, String name, String email, Role role, Instant joinedAt) {
        public Member withRole(Role newRole) {
            return new Member(teamId, userId, name, email, newRole, joinedAt);
        }
    }

    public enum InvitationStatus {
        PENDING, ACCEPTED, CANCELLED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An invitation to a team: its token is sent to the invitee and stored only as a hash. */
    public record Invitation(String invitationId, String hash, String teamId, String email, Role role, String invitedBy,
                             Instant createdAt, Instant expiresAt, InvitationStatus status) {
    }

    /**
     * One line of a team's audit log.
     *
     * @param actor the user who acted
     * @param tokenId the API token they acted with (its id, never its value)
     * @param outcome {@code succeeded} or {@code denied}
     */
    public record AuditEntry(String auditId, String teamId, String actor, String tokenId, String action, String target,
                             Instant at, String requestId, String outcome) {
    }
}
