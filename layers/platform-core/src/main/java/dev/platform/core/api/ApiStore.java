package dev.platform.core.api;

import dev.platform.core.api.Accounts.ApiToken;
import dev.platform.core.api.Accounts.AuditEntry;
import dev.platform.core.api.Accounts.Invitation;
import dev.platform.core.api.Accounts.Member;
import dev.platform.core.api.Accounts.Team;
import dev.platform.core.api.Accounts.User;
import dev.platform.core.ids.ProjectId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: what the REST API stores. Each mutation writes its audit entry in the same transaction; a
 * condition that no longer holds (a concurrent change) is a {@link ApiStore.Conflict}.
 */
public interface ApiStore {

    /** A write whose condition failed: someone changed the same thing first. */
    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /** The key that signs the API's pagination cursors: made once, at random, and kept. */
    byte[] cursorKey();

    // users and tokens

    Optional<User> user(String userId);

    /** The user's email is unique: an invitee who already has an account signs in instead. */
    Optional<User> userByEmail(String email);

    /** A new user with their first token; with an invitation, its acceptance and the membership too. */
    void createUser(User user, ApiToken token, Optional<Accepted> invitation);

    /** An invitation being accepted: it is still pending when the membership is written, or nothing is. */
    record Accepted(Invitation invitation, Member member, AuditEntry audit) {
    }

    Optional<ApiToken> tokenByHash(String hash);

    /** The most audit entries one token change writes (with the token, within DynamoDB's 100 items per transaction). */
    int MAX_TOKEN_AUDITS = 99;

    /** @param audits an entry for each team of the token's user (at most {@link #MAX_TOKEN_AUDITS}), written with it */
    void createToken(ApiToken token, List<AuditEntry> audits);

    /** Records a use of the token, unless one was recorded since {@code notBefore}. */
    void touchToken(ApiToken token, Instant now, Instant notBefore);

    Page<ApiToken> tokens(String userId, String after, int limit);

    Optional<ApiToken> token(String userId, String tokenId);

    /** Revoking deletes the token: from then on it is as unknown as a token never made. */
    void revokeToken(ApiToken token, List<AuditEntry> audits);

    /** The numbers of the project's pull request previews, whatever their status (for teardown on delete). */
    java.util.List<dev.platform.core.ids.PrNumber> previewNumbers(ProjectId projectId);

    // teams and members

    void createTeam(Team team, Member owner, AuditEntry audit);

    Optional<Team> team(String teamId);

    /** The teams a user belongs to, with the user's membership of each. */
    Page<Member> memberships(String userId, String after, int limit);

    void renameTeam(Team team, AuditEntry audit);

    /** @throws Conflict when the team still has projects */
    void deleteTeam(Team team, AuditEntry audit);

    Optional<Member> member(String teamId, String userId);

    Page<Member> members(String teamId, String after, int limit);

    /** Adds the member; @throws Conflict when they already are one. */
    void addMember(Member member, AuditEntry audit);

    /**
     * Changes the member's role from what {@code current} says; when an owner stops being one, only while
     * the team keeps another owner.
     *
     * @throws Conflict when the role changed meanwhile or the member is the last owner
     */
    void changeRole(Member current, Role newRole, AuditEntry audit);

    /** @throws Conflict when the member is the team's last owner, or has left meanwhile */
    void removeMember(Member member, AuditEntry audit);

    // invitations

    void createInvitation(Invitation invitation, AuditEntry audit);

    Optional<Invitation> invitationByHash(String hash);

    Optional<Invitation> invitation(String teamId, String invitationId);

    /** Pending invitations of the team, newest first. */
    Page<Invitation> invitations(String teamId, String after, int limit);

    /** @throws Conflict when it is no longer pending */
    void cancelInvitation(Invitation invitation, AuditEntry audit);

    /** @throws Conflict when the invitation is no longer pending or the user is already a member */
    void acceptInvitation(Accepted accepted);

    // audit

    /** The team's audit log, newest first; the filters are exact matches (null: any). */
    Page<AuditEntry> audit(String teamId, String action, String target, String after, int limit);

    /** An entry on its own: for refused requests, which change nothing to be atomic with. */
    void appendAudit(AuditEntry entry);

    // projects

    /** @throws Conflict naming the slug when the team has a project with it */
    void createProject(Project project, AuditEntry audit);

    Optional<Project> project(ProjectId projectId);

    Page<Project> projects(String teamId, String after, int limit);

    /**
     * Writes the project if it is still at {@code current.revision()}; a new repository or branch moves its
     * repository link in the same transaction, a new slug its slug claim.
     *
     * @throws Conflict when the project changed meanwhile, or the new slug is taken
     */
    void updateProject(Project current, Project updated, AuditEntry audit);

    /** Removes the project, its slug and its repository link; @throws Conflict when it changed meanwhile. */
    void deleteProject(Project project, AuditEntry audit);
}
