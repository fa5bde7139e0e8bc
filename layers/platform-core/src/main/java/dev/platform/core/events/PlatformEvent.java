package dev.platform.core.events;

import dev.platform.core.Hashes;
import dev.platform.core.build.BuildSettings;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.preview.PreviewCommand;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

        public static BuildTarget fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * A target (a preview or production) wants the image of a commit.
     *
     * @param pr the pull request for preview builds, null for production
     * @param buildId the image's id: derived from project, commit and build settings (see
     *     {@link BuildId#of}), so every request for the same image names the same build, which is built
     *     once however often and by whomever it is requested
     * @param requestId this request's id: derived from the delivery that caused it, the project, the
     *     target and the pull request, so a request re-published after a crash keeps its id
     */
    record BuildRequested(ProjectId projectId, BuildTarget target, PrNumber pr, CommitSha commitSha, BuildId buildId,
                          String requestId) implements PlatformEvent {
        public static BuildRequested preview(ProjectId projectId, PrNumber pr, CommitSha commitSha, BuildSettings settings,
                                             String deliveryId) {
            return new BuildRequested(projectId, BuildTarget.PREVIEW, pr, commitSha, BuildId.of(projectId, commitSha, settings),
                    requestIdOf(RepoEvent.deliveryKey(deliveryId), projectId, BuildTarget.PREVIEW, pr));
        }

        public static BuildRequested production(ProjectId projectId, CommitSha commitSha, BuildSettings settings,
                                                String deliveryId) {
            return new BuildRequested(projectId, BuildTarget.PRODUCTION, null, commitSha,
                    BuildId.of(projectId, commitSha, settings),
                    requestIdOf(RepoEvent.deliveryKey(deliveryId), projectId, BuildTarget.PRODUCTION, null));
        }

        /** {@code r-} and 24 hex digits of SHA-256(delivery key, project, target, pull request). */
        public static String requestIdOf(String deliveryKey, ProjectId projectId, BuildTarget target, PrNumber pr) {
            return "r-" + Hashes.sha256Hex(deliveryKey + "\n" + projectId + "\n" + target.wireName() + "\n" + pr, 24);
        }

        @Override
        public String detailType() {
            return "BuildRequested";
        }
    }

    /**
     * A preview is to be removed.
     *
     * @param requestedBy null when its pull request closed (nothing is removed if it has been reopened since); a
     *     user's id when they removed it through the API, which removes it though the pull request is open (its next
     *     commit deploys it again)
     */
    record PreviewTeardownRequested(ProjectId projectId, PrNumber pr, String requestedBy) implements PlatformEvent {
        /** The pull request closed. */
        public PreviewTeardownRequested(ProjectId projectId, PrNumber pr) {
            this(projectId, pr, null);
        }

        @Override
        public String detailType() {
            return "PreviewTeardownRequested";
        }
    }

    /**
     * The image a target asked for is in the registry.
     *
     * @param pr the pull request for preview builds, null for production
     * @param imageUri the image by digest ({@code <repository>@sha256:...}), never by a movable tag
     * @param requestId the request this answers
     */
    record BuildSucceeded(ProjectId projectId, BuildTarget target, PrNumber pr, CommitSha commitSha, BuildId buildId,
                          String imageUri, String requestId) implements PlatformEvent {
        @Override
        public String detailType() {
            return "BuildSucceeded";
        }
    }

    /**
     * The image a target asked for could not be built, or its build was stopped.
     *
     * @param reason what went wrong, for people: an exit code, a stop reason, "superseded by ..."
     */
    record BuildFailed(ProjectId projectId, BuildTarget target, PrNumber pr, CommitSha commitSha, BuildId buildId,
                       String reason, String requestId) implements PlatformEvent {
        @Override
        public String detailType() {
            return "BuildFailed";
        }
    }

    /**
     * A deployment serves: the environment answers at {@code url}.
     *
     * @param pr the pull request for previews, null for production
     */
    record DeploymentSucceeded(ProjectId projectId, BuildTarget target, PrNumber pr, CommitSha commitSha,
                               String deploymentId, String url) implements PlatformEvent {
        @Override
        public String detailType() {
            return "DeploymentSucceeded";
        }
    }

    /**
     * A deployment did not become healthy and was rolled back: the deployment before it, if any, still serves.
     *
     * @param reason what ECS or the platform said, for people
     */
    record DeploymentFailed(ProjectId projectId, BuildTarget target, PrNumber pr, CommitSha commitSha,
                            String deploymentId, String reason) implements PlatformEvent {
        @Override
        public String detailType() {
            return "DeploymentFailed";
        }
    }

    /** Everything a closed pull request's preview ran on is gone: its rule, service, target group and task definitions. */
    record PreviewTornDown(ProjectId projectId, PrNumber pr) implements PlatformEvent {
        @Override
        public String detailType() {
            return "PreviewTornDown";
        }
    }

    /**
     * Someone who may write to the repository asked, in a comment on the pull request, for something to be
     * done to its live preview. Emitted once per delivery, through the preview's outbox; whoever acts on it
     * answers on the comment ({@code commentId}) when it is done.
     *
     * @param command {@code sleep}, {@code wake}, {@code extend} or {@code redeploy} in the event's JSON
     * @param extendBy for {@code extend}, how much longer the preview may live (ISO-8601 in the JSON, as
     *     {@link Duration#toString()} writes it: {@code PT168H} for seven days); null otherwise
     * @param requestedBy the commenter's GitHub login
     * @param commentId the comment that asked
     * @param deliveryId the GitHub delivery of the comment: an idempotency key for whoever acts
     */
    record PreviewCommandRequested(ProjectId projectId, PrNumber pr, PreviewCommand.Kind command, Duration extendBy,
                                   String requestedBy, long commentId, String deliveryId) implements PlatformEvent {
        public PreviewCommandRequested {
            if ((command == PreviewCommand.Kind.EXTEND) != (extendBy != null)) {
                throw new IllegalArgumentException("extendBy goes with extend, and only with it");
            }
        }

        @Override
        public String detailType() {
            return "PreviewCommandRequested";
        }
    }

    /**
     * A preview was scaled to 0 and its host rule pointed at the waker.
     *
     * @param reason {@code idle} (no request for the project's {@code sleepAfter}), {@code cap} (the project's
     *     {@code maxActivePreviews} was reached and it was the least recently requested) or {@code command}
     */
    record PreviewSlept(ProjectId projectId, PrNumber pr, String reason) implements PlatformEvent {
        @Override
        public String detailType() {
            return "PreviewSlept";
        }
    }

    /**
     * A sleeping preview is starting again: once per sleep, however many requests arrived.
     *
     * @param requestedBy {@code request} (a request to its host reached the waker) or {@code command:<login>}
     */
    record PreviewWaking(ProjectId projectId, PrNumber pr, String requestedBy) implements PlatformEvent {
        @Override
        public String detailType() {
            return "PreviewWaking";
        }
    }

    /** A woken preview's service is healthy again and its host rule forwards to it. */
    record PreviewWoke(ProjectId projectId, PrNumber pr, String url) implements PlatformEvent {
        @Override
        public String detailType() {
            return "PreviewWoke";
        }
    }

    /** A preview without a new commit for its project's {@code expireAfter} is removed at {@code expiresAt} unless it gets one. */
    record PreviewExpiring(ProjectId projectId, PrNumber pr, Instant expiresAt) implements PlatformEvent {
        @Override
        public String detailType() {
            return "PreviewExpiring";
        }
    }

    /** An expired preview's resources are being removed (its pull request stays open; a new commit deploys it anew). */
    record PreviewExpired(ProjectId projectId, PrNumber pr) implements PlatformEvent {
        @Override
        public String detailType() {
            return "PreviewExpired";
        }
    }

    /**
     * The reconciler removed platform resources whose environment is gone or unknown.
     *
     * @param removed how many: rules, services and target groups together
     * @param resources their ARNs
     */
    record OrphansRemoved(int removed, List<String> resources) implements PlatformEvent {
        public OrphansRemoved {
            resources = List.copyOf(resources);
        }

        @Override
        public String detailType() {
            return "OrphansRemoved";
        }
    }
}
