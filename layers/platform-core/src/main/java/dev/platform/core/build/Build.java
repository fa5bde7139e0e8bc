package dev.platform.core.build;

import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One image of (project, commit, build settings) and its current attempt. Every target that wants the
 * image waits on it ({@link #requests}); a failed, superseded or cancelled image is built again as a new
 * attempt when it is asked for again.
 *
 * @param repository and {@code installation}: where the source comes from, and how check runs are reported
 * @param attempt counts from 1; a new attempt starts a new task
 * @param requests the targets waiting for the current attempt, first requester first
 * @param taskId the builder task of the current attempt, once started
 * @param image the pushed image by digest, once succeeded
 * @param failureReason why the attempt failed or was stopped
 * @param checkRunId the commit's {@code preview build} check run, once created
 */
public record Build(BuildId buildId, ProjectId projectId, CommitSha commitSha, BuildSettings settings, String repository,
                    InstallationId installation, BuildStatus status, int attempt, List<BuildRequest> requests,
                    String taskId, String image, String failureReason, Long checkRunId,
                    Instant createdAt, Instant startedAt, Instant finishedAt) {

    public Build {
        requests = List.copyOf(requests);
    }

    /** The first request for this image. */
    static Build requested(BuildId buildId, ProjectId projectId, CommitSha commitSha, BuildSettings settings,
                           String repository, InstallationId installation, BuildRequest request, Instant now) {
        return new Build(buildId, projectId, commitSha, settings, repository, installation, BuildStatus.QUEUED, 1,
                List.of(request), null, null, null, null, now, null, null);
    }

    /** Another target waits for this attempt too. */
    Build joinedBy(BuildRequest request) {
        List<BuildRequest> more = new ArrayList<>(requests);
        more.add(request);
        return with(status, more, taskId, image, failureReason, checkRunId, startedAt, finishedAt);
    }

    /** Asked for again after a failed, superseded or cancelled attempt: a new attempt for this request. */
    Build retriedFor(BuildRequest request, Instant now) {
        return new Build(buildId, projectId, commitSha, settings, repository, installation, BuildStatus.QUEUED, attempt + 1,
                List.of(request), null, null, null, checkRunId, now, null, null);
    }

    Build withCheckRun(long id) {
        return with(status, requests, taskId, image, failureReason, id, startedAt, finishedAt);
    }

    Build running(String task, Instant now) {
        return with(BuildStatus.RUNNING, requests, task, null, null, checkRunId, now, null);
    }

    Build succeeded(String pushedImage, Instant now) {
        return with(BuildStatus.SUCCEEDED, requests, taskId, pushedImage, null, checkRunId, startedAt, now);
    }

    Build failed(String reason, Instant now) {
        return with(BuildStatus.FAILED, requests, taskId, null, reason, checkRunId, startedAt, now);
    }

    /** The last waiting target went away: superseded by a newer commit, or cancelled by a teardown. */
    Build stopped(BuildStatus why, String reason) {
        return with(why, requests, taskId, null, reason, checkRunId, startedAt, finishedAt);
    }

    /** The stopped task is gone: when it ended. */
    Build ended(Instant now) {
        return with(status, requests, taskId, image, failureReason, checkRunId, startedAt, now);
    }

    /** Without the requests of this target (it wants another image now, or nothing). */
    Build releasedBy(BuildTarget target, PrNumber pr) {
        return with(status, requests.stream().filter(r -> !r.sameTarget(target, pr)).toList(), taskId, image,
                failureReason, checkRunId, startedAt, finishedAt);
    }

    boolean requestedBy(String requestId) {
        return requests.stream().anyMatch(r -> r.requestId().equals(requestId));
    }

    boolean waitedForBy(BuildTarget target, PrNumber pr) {
        return requests.stream().anyMatch(r -> r.sameTarget(target, pr));
    }

    /** The tag the builder pushes: the commit and the build, so an image is never retagged. */
    public String imageTag() {
        return commitSha.value() + "-" + buildId.value().substring(2, 14);
    }

    /** The builder's source snapshot in the source store. */
    public String sourceKey() {
        return "sources/" + buildId.value() + "/" + attempt + ".tar.gz";
    }

    private Build with(BuildStatus newStatus, List<BuildRequest> newRequests, String newTask, String newImage,
                       String newReason, Long newCheckRun, Instant newStartedAt, Instant newFinishedAt) {
        return new Build(buildId, projectId, commitSha, settings, repository, installation, newStatus, attempt, newRequests,
                newTask, newImage, newReason, newCheckRun, createdAt, newStartedAt, newFinishedAt);
    }
}
