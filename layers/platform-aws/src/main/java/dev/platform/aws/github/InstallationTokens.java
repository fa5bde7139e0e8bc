package dev.platform.aws.github;

import dev.platform.core.ids.InstallationId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Installation tokens, cached per installation until five minutes before they expire (GitHub issues
 * them for an hour), so a call never starts with a token about to lapse. Concurrent callers for one
 * installation wait for one fetch; other installations do not wait. A failed fetch is not cached.
 */
final class InstallationTokens {
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);

    /** A token and when GitHub says it expires; never printed. */
    record Token(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + "]";
        }
    }

    @FunctionalInterface
    interface Issuer {
        /** {@code POST /app/installations/{id}/access_tokens} */
        Token issue(InstallationId installation);
    }

    /** One installation's token; a lock rather than {@code synchronized}, which pins a virtual thread on JDK 21. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        volatile Token token;
    }

    private final Issuer issuer;
    private final Clock clock;
    private final ConcurrentHashMap<InstallationId, Slot> slots = new ConcurrentHashMap<>();

    InstallationTokens(Issuer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    String token(InstallationId installation) {
        Slot slot = slots.computeIfAbsent(installation, id -> new Slot());
        Token token = slot.token;
        if (fresh(token)) {
            return token.value();
        }
        slot.lock.lock();
        try {
            token = slot.token;
            if (!fresh(token)) {
                token = issuer.issue(installation);
                slot.token = token;
            }
            return token.value();
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * GitHub refused the installation's token (revoked, or the App's permissions changed): the next call
     * fetches a new one. Racing a fresh fetch costs at most one more fetch.
     */
    void refused(InstallationId installation) {
        Slot slot = slots.get(installation);
        if (slot != null) {
            slot.token = null;
        }
    }

    /** SnapStart restore: never use a token captured in a snapshot. */
    void forgetAll() {
        slots.clear();
    }

    private boolean fresh(Token token) {
        return token != null && clock.instant().isBefore(token.expiresAt().minus(REFRESH_BEFORE_EXPIRY));
    }
}
