package dev.platform.core.build;

import dev.platform.core.Hashes;

/**
 * What, besides the commit, decides the image a project builds: the Dockerfile, the build context
 * directory and the target stage. Two requests with the same project, commit and settings want the
 * same image; a change of settings is a different image of the same commit.
 *
 * @param dockerfile path of the Dockerfile in the repository
 * @param context the build context directory in the repository
 * @param target the multi-stage target, or empty for the last stage
 */
public record BuildSettings(String dockerfile, String context, String target) {
    public static final BuildSettings DEFAULTS = new BuildSettings("Dockerfile", ".", "");

    public BuildSettings {
        if (dockerfile == null || dockerfile.isBlank() || context == null || context.isBlank()) {
            throw new IllegalArgumentException("a build needs a Dockerfile and a context directory");
        }
        target = target == null ? "" : target;
    }

    /** Stable across releases: 16 hex digits of SHA-256 over the settings. */
    public String fingerprint() {
        return Hashes.sha256Hex("dockerfile=" + dockerfile + "\ncontext=" + context + "\ntarget=" + target, 16);
    }
}
