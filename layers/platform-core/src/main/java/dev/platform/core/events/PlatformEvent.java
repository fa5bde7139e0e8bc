package dev.platform.core.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Events on the platform bus ({@code source: "platform"}); {@link #detailType()} is the
 * {@code detail-type}. They carry ids, never secrets.
 */
public sealed interface PlatformEvent {

    String detailType();

    /** What a build is for. */
    enum BuildTarget {
        PREVIEW, PRODUCTION;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param pr the pull request for preview builds, null for production
     * @param buildId derived from project and commit (see {@link #deriveBuildId(String, String)}), so the same
     *     commit is built once however often it is requested
     */
    record BuildRequested(String projectId, BuildTarget target, Integer pr, String commitSha, String buildId)
            implements PlatformEvent {
        public static BuildRequested preview(String projectId, int pr, String commitSha) {
            return new BuildRequested(projectId, BuildTarget.PREVIEW, pr, commitSha, deriveBuildId(projectId, commitSha));
        }

        public static BuildRequested production(String projectId, String commitSha) {
            return new BuildRequested(projectId, BuildTarget.PRODUCTION, null, commitSha, deriveBuildId(projectId, commitSha));
        }

        @Override
        public String detailType() {
            return "BuildRequested";
        }
    }

    record PreviewTeardownRequested(String projectId, int pr) implements PlatformEvent {
        @Override
        public String detailType() {
            return "PreviewTeardownRequested";
        }
    }

    /** {@code b-} and the first 32 hex digits of SHA-256(projectId, commit): short enough for ECS client tokens. */
    static String deriveBuildId(String projectId, String commitSha) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((projectId + "\n" + commitSha).getBytes(StandardCharsets.UTF_8));
            return "b-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
