package dev.platform.core.sleep;

import java.time.Duration;
import java.util.Objects;

/**
 * How long previews run unrequested and live without a new commit, and how many of a project's previews
 * run at once. One policy for every project until projects carry their own (the REST API issue).
 *
 * @param sleepAfter idle time (no inbound request) after which a preview sleeps
 * @param expireAfter time without a new commit after which a preview is removed (notice comes first)
 * @param maxActivePreviews how many previews of a project run at once; one more → the least recently requested sleeps
 */
public record SleepPolicy(Duration sleepAfter, Duration expireAfter, int maxActivePreviews) {
    public static final SleepPolicy DEFAULTS = new SleepPolicy(Duration.ofMinutes(30), Duration.ofDays(7), 10);

    public SleepPolicy {
        Objects.requireNonNull(sleepAfter, "sleepAfter");
        Objects.requireNonNull(expireAfter, "expireAfter");
        if (sleepAfter.isNegative() || sleepAfter.isZero() || expireAfter.isNegative() || expireAfter.isZero()) {
            throw new IllegalArgumentException("sleepAfter and expireAfter must be positive durations");
        }
        if (maxActivePreviews < 1) {
            throw new IllegalArgumentException("maxActivePreviews must be at least 1, got " + maxActivePreviews);
        }
    }

    /**
     * The policy the settings give (ISO-8601 durations such as {@code PT30M} and {@code P7D}, and a count);
     * an unset (null or blank) one keeps its default.
     *
     * @throws IllegalArgumentException naming the setting that is not valid
     */
    public static SleepPolicy of(String sleepAfter, String expireAfter, String maxActivePreviews) {
        return new SleepPolicy(duration("sleepAfter", sleepAfter, DEFAULTS.sleepAfter),
                duration("expireAfter", expireAfter, DEFAULTS.expireAfter),
                count(maxActivePreviews));
    }

    private static Duration duration(String name, String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            Duration parsed = Duration.parse(value.trim());
            if (parsed.isNegative() || parsed.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return parsed;
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT30M or P7D, got " + value);
        }
    }

    private static int count(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULTS.maxActivePreviews;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("maxActivePreviews must be a whole number, got " + value);
        }
    }
}
