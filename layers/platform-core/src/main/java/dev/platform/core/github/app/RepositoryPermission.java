package dev.platform.core.github.app;

import java.util.Locale;

/** A user's role on a repository, as GitHub names it ({@code role_name}), weakest first. */
public enum RepositoryPermission {
    NONE, READ, TRIAGE, WRITE, MAINTAIN, ADMIN;

    /**
     * Write, maintain or admin: who may approve builds of pull requests from forks, and sleep, wake, extend or
     * redeploy a preview with a {@code /preview} command.
     */
    public boolean canWrite() {
        return compareTo(WRITE) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** GitHub's {@code role_name} (or the older {@code permission}); unknown custom roles count as read. */
    public static RepositoryPermission fromWire(String value) {
        if (value == null) {
            return NONE;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "admin" -> ADMIN;
            case "maintain" -> MAINTAIN;
            case "write", "push" -> WRITE;
            case "triage" -> TRIAGE;
            case "none" -> NONE;
            default -> READ;
        };
    }
}
