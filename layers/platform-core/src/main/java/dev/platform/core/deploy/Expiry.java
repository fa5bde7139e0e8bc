package dev.platform.core.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a preview without a new commit is removed, and when it is given notice of that.
 *
 * @param at when it expires
 * @param noticeAt when the notice is due ({@code PreviewExpiring}, the pull request's comment)
 * @param noticedAt when the notice was given for {@code at}; null until then
 */
public record Expiry(Instant at, Instant noticeAt, Instant noticedAt) {
    /** Notice comes a day before expiry, or halfway through a lifetime shorter than two days. */
    static final Duration NOTICE = Duration.ofHours(24);

    public Expiry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(noticeAt, "noticeAt");
    }

    /** Expiry {@code lifetime} after {@code from}, not noticed yet. */
    public static Expiry after(Instant from, Duration lifetime) {
        Duration notice = lifetime.compareTo(NOTICE.multipliedBy(2)) < 0 ? lifetime.dividedBy(2) : NOTICE;
        Instant at = from.plus(lifetime);
        return new Expiry(at, at.minus(notice), null);
    }

    /** The next time the sweep has something to do: give notice, or (once given) expire. */
    public Instant dueAt() {
        return noticedAt == null ? noticeAt : at;
    }

    public boolean noticed() {
        return noticedAt != null;
    }

    public Expiry noticed(Instant now) {
        return new Expiry(at, noticeAt, now);
    }

    /** Lives until at least {@code until}: a later expiry is given notice anew. */
    public Expiry extendedTo(Instant until) {
        if (!until.isAfter(at)) {
            return this;
        }
        Duration notice = Duration.between(noticeAt, at);
        return new Expiry(until, until.minus(notice), null);
    }
}
