package dev.platform.core.events;

import dev.platform.core.Hashes;
import dev.platform.core.build.BuildSettings;
import dev.platform.core.repoevent.RepoEvent;
import java.util.Locale;

/**
 * Events on the platform bus ({@code source: "platform"}); {@link #detailType()} is the
 * {@code detail-type}. They carry ids, never secrets.
 */
public sealed interface PlatformEvent {

    /** {@code source} of every event the platform puts on its bus. */
    String SOURCE = "platform";

    String detailType();

    /** What a build is for. */
    enum BuildTarget {
        PREVIEW, PRODUCTION;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A target (a preview or production) wants the image of a commit.
     *
     * @param pr the pull request for preview builds, null for production
     * @param buildId the image's id: derived from project, commit and build settings (see
     *     {@link #buildIdOf}), so every request for the same image names the same build, which is built
     *     once however often and by whomever it is requested
     * @param requestId this request's id: derived from the delivery that caused it, the project, the
     *     target and the pull request, so a request re-published after a crash keeps its id
     */
    record BuildRequested(String projectId, BuildTarget target, Integer pr, String commitSha, String buildId,
                          String requestId) implements PlatformEvent {
        public static BuildRequested preview(String projectId, int pr, String commitSha, BuildSettings settings,
                                             String deliveryId) {
            return new BuildRequested(projectId, BuildTarget.PREVIEW, pr, commitSha, buildIdOf(projectId, commitSha, settings),
                    requestIdOf(RepoEvent.deliveryKey(deliveryId), projectId, BuildTarget.PREVIEW, pr));
        }

        public static BuildRequested production(String projectId, String commitSha, BuildSettings settings, String deliveryId) {
            return new BuildRequested(projectId, BuildTarget.PRODUCTION, null, commitSha,
                    buildIdOf(projectId, commitSha, settings),
                    requestIdOf(RepoEvent.deliveryKey(deliveryId), projectId, BuildTarget.PRODUCTION, null));
        }

        /** {@code b-} and 32 hex digits of SHA-256(project, commit, settings): short enough for ECS client tokens. */
        public static String buildIdOf(String projectId, String commitSha, BuildSettings settings) {
            return "b-" + Hashes.sha256Hex(projectId + "\n" + commitSha + "\n" + settings.fingerprint(), 32);
        }

        /** {@code r-} and 24 hex digits of SHA-256(delivery key, project, target, pull request). */
        public static String requestIdOf(String deliveryKey, String projectId, BuildTarget target, Integer pr) {
            return "r-" + Hashes.sha256Hex(deliveryKey + "\n" + projectId + "\n" + target.wireName() + "\n" + pr, 24);
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

}
