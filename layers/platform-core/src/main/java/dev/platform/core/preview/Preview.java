package dev.platform.core.preview;

import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;

/**
 * The preview environment of one pull request of one project.
 *
 * @param prUpdatedAt {@code updated_at} of the newest delivery applied: older deliveries change nothing
 * @param draft whether the pull request is a draft (drafts do not build)
 * @param fork whether the head lives in another repository
 * @param buildRequestedSha the commit the last {@code BuildRequested} was for (null: none since opening)
 * @param lastRequestAt last inbound request to the preview (auto-sleep); starts at creation
 */
public record Preview(String projectId, int pr, PreviewStatus status, String headSha, String headRef,
                      Instant prUpdatedAt, boolean draft, boolean fork, String buildRequestedSha,
                      Instant createdAt, Instant changedAt, Instant closedAt, Instant lastRequestAt)
        implements TrackedState {

    public boolean closed() {
        return status == PreviewStatus.DELETED;
    }

    /** A new preview at the delivery's head; nothing requested yet. */
    static Preview opened(String projectId, RepoEvent.PullRequest event, Instant now) {
        return new Preview(projectId, event.number(), PreviewStatus.PENDING, event.headSha(), event.headRef(),
                event.updatedAt(), event.draft(), event.fork(), null, now, now, null, now);
    }

    /** A close seen before any other delivery: remembered so that a late {@code opened} creates nothing. */
    static Preview closedBeforeOpened(String projectId, RepoEvent.PullRequest event, Instant now) {
        return new Preview(projectId, event.number(), PreviewStatus.DELETED, event.headSha(), event.headRef(),
                event.updatedAt(), event.draft(), event.fork(), null, now, now, now, now);
    }

    /** Closed by this delivery (or closed again by a newer one, keeping the first close's time). */
    Preview closedBy(RepoEvent.PullRequest event, Instant now) {
        return new Preview(projectId, pr, PreviewStatus.DELETED, event.headSha(), event.headRef(), event.updatedAt(),
                event.draft(), event.fork(), null, createdAt, now, closed() ? closedAt : now, lastRequestAt);
    }

    /** At the delivery's head; a closed preview revives (pending, idle time restarted). */
    Preview withHead(RepoEvent.PullRequest event, Instant now) {
        boolean reviving = closed();
        return new Preview(projectId, pr, reviving ? PreviewStatus.PENDING : status, event.headSha(), event.headRef(),
                event.updatedAt(), event.draft(), event.fork(), buildRequestedSha, createdAt, now, null,
                reviving ? now : lastRequestAt);
    }

    /** A build of the head was requested. */
    Preview buildRequested() {
        return new Preview(projectId, pr, PreviewStatus.PENDING, headSha, headRef, prUpdatedAt, draft, fork, headSha,
                createdAt, changedAt, closedAt, lastRequestAt);
    }
}
