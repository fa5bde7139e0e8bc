package dev.platform.core.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules for a project's environment variable names and values, one place for the API and the dotenv
 * import. A refusal is a reason for people; it names a reserved name but never quotes a value (values may be
 * secrets) nor an ill-formed name (it may be a value pasted in the wrong place).
 */
public final class EnvVarNames {
    /** A name as a POSIX shell accepts it, so every runtime's {@code getenv} can read it back. */
    public static final String NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";
    public static final int MAX_NAME_CHARS = 256;
    /** 64 KiB of UTF-8: larger values belong in a file or a secret store, and ECS caps a task definition's size. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    /**
     * Prefixes the platform and AWS set or read themselves: the SDKs and the ECS agent treat {@code AWS_*} and
     * {@code ECS_*} specially and the platform sets {@code PLATFORM_*}, so a user's value there would be
     * overridden or would change how the container talks to AWS.
     */
    public static final List<String> RESERVED_PREFIXES = List.of("AWS_", "ECS_", "PLATFORM_");

    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

    private EnvVarNames() {
    }

    /**
     * Why {@code name} cannot be used, or empty when it can. Reserved prefixes are matched ignoring case:
     * {@code aws_region} is a different variable on Linux, but some tools (Windows, some SDK loaders) fold case,
     * and a lowercase variant is far more often a mistake than a need.
     */
    public static Optional<String> nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("name is required");
        }
        // the length first, so an overlong input costs no regex work
        if (name.length() > MAX_NAME_CHARS) {
            return Optional.of("name is over " + MAX_NAME_CHARS + " characters");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("name must match " + NAME_PATTERN);
        }
        String upper = name.toUpperCase(Locale.ROOT);
        for (String prefix : RESERVED_PREFIXES) {
            if (upper.startsWith(prefix)) {
                return Optional.of("name " + name + " is reserved (AWS_*, ECS_*, PLATFORM_* are set by the platform)");
            }
        }
        return Optional.empty();
    }

    /** Why {@code value} cannot be stored, or empty when it can. */
    public static Optional<String> valueProblem(String value) {
        if (value == null) {
            return Optional.of("value is required");
        }
        if (utf8Bytes(value) > MAX_VALUE_BYTES) {
            return Optional.of("value is over 64 KiB");
        }
        return Optional.empty();
    }

    private static int utf8Bytes(String value) {
        // a UTF-8 character is at most 3 bytes per UTF-16 unit: short values need no encoding at all
        if ((long) value.length() * 3 <= MAX_VALUE_BYTES) {
            return value.length();
        }
        return value.getBytes(StandardCharsets.UTF_8).length;
    }
}
