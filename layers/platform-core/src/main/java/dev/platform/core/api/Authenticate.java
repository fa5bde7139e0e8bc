package dev.platform.core.api;

import dev.platform.core.api.Accounts.ApiToken;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves {@code Authorization: Bearer <token>} to its user: the authorizer's one operation, and the open
 * routes' when they are sent a token. Unknown, revoked (deleted) and expired tokens are all the same answer.
 */
public final class Authenticate {
    /** A token's last use is written at most this often. */
    public static final Duration LAST_USE_RESOLUTION = Duration.ofMinutes(1);

    private final ApiContext context;

    public Authenticate(ApiContext context) {
        this.context = context;
    }

    /** The caller, or empty for anything that is not a valid token of an existing user. */
    public Optional<Caller> caller(String authorization) {
        String value = bearer(authorization);
        if (value == null || !Secrets.looksLike(Secrets.TOKEN_PREFIX, value)) {
            return Optional.empty();
        }
        Instant now = context.now();
        Optional<ApiToken> token = context.store().tokenByHash(Secrets.hash(value)).filter(t -> t.validAt(now));
        if (token.isEmpty() || context.store().user(token.get().userId()).isEmpty()) {
            return Optional.empty();
        }
        ApiToken found = token.get();
        if (found.lastUsedAt() == null || !found.lastUsedAt().isAfter(now.minus(LAST_USE_RESOLUTION))) {
            context.store().touchToken(found, now, now.minus(LAST_USE_RESOLUTION));
        }
        return Optional.of(new Caller(found.userId(), found.tokenId()));
    }

    /** The token in a {@code Bearer} header value (scheme case-insensitive), or null. */
    public static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String trimmed = authorization.trim();
        if (trimmed.length() < 7 || !trimmed.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        return trimmed.substring(7).trim();
    }
}
