package dev.platform.core.ids;

import java.util.regex.Pattern;

/** A Git commit: 40 lower-case hex digits, as GitHub sends it. */
public record CommitSha(String value) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{40}");
    /** What GitHub sends as {@code before} of a created ref and {@code after} of a deleted one. */
    public static final CommitSha ZERO = new CommitSha("0".repeat(40));

    public CommitSha {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a commit SHA is 40 lower-case hex digits: " + value);
        }
    }

    public static CommitSha of(String value) {
        return new CommitSha(value);
    }

    /** The first seven digits, as GitHub shows a commit. */
    public String shortForm() {
        return value.substring(0, 7);
    }

    @Override
    public String toString() {
        return value;
    }
}
