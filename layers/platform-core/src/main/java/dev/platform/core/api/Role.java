package dev.platform.core.api;

import java.util.Locale;

/** A member's role in a team, from most to least powerful. */
public enum Role {
    OWNER, ADMIN, DEVELOPER, VIEWER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this role is at least as powerful as {@code other}. */
    public boolean atLeast(Role other) {
        return ordinal() <= other.ordinal();
    }

    /**
     * @throws ApiProblem 400 naming {@code field} when the value is not a role
     */
    public static Role parse(String value, String field) {
        for (Role role : values()) {
            if (role.wireName().equals(value)) {
                return role;
            }
        }
        throw ApiProblem.invalid(field, "must be one of owner, admin, developer, viewer");
    }
}
