package dev.platform.core.preview;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The preview state machine for pull request deliveries. Pure: the same stored state and event
 * always give the same decision, so duplicates and reorderings are safe to replay.
 *
 * <ul>
 *   <li>Ordering: a delivery whose {@code updated_at} is older than the stored one changes nothing.
 *       Equal timestamps (GitHub's resolution is one second) apply in arrival order, which the
 *       per-PR FIFO group preserves.</li>
 *   <li>The newest delivery decides: a closed preview is revived by any delivery other than a close
 *       that is strictly newer than the close ({@code reopened}, or a {@code synchronize} or
 *       {@code edited} that overtook the {@code reopened}: it proves the pull request was reopened), at
 *       that delivery's head, which is built. A {@code reopened} older than what revived it is stale.
 *       A newer close of a closed preview moves its time forward, so reopens between the two closes
 *       stay stale. Equal timestamps never revive: a close is final unless strictly newer evidence
 *       says otherwise.</li>
 *   <li>Drafts: a draft gets a preview record but no build; pushes to a draft only record the head.
 *       {@code ready_for_review} (or any newer delivery saying the PR is no longer a draft) builds the
 *       current head. {@code converted_to_draft} keeps what is deployed and stops building new commits.</li>
 *   <li>A build is requested once per head commit: a repeated or stale commit requests nothing.</li>
 * </ul>
 */
public final class PreviewPolicy {
    private PreviewPolicy() {
    }

    /** @param settings the project's build settings, part of every build it requests */
    public static Decision decide(Optional<Preview> stored, RepoEvent.PullRequest event, String projectId,
                                  BuildSettings settings, Instant now) {
        if (stored.isEmpty()) {
            return first(event, projectId, settings, now);
        }
        Preview current = stored.get();
        if (event.updatedAt().isBefore(current.prUpdatedAt())) {
            return new Decision.Unchanged("stale: updated_at " + event.updatedAt()
                    + " is older than the stored " + current.prUpdatedAt());
        }
        if (current.closed()) {
            return afterClose(current, event, settings, now);
        }
        if (event.action() == PullRequestAction.CLOSED) {
            return new Decision.Changed(current.closedBy(event, now),
                    List.of(new PlatformEvent.PreviewTeardownRequested(current.projectId(), current.pr())),
                    "closed");
        }
        boolean sameHead = event.headSha().equals(current.headSha()) && event.draft() == current.draft();
        if (sameHead && !event.updatedAt().isAfter(current.prUpdatedAt())) {
            return new Decision.Unchanged("duplicate: head " + event.headSha() + " already recorded");
        }
        return open(current, event, settings, now, event.action().wireName());
    }

    private static Decision afterClose(Preview closed, RepoEvent.PullRequest event, BuildSettings settings, Instant now) {
        if (!event.updatedAt().isAfter(closed.prUpdatedAt())) {
            return new Decision.Unchanged("preview is closed; a delivery as old as the close does not revive it");
        }
        if (event.action() == PullRequestAction.CLOSED) {
            return new Decision.Changed(closed.closedBy(event, now), List.of(), "closed again (newer close recorded)");
        }
        String why = event.action() == PullRequestAction.REOPENED
                ? "reopened"
                : event.action().wireName() + " newer than the close (the pull request was reopened)";
        return open(closed, event, settings, now, why);
    }

    private static Decision first(RepoEvent.PullRequest event, String projectId, BuildSettings settings, Instant now) {
        if (event.action() == PullRequestAction.CLOSED) {
            // Remember the close so that a late "opened" cannot create a preview nobody will tear down.
            return new Decision.Changed(Preview.closedBeforeOpened(projectId, event, now), List.of(),
                    "closed before any preview existed");
        }
        return withBuild(Preview.opened(projectId, event, now), event, settings, "created by " + event.action().wireName());
    }

    private static Decision open(Preview current, RepoEvent.PullRequest event, BuildSettings settings, Instant now,
                                 String reason) {
        return withBuild(current.withHead(event, now), event, settings, reason);
    }

    /** Requests a build when the preview is buildable and its head has not been requested yet. */
    private static Decision withBuild(Preview next, RepoEvent.PullRequest event, BuildSettings settings, String reason) {
        if (next.draft() || next.headSha().equals(next.buildRequestedSha())) {
            String why = next.draft() ? " (draft: no build)" : " (head already requested)";
            return new Decision.Changed(next, List.of(), reason + why);
        }
        return new Decision.Changed(next.buildRequested(),
                List.of(PlatformEvent.BuildRequested.preview(next.projectId(), next.pr(), next.headSha(), settings,
                        event.deliveryId())),
                reason + " (build " + next.headSha() + ")");
    }
}
