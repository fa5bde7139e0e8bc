package dev.platform.core.api;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The permission table: the one place a role's rights are decided (the README shows it as a table).
 * Owners may do everything; admins manage members other than owners, invitations, projects, production
 * and settings; developers act on previews and read the team; viewers read.
 */
public final class Permissions {
    private static final Map<Role, Set<Permission>> TABLE = new EnumMap<>(Role.class);

    static {
        TABLE.put(Role.OWNER, EnumSet.allOf(Permission.class));
        TABLE.put(Role.ADMIN, EnumSet.of(Permission.READ, Permission.UPDATE_TEAM, Permission.MANAGE_MEMBERS,
                Permission.MANAGE_INVITATIONS, Permission.MANAGE_PROJECTS, Permission.OPERATE_PREVIEWS,
                Permission.DELETE_PREVIEWS, Permission.OPERATE_PRODUCTION, Permission.READ_ENV_VALUES,
                Permission.MANAGE_PREVIEW_ENV, Permission.MANAGE_PRODUCTION_ENV));
        TABLE.put(Role.DEVELOPER, EnumSet.of(Permission.READ, Permission.OPERATE_PREVIEWS, Permission.READ_ENV_VALUES,
                Permission.MANAGE_PREVIEW_ENV));
        TABLE.put(Role.VIEWER, EnumSet.of(Permission.READ));
    }

    private Permissions() {
    }

    public static boolean allows(Role role, Permission permission) {
        return TABLE.get(role).contains(permission);
    }

    /** The roles that have the permission, most powerful first. */
    public static Set<Role> rolesWith(Permission permission) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        TABLE.forEach((role, granted) -> {
            if (granted.contains(permission)) {
                roles.add(role);
            }
        });
        return roles;
    }
}
