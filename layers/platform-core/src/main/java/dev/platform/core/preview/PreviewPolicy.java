package dev.platform.core.preview;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The preview state machine for pull request deliveries. Pure: the same stored state and event
 * always give the same decision, so duplicates and reorderings are safe to replay.
 *
 * <ul>
 *   <li>Ordering ({@link PreviewGuard}): a delivery older than the stored one changes nothing; equal
 *       timestamps apply in arrival order, which the per-PR FIFO group preserves; the same head again
 *       is a replay.</li>
 *   <li>The newest delivery decides: a closed preview is revived by any delivery other than a close
 *       that is strictly newer than the close ({@code reopened}, or a {@code synchronize} or
 *       {@code edited} that overtook the {@code reopened}: it proves the pull request was reopened), at
 *       that delivery's head, which is built. A {@code reopened} older than what revived it is stale.
 *       A newer close of a closed preview moves its time forward, so reopens between the two closes
 *       stay stale.</li>
 *   <li>Builds ({@link BuildRule}): a draft gets a preview record but no build; {@code ready_for_review}
 *       (or any newer delivery saying the PR is no longer a draft) builds the current head;
 *       {@code converted_to_draft} keeps what is deployed and stops building new commits. A build is
 *       requested once per head commit.</li>
 * </ul>
 */
public final class PreviewPolicy {
    private PreviewPolicy() {
    }

    /** @param settings the project's build settings, part of every build it requests */
    public static Decision decide(Optional<Preview> stored, RepoEvent.PullRequest event, ProjectId projectId,
                                  BuildSettings settings, Instant now) {
        if (stored.isEmpty()) {
            return first(event, projectId, settings, now);
        }
        Preview current = stored.get();
        for (PreviewGuard guard : PreviewGuard.ALL) {
            Optional<String> refusal = guard.refuses(current, event);
            if (refusal.isPresent()) {
                return new Decision.Unchanged(refusal.get());
            }
        }
        if (event.action() == PullRequestAction.CLOSED) {
            return current.deleted()
                    ? new Decision.Changed(current.closedBy(event, now), List.of(), "closed again (newer close recorded)")
                    : new Decision.Changed(current.closedBy(event, now),
                            List.of(new PlatformEvent.PreviewTeardownRequested(current.projectId(), current.pr())), "closed");
        }
        if (current.deleted()) {
            String why = event.action() == PullRequestAction.REOPENED
                    ? "reopened"
                    : event.action().wireName() + " newer than the close (the pull request was reopened)";
            return withBuild(current.revived(event, now), event, settings, why);
        }
        return withBuild(current.withHead(event, now), event, settings, event.action().wireName());
    }

    /**
     * A maintainer's approval of a fork's head: the head (the approved one, if the approval names it) may
     * be built. The approver's permission is looked up only when the approval could matter; write,
     * maintain or admin may approve. It covers that commit only: a new commit needs a new approval.
     */
    public static Decision approve(Optional<Preview> stored, RepoEvent.Approval approval,
                                   Supplier<RepositoryPermission> permission, BuildSettings settings, Instant now) {
        if (stored.isEmpty() || stored.get().deleted()) {
            return new Decision.Unchanged("no open preview for #" + approval.number() + " to approve");
        }
        Preview current = stored.get();
        if (!current.fork()) {
            return new Decision.Unchanged("not from a fork: its builds need no approval");
        }
        if (approval.headSha() != null && !approval.headSha().equals(current.headSha())) {
            return new Decision.Unchanged("approval of " + approval.headSha().shortForm() + ", but the head is "
                    + current.headSha().shortForm() + " now: approve it again");
        }
        if (current.headSha().equals(current.approvedSha())) {
            return new Decision.Unchanged("head " + current.headSha().shortForm() + " is approved already");
        }
        RepositoryPermission granted = permission.get();
        if (!granted.canWrite()) {
            return new Decision.Unchanged("approval by " + approval.login() + " ignored: their permission is "
                    + granted.wireName() + "; write, maintain or admin may approve");
        }
        return withBuild(current.approved(current.headSha(), now), approval, settings,
                "approved by " + approval.login());
    }

    private static Decision first(RepoEvent.PullRequest event, ProjectId projectId, BuildSettings settings, Instant now) {
        if (event.action() == PullRequestAction.CLOSED) {
            // Remember the close so that a late "opened" cannot create a preview nobody will tear down.
            return new Decision.Changed(Preview.closedBeforeOpened(projectId, event, now), List.of(),
                    "closed before any preview existed");
        }
        return withBuild(Preview.opened(projectId, event, now), event, settings, "created by " + event.action().wireName());
    }

    /** Requests a build of the head unless a {@link BuildRule} holds it back. */
    private static Decision withBuild(Preview next, RepoEvent event, BuildSettings settings, String reason) {
        for (BuildRule rule : BuildRule.ALL) {
            Optional<BuildRule.Hold> held = rule.holdsBack(next);
            if (held.isPresent()) {
                Preview waiting = held.get().awaitsApproval() ? next.awaitingApproval(held.get().reason()) : next;
                return new Decision.Changed(waiting, List.of(), reason + " (" + held.get().reason() + ")");
            }
        }
        return new Decision.Changed(next.buildRequested(),
                List.of(PlatformEvent.BuildRequested.preview(next.projectId(), next.pr(), next.headSha(), settings,
                        event.deliveryId())),
                reason + " (build " + next.headSha() + ")");
    }
}
