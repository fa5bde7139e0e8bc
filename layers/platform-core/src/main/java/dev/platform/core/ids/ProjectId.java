package dev.platform.core.ids;

import java.util.regex.Pattern;

/**
 * A project's id: lower-case letters, digits and dashes, starting with a letter or digit, at most
 * 40 characters. It appears in table keys, resource names, tags and preview hosts, so it is checked
 * once, where it is made.
 */
public record ProjectId(String value) {
    private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    public ProjectId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a project id is 1-40 lower-case letters, digits and dashes: " + value);
        }
    }

    public static ProjectId of(String value) {
        return new ProjectId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
