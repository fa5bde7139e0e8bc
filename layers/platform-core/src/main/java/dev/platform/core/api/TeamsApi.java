package dev.platform.core.api;

import dev.platform.core.api.Accounts.AuditEntry;
import dev.platform.core.api.Accounts.Invitation;
import dev.platform.core.api.Accounts.InvitationStatus;
import dev.platform.core.api.Accounts.Member;
import dev.platform.core.api.Accounts.Team;
import dev.platform.core.api.Accounts.User;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Teams, members, invitations and the audit log: the {@code api-teams} routes. */
public final class TeamsApi {
    public static final Duration DEFAULT_INVITATION_LIFETIME = Duration.ofDays(7);
    private static final Duration MAX_INVITATION_LIFETIME = Duration.ofDays(30);
    /** Practical, not RFC 5322: one @, no spaces, a dot in the domain. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final Pattern ACTION = Pattern.compile("[a-z]+\\.[a-z_.]+");

    private final ApiContext context;
    private final ApiStore store;

    public TeamsApi(ApiContext context) {
        this.context = context;
        this.store = context.store();
    }

    public ApiResponse handle(ApiRequest request) {
        return switch (request.operation()) {
            case "POST /v1/teams" -> createTeam(request);
            case "GET /v1/teams" -> listTeams(request);
            case "GET /v1/teams/{teamId}" -> getTeam(request);
            case "PATCH /v1/teams/{teamId}" -> renameTeam(request);
            case "DELETE /v1/teams/{teamId}" -> deleteTeam(request);
            case "GET /v1/teams/{teamId}/members" -> listMembers(request);
            case "PATCH /v1/teams/{teamId}/members/{userId}" -> changeRole(request);
            case "DELETE /v1/teams/{teamId}/members/{userId}" -> removeMember(request);
            case "POST /v1/teams/{teamId}/invitations" -> invite(request);
            case "GET /v1/teams/{teamId}/invitations" -> listInvitations(request);
            case "DELETE /v1/teams/{teamId}/invitations/{invitationId}" -> cancelInvitation(request);
            case "GET /v1/teams/{teamId}/audit" -> listAudit(request);
            default -> throw ApiProblem.notFound("route " + request.operation());
        };
    }

    private ApiResponse createTeam(ApiRequest request) {
        String name = JsonBody.of(request, Set.of("name")).requiredString("name", UsersApi.NAME, UsersApi.NAME_RULE);
        User user = store.user(request.requireCaller().userId()).orElseThrow(ApiProblem::unauthorized);
        Instant now = context.now();
        Team team = new Team(Secrets.newId("team_"), name, now);
        Member owner = new Member(team.teamId(), user.userId(), user.name(), user.email(), Role.OWNER, now);
        store.createTeam(team, owner, context.audit(request, team.teamId(), "team.create", "team:" + team.teamId(), "succeeded"));
        return ApiResponse.created(ApiViews.team(team, Role.OWNER));
    }

    private ApiResponse listTeams(ApiRequest request) {
        Page<Member> page = store.memberships(request.requireCaller().userId(), context.after(request, "teams"),
                context.limit(request));
        List<ObjectNode> teams = new ArrayList<>();
        for (Member membership : page.items()) {
            store.team(membership.teamId()).ifPresent(team -> teams.add(ApiViews.team(team, membership.role())));
        }
        return ApiResponse.ok(ApiViews.page(teams, node -> node, context.nextCursor("teams", page)));
    }

    private Team team(String teamId) {
        return store.team(teamId).orElseThrow(() -> ApiProblem.notFound("team " + teamId));
    }

    private ApiResponse getTeam(ApiRequest request) {
        String teamId = request.path("teamId");
        Member member = context.require(request, teamId, Permission.READ, "team.read", "team:" + teamId);
        return ApiResponse.ok(ApiViews.team(team(teamId), member.role()));
    }

    private ApiResponse renameTeam(ApiRequest request) {
        String teamId = request.path("teamId");
        Member member = context.require(request, teamId, Permission.UPDATE_TEAM, "team.update", "team:" + teamId);
        String name = JsonBody.of(request, Set.of("name")).requiredString("name", UsersApi.NAME, UsersApi.NAME_RULE);
        Team renamed = new Team(teamId, name, team(teamId).createdAt());
        store.renameTeam(renamed, context.audit(request, teamId, "team.update", "team:" + teamId, "succeeded"));
        return ApiResponse.ok(ApiViews.team(renamed, member.role()));
    }

    private ApiResponse deleteTeam(ApiRequest request) {
        String teamId = request.path("teamId");
        context.require(request, teamId, Permission.DELETE_TEAM, "team.delete", "team:" + teamId);
        try {
            store.deleteTeam(team(teamId), context.audit(request, teamId, "team.delete", "team:" + teamId, "succeeded"));
        } catch (ApiStore.Conflict hasProjects) {
            throw ApiProblem.conflict("team_not_empty", "delete the team's projects first");
        }
        return ApiResponse.noContent();
    }

    private ApiResponse listMembers(ApiRequest request) {
        String teamId = request.path("teamId");
        context.require(request, teamId, Permission.READ, "member.list", "team:" + teamId);
        String list = "members:" + teamId;
        Page<Member> page = store.members(teamId, context.after(request, list), context.limit(request));
        return ApiResponse.ok(ApiViews.page(page.items(), ApiViews::member, context.nextCursor(list, page)));
    }

    /** Owners are managed only by owners: making one, or changing or removing one. */
    private static Permission toManage(Member target, Role newRole) {
        return target.role() == Role.OWNER || newRole == Role.OWNER ? Permission.MANAGE_OWNERS : Permission.MANAGE_MEMBERS;
    }

    private ApiResponse changeRole(ApiRequest request) {
        String teamId = request.path("teamId");
        String userId = request.path("userId");
        String target = "member:" + userId;
        context.require(request, teamId, Permission.READ, "member.update", target);
        Role newRole = Role.parse(JsonBody.of(request, Set.of("role")).string("role")
                .orElseThrow(() -> ApiProblem.invalid("role", "is required")), "role");
        Member current = store.member(teamId, userId).orElseThrow(() -> ApiProblem.notFound("member " + userId));
        context.require(request, teamId, toManage(current, newRole), "member.update", target);
        if (current.role() == newRole) {
            return ApiResponse.ok(ApiViews.member(current));
        }
        try {
            store.changeRole(current, newRole, context.audit(request, teamId, "member.update", target, "succeeded"));
        } catch (ApiStore.Conflict conflict) {
            throw lastOwnerOr(teamId, userId, "the member's role changed meanwhile; read it again");
        }
        return ApiResponse.ok(ApiViews.member(current.withRole(newRole)));
    }

    private ApiResponse removeMember(ApiRequest request) {
        String teamId = request.path("teamId");
        String userId = request.path("userId");
        String target = "member:" + userId;
        Member caller = context.require(request, teamId, Permission.READ, "member.remove", target);
        Member current = store.member(teamId, userId).orElseThrow(() -> ApiProblem.notFound("member " + userId));
        if (!caller.userId().equals(userId)) {
            // anyone may leave; removing someone else takes the right to manage them
            context.require(request, teamId, toManage(current, current.role()), "member.remove", target);
        }
        try {
            store.removeMember(current, context.audit(request, teamId, "member.remove", target, "succeeded"));
        } catch (ApiStore.Conflict conflict) {
            throw lastOwnerOr(teamId, userId, "the member changed meanwhile; read it again");
        }
        return ApiResponse.noContent();
    }

    private ApiProblem lastOwnerOr(String teamId, String userId, String otherwise) {
        boolean owner = store.member(teamId, userId).map(m -> m.role() == Role.OWNER).orElse(false);
        return owner
                ? ApiProblem.conflict("last_owner", "a team keeps at least one owner: make another member an owner first")
                : ApiProblem.conflict("conflict", otherwise);
    }

    private ApiResponse invite(ApiRequest request) {
        String teamId = request.path("teamId");
        Member inviter = context.require(request, teamId, Permission.MANAGE_INVITATIONS, "invitation.create", "team:" + teamId);
        JsonBody body = JsonBody.of(request, Set.of("email", "role", "expiresIn"));
        String email = UsersApi.email(body.requiredString("email", EMAIL, "must be an email address"));
        Role role = Role.parse(body.string("role").orElseThrow(() -> ApiProblem.invalid("role", "is required")), "role");
        Duration lifetime = body.duration("expiresIn", Duration.ofSeconds(1), MAX_INVITATION_LIFETIME)
                .orElse(DEFAULT_INVITATION_LIFETIME);
        if (!inviter.role().atLeast(role)) {
            store.appendAudit(context.audit(request, teamId, "invitation.create", "team:" + teamId, "denied"));
            throw new ApiProblem(403, "forbidden", "you cannot invite someone with a role above your own (" + inviter.role().wireName() + ")");
        }
        Instant now = context.now();
        String secret = Secrets.newInvitationToken();
        Invitation invitation = new Invitation(Secrets.newId("inv_"), Secrets.hash(secret), teamId, email, role,
                inviter.userId(), now, now.plus(lifetime), InvitationStatus.PENDING);
        store.createInvitation(invitation, context.audit(request, teamId, "invitation.create",
                "invitation:" + invitation.invitationId(), "succeeded"));
        return ApiResponse.created(ApiViews.invitation(invitation, now).put("token", secret));
    }

    private ApiResponse listInvitations(ApiRequest request) {
        String teamId = request.path("teamId");
        context.require(request, teamId, Permission.READ, "invitation.list", "team:" + teamId);
        String list = "invitations:" + teamId;
        Instant now = context.now();
        Page<Invitation> page = store.invitations(teamId, context.after(request, list), context.limit(request));
        return ApiResponse.ok(ApiViews.page(page.items(), i -> ApiViews.invitation(i, now), context.nextCursor(list, page)));
    }

    private ApiResponse cancelInvitation(ApiRequest request) {
        String teamId = request.path("teamId");
        String invitationId = request.path("invitationId");
        String target = "invitation:" + invitationId;
        context.require(request, teamId, Permission.MANAGE_INVITATIONS, "invitation.cancel", target);
        Invitation invitation = store.invitation(teamId, invitationId)
                .orElseThrow(() -> ApiProblem.notFound("invitation " + invitationId));
        try {
            store.cancelInvitation(invitation, context.audit(request, teamId, "invitation.cancel", target, "succeeded"));
        } catch (ApiStore.Conflict notPending) {
            throw new ApiProblem(410, "invitation_gone", "the invitation was already used or cancelled");
        }
        return ApiResponse.noContent();
    }

    private ApiResponse listAudit(ApiRequest request) {
        String teamId = request.path("teamId");
        context.require(request, teamId, Permission.READ, "audit.read", "team:" + teamId);
        String action = request.query().get("action");
        if (action != null && !ACTION.matcher(action).matches()) {
            throw ApiProblem.invalid("action", "must be an action name such as member.update");
        }
        String target = request.query().get("target");
        String list = "audit:" + teamId + ":" + action + ":" + target;
        Page<AuditEntry> page = store.audit(teamId, action, target, context.after(request, list), context.limit(request));
        return ApiResponse.ok(ApiViews.page(page.items(), ApiViews::audit, context.nextCursor(list, page)));
    }
}
