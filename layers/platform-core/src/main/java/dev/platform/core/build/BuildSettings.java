package dev.platform.core.build;

import dev.platform.core.Hashes;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What, besides the commit, decides the image a project builds: the Dockerfile, the build context
 * directory, the target stage and the build arguments. Two requests with the same project, commit and
 * settings want the same image; a change of settings is a different image of the same commit.
 * Build arguments are project configuration, not secrets: they reach the builder of every pull request,
 * forks included, and show in the image's history.
 *
 * @param dockerfile path of the Dockerfile in the repository
 * @param context the build context directory in the repository
 * @param target the multi-stage target, or empty for the last stage
 * @param buildArgs {@code --build-arg} values, by name
 */
public record BuildSettings(String dockerfile, String context, String target, Map<String, String> buildArgs) {
    public static final BuildSettings DEFAULTS = new BuildSettings("Dockerfile", ".", "");
    private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    public BuildSettings {
        if (dockerfile == null || dockerfile.isBlank() || context == null || context.isBlank()) {
            throw new IllegalArgumentException("a build needs a Dockerfile and a context directory");
        }
        target = target == null ? "" : target;
        buildArgs = buildArgs == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(buildArgs));
        for (String name : buildArgs.keySet()) {
            if (!ARG_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("build argument names are letters, digits and _: " + name);
            }
        }
    }

    public BuildSettings(String dockerfile, String context, String target) {
        this(dockerfile, context, target, Map.of());
    }

    /** Stable across releases: 16 hex digits of SHA-256 over the settings (without arguments as before they existed). */
    public String fingerprint() {
        StringBuilder text = new StringBuilder("dockerfile=" + dockerfile + "\ncontext=" + context + "\ntarget=" + target);
        buildArgs.forEach((name, value) -> text.append("\narg:").append(name).append('=').append(value));
        return Hashes.sha256Hex(text.toString(), 16);
    }
}
