package dev.platform.core.config;

import java.util.Locale;
import java.util.Optional;

/** Where an environment variable applies: production, pull request previews, or a developer's machine (export). */
public enum EnvScope {
    PRODUCTION, PREVIEW, DEVELOPMENT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EnvScope> of(String wireName) {
        for (EnvScope scope : values()) {
            if (scope.wireName().equals(wireName)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
