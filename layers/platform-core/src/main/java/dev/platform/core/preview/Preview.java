package dev.platform.core.preview;

import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;

/**
 * The preview environment of one pull request of one project. Built only through its named
 * transitions below (and read back by the store's mapper), so each change says what happened.
 *
 * @param prUpdatedAt {@code updated_at} of the newest delivery applied: older deliveries change nothing
 * @param draft whether the pull request is a draft (drafts do not build)
 * @param fork whether the head lives in another repository (forks build only an approved head)
 * @param buildRequestedSha the commit the last {@code BuildRequested} was for (null: none since opening)
 * @param approvedSha the commit of a fork that a maintainer approved for building (null: none)
 * @param buildId the build the preview waits for or has (set by the build launcher)
 * @param statusReason why the preview is in its status, when that needs saying (a failure, an approval to give)
 * @param closedAt when the pull request's close was applied (null while open)
 * @param lastRequestAt last inbound request to the preview (auto-sleep); starts at creation
 */
public record Preview(ProjectId projectId, PrNumber pr, PreviewStatus status, CommitSha headSha, String headRef,
                      Instant prUpdatedAt, boolean draft, boolean fork, CommitSha buildRequestedSha,
                      CommitSha approvedSha, BuildId buildId, String statusReason,
                      Instant createdAt, Instant changedAt, Instant closedAt, Instant lastRequestAt)
        implements TrackedState {

    /** The pull request was closed: the preview is deleted (or being torn down) until a newer delivery revives it. */
    public boolean deleted() {
        return status == PreviewStatus.DELETED;
    }

    /** A new preview at the delivery's head; nothing requested yet. */
    static Preview opened(ProjectId projectId, RepoEvent.PullRequest event, Instant now) {
        return new Preview(projectId, event.number(), PreviewStatus.PENDING, event.headSha(), event.headRef(),
                event.updatedAt(), event.draft(), event.fork(), null, null, null, null, now, now, null, now);
    }

    /** A close seen before any other delivery: remembered so that a late {@code opened} creates nothing. */
    static Preview closedBeforeOpened(ProjectId projectId, RepoEvent.PullRequest event, Instant now) {
        return new Preview(projectId, event.number(), PreviewStatus.DELETED, event.headSha(), event.headRef(),
                event.updatedAt(), event.draft(), event.fork(), null, null, null, null, now, now, now, now);
    }

    /** Closed by this delivery (or closed again by a newer one, keeping the first close's time). Its build stays named for the teardown. */
    Preview closedBy(RepoEvent.PullRequest event, Instant now) {
        return new Preview(projectId, pr, PreviewStatus.DELETED, event.headSha(), event.headRef(), event.updatedAt(),
                event.draft(), event.fork(), null, approvedSha, buildId, null, createdAt, now, deleted() ? closedAt : now,
                lastRequestAt);
    }

    /** A live preview moved to the delivery's head. */
    Preview withHead(RepoEvent.PullRequest event, Instant now) {
        return new Preview(projectId, pr, status, event.headSha(), event.headRef(), event.updatedAt(), event.draft(),
                event.fork(), buildRequestedSha, approvedSha, buildId, statusReason, createdAt, now, null, lastRequestAt);
    }

    /** A deleted preview brought back by a delivery newer than its close: pending at that head, idle time restarted. */
    Preview revived(RepoEvent.PullRequest event, Instant now) {
        return new Preview(projectId, pr, PreviewStatus.PENDING, event.headSha(), event.headRef(), event.updatedAt(),
                event.draft(), event.fork(), buildRequestedSha, approvedSha, buildId, null, createdAt, now, null, now);
    }

    /** A build of the head was requested. */
    Preview buildRequested() {
        return new Preview(projectId, pr, PreviewStatus.PENDING, headSha, headRef, prUpdatedAt, draft, fork, headSha,
                approvedSha, buildId, null, createdAt, changedAt, closedAt, lastRequestAt);
    }

    /** A fork's head waits for a maintainer's approval before anything is built. */
    Preview awaitingApproval(String reason) {
        return new Preview(projectId, pr, PreviewStatus.AWAITING_APPROVAL, headSha, headRef, prUpdatedAt, draft, fork,
                buildRequestedSha, approvedSha, buildId, reason, createdAt, changedAt, closedAt, lastRequestAt);
    }

    /** A maintainer approved building {@code commit} (the head) of this fork. */
    Preview approved(CommitSha commit, Instant now) {
        return new Preview(projectId, pr, status, headSha, headRef, prUpdatedAt, draft, fork, buildRequestedSha, commit,
                buildId, statusReason, createdAt, now, closedAt, lastRequestAt);
    }
}
