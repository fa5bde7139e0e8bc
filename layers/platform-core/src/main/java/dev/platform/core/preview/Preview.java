package dev.platform.core.preview;

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
}
