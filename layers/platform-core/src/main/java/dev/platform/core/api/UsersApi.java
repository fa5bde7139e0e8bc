package dev.platform.core.api;

import dev.platform.core.api.Accounts.ApiToken;
import dev.platform.core.api.Accounts.AuditEntry;
import dev.platform.core.api.Accounts.Invitation;
import dev.platform.core.api.Accounts.InvitationStatus;
import dev.platform.core.api.Accounts.Member;
import dev.platform.core.api.Accounts.Team;
import dev.platform.core.api.Accounts.User;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The caller, their API tokens, and accepting an invitation: the {@code api-users} routes. */
public final class UsersApi {
    static final Pattern NAME = Pattern.compile("\\S(.{0,98}\\S)?", Pattern.DOTALL);
    static final String NAME_RULE = "must be 1 to 100 characters, not starting or ending with a space";
    private static final String TOKENS = "tokens";
    /** Tokens live at most a year when they expire at all; no expiry is allowed, as GitHub allows. */
    private static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(366);
    private static final int PREFIX_CHARS = Secrets.TOKEN_PREFIX.length() + 4;

    private final ApiContext context;
    private final Authenticate authenticate;

    public UsersApi(ApiContext context) {
        this.context = context;
        this.authenticate = new Authenticate(context);
    }

    public ApiResponse handle(ApiRequest request) {
        return switch (request.operation()) {
            case "GET /v1/user" -> ApiResponse.ok(ApiViews.user(currentUser(request)));
            case "POST /v1/tokens" -> createToken(request);
            case "GET /v1/tokens" -> listTokens(request);
            case "DELETE /v1/tokens/{tokenId}" -> revokeToken(request);
            case "POST /v1/invitations/accept" -> accept(request);
            default -> throw ApiProblem.notFound("route " + request.operation());
        };
    }

    private User currentUser(ApiRequest request) {
        return context.store().user(request.requireCaller().userId()).orElseThrow(ApiProblem::unauthorized);
    }

    private ApiResponse createToken(ApiRequest request) {
        JsonBody body = JsonBody.of(request, Set.of("name", "expiresAt"));
        String name = body.requiredString("name", NAME, NAME_RULE);
        Instant now = context.now();
        Optional<Instant> expiresAt = body.instant("expiresAt");
        expiresAt.ifPresent(at -> {
            if (!at.isAfter(now) || at.isAfter(now.plus(MAX_TOKEN_LIFETIME))) {
                throw ApiProblem.invalid("expiresAt", "must be in the future and within 366 days");
            }
        });
        Caller caller = request.requireCaller();
        String value = Secrets.newToken();
        ApiToken token = new ApiToken(Secrets.newId("tok_"), Secrets.hash(value), caller.userId(), name,
                value.substring(0, PREFIX_CHARS), now, expiresAt.orElse(null), null);
        context.store().createToken(token, teamAudits(request, "token.create", token));
        return ApiResponse.created(ApiViews.newToken(token, value));
    }

    private ApiResponse listTokens(ApiRequest request) {
        Page<ApiToken> page = context.store().tokens(request.requireCaller().userId(),
                context.after(request, TOKENS), context.limit(request));
        return ApiResponse.ok(ApiViews.page(page.items(), ApiViews::token, context.nextCursor(TOKENS, page)));
    }

    private ApiResponse revokeToken(ApiRequest request) {
        ApiToken token = context.store().token(request.requireCaller().userId(), request.path("tokenId"))
                .orElseThrow(() -> ApiProblem.notFound("token " + request.path("tokenId")));
        context.store().revokeToken(token, teamAudits(request, "token.revoke", token));
        return ApiResponse.noContent();
    }

    /**
     * A token acts in every team of its user, so each team's log records its making and revoking (the first
     * {@link ApiStore#MAX_TOKEN_AUDITS} teams of a user in more, which one transaction holds).
     */
    private List<AuditEntry> teamAudits(ApiRequest request, String action, ApiToken token) {
        return context.store().memberships(request.requireCaller().userId(), null, ApiStore.MAX_TOKEN_AUDITS).items().stream()
                .map(member -> context.audit(request, member.teamId(), action, "token:" + token.tokenId(), "succeeded"))
                .toList();
    }

    /**
     * With a token: the caller joins the team. Without one: a new user with the invitation's email and the
     * given name, and their first API token, shown once.
     */
    private ApiResponse accept(ApiRequest request) {
        JsonBody body = JsonBody.of(request, Set.of("token", "name"));
        String secret = body.requiredString("token", Pattern.compile("pinv_[0-9A-Za-z]{43}"), "is not an invitation token");
        Optional<Caller> caller = Optional.empty();
        if (request.bearer() != null) {
            caller = authenticate.caller("Bearer " + request.bearer());
            if (caller.isEmpty()) {
                throw ApiProblem.unauthorized();
            }
        }
        Instant now = context.now();
        Invitation invitation = context.store().invitationByHash(Secrets.hash(secret))
                .filter(i -> i.status() == InvitationStatus.PENDING && now.isBefore(i.expiresAt()))
                .orElseThrow(() -> new ApiProblem(410, "invitation_gone",
                        "this invitation has expired, been used or been cancelled; ask for a new one"));
        Team team = context.store().team(invitation.teamId()).orElseThrow(() -> new ApiProblem(410, "invitation_gone",
                "the team of this invitation no longer exists"));
        try {
            if (caller.isPresent()) {
                if (body.has("name")) {
                    throw ApiProblem.invalid("name", "is only for accepting without an account");
                }
                User user = context.store().user(caller.get().userId()).orElseThrow(ApiProblem::unauthorized);
                Member member = new Member(team.teamId(), user.userId(), user.name(), user.email(), invitation.role(), now);
                context.store().acceptInvitation(accepted(invitation, member, caller.get().tokenId(), request));
                ObjectNode answer = ApiViews.team(team, invitation.role());
                return ApiResponse.ok(answer);
            }
            String name = body.requiredString("name", NAME, NAME_RULE);
            if (context.store().userByEmail(invitation.email()).isPresent()) {
                throw ApiProblem.conflict("account_exists", "an account with " + invitation.email()
                        + " exists: accept with its API token (Authorization: Bearer ...)");
            }
            User user = new User(Secrets.newId("usr_"), name, invitation.email(), now);
            String value = Secrets.newToken();
            ApiToken token = new ApiToken(Secrets.newId("tok_"), Secrets.hash(value), user.userId(), "first token",
                    value.substring(0, PREFIX_CHARS), now, null, null);
            Member member = new Member(team.teamId(), user.userId(), name, user.email(), invitation.role(), now);
            context.store().createUser(user, token, Optional.of(accepted(invitation, member, token.tokenId(), request)));
            ObjectNode answer = dev.platform.core.json.Json.object();
            answer.set("user", ApiViews.user(user));
            answer.set("team", ApiViews.team(team, invitation.role()));
            answer.set("token", ApiViews.newToken(token, value));
            return ApiResponse.created(answer);
        } catch (ApiStore.Conflict conflict) {
            if (caller.isPresent() && context.store().member(team.teamId(), caller.get().userId()).isPresent()) {
                throw ApiProblem.conflict("already_member", "you are already a member of this team");
            }
            throw new ApiProblem(410, "invitation_gone", "this invitation has been used or cancelled meanwhile");
        }
    }

    private ApiStore.Accepted accepted(Invitation invitation, Member member, String tokenId, ApiRequest request) {
        return new ApiStore.Accepted(invitation, member, context.auditBy(member.userId(), tokenId, request.requestId(),
                invitation.teamId(), "invitation.accept", "invitation:" + invitation.invitationId(), "succeeded"));
    }

    /** Lower-cased and trimmed: the form emails are compared and stored in. */
    static String email(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }
}
