package dev.platform.core.ids;

import dev.platform.core.Hashes;
import dev.platform.core.build.BuildSettings;
import java.util.regex.Pattern;

/**
 * The id of an image: {@code b-} and 32 hex digits of SHA-256 over the project, the commit and the
 * build settings' fingerprint. Every request for the same image names the same build; 34 characters
 * fit ECS {@code RunTask}'s 64-character client token and an S3 key.
 */
public record BuildId(String value) {
    private static final Pattern FORM = Pattern.compile("b-[0-9a-f]{32}");

    public BuildId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a build id is 'b-' and 32 hex digits: " + value);
        }
    }

    public static BuildId of(ProjectId project, CommitSha commit, BuildSettings settings) {
        return new BuildId("b-" + Hashes.sha256Hex(project.value() + "\n" + commit.value() + "\n" + settings.fingerprint(), 32));
    }

    @Override
    public String toString() {
        return value;
    }
}
