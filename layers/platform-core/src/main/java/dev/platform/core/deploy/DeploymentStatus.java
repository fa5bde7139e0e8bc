package dev.platform.core.deploy;

import java.util.Locale;

/** A deployment rolls out ({@code deploying}), then serves ({@code succeeded}) or was rolled back ({@code failed}). */
public enum DeploymentStatus {
    DEPLOYING, SUCCEEDED, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeploymentStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
