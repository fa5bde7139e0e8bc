package dev.platform.core.ids;

/** An installation of the platform's GitHub App on an account: what repository tokens are issued for. */
public record InstallationId(long value) {
    public InstallationId {
        if (value < 1) {
            throw new IllegalArgumentException("an installation id is positive: " + value);
        }
    }

    public static InstallationId of(long value) {
        return new InstallationId(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
