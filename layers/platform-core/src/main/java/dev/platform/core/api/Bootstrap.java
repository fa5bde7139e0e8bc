package dev.platform.core.api;

import dev.platform.core.api.Accounts.ApiToken;
import dev.platform.core.api.Accounts.Member;
import dev.platform.core.api.Accounts.Team;
import dev.platform.core.api.Accounts.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The first user: owner of a first team, with an API token whose value the operator chose or was shown once.
 * Repeating it changes nothing; with a new token value the same user gets that token as well.
 */
public final class Bootstrap {
    public static final String ACTION = "platform.bootstrap";

    /** @param created whether the token was made now (false: it existed) */
    public record Result(User user, Team team, boolean created) {
    }

    private final ApiContext context;

    public Bootstrap(ApiContext context) {
        this.context = context;
    }

    /**
     * @param tokenValue a {@code plat_} token, as {@link Secrets#newToken()} makes them
     * @throws IllegalArgumentException when the token value is not of that form
     */
    public Result ensure(String teamId, String teamName, String userName, String email, String tokenValue) {
        if (!Secrets.looksLike(Secrets.TOKEN_PREFIX, tokenValue)) {
            throw new IllegalArgumentException("a bootstrap token is plat_ and 43 letters and digits, as the platform makes them");
        }
        ApiStore store = context.store();
        Instant now = context.now();
        String hash = Secrets.hash(tokenValue);
        Optional<ApiToken> existing = store.tokenByHash(hash);
        User user;
        boolean created = existing.isEmpty();
        if (existing.isPresent()) {
            user = store.user(existing.get().userId()).orElseThrow(() -> new IllegalStateException("the bootstrap token's user is gone"));
        } else {
            Optional<User> known = store.userByEmail(UsersApi.email(email));
            ApiToken token = new ApiToken(Secrets.newId("tok_"), hash, known.map(User::userId).orElse(Secrets.newId("usr_")),
                    "bootstrap", tokenValue.substring(0, Secrets.TOKEN_PREFIX.length() + 4), now, null, null);
            if (known.isPresent()) {
                user = known.get();
                store.createToken(token, List.of());
            } else {
                user = new User(token.userId(), userName, UsersApi.email(email), now);
                store.createUser(user, token, Optional.empty());
            }
        }
        Member owner = new Member(teamId, user.userId(), user.name(), user.email(), Role.OWNER, now);
        Team team = store.team(teamId).orElse(null);
        if (team == null) {
            team = new Team(teamId, teamName, now);
            store.createTeam(team, owner, context.auditBy(user.userId(), null, "bootstrap", teamId, ACTION, "team:" + teamId, "succeeded"));
        } else if (store.member(teamId, user.userId()).isEmpty()) {
            store.addMember(owner, context.auditBy(user.userId(), null, "bootstrap", teamId, ACTION, "member:" + user.userId(), "succeeded"));
        }
        return new Result(user, team, created);
    }
}
