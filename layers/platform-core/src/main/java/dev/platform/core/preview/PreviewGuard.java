package dev.platform.core.preview;

import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.util.List;
import java.util.Optional;

/**
 * One rule a pull request delivery must pass before it may change a stored preview. Each says, when
 * it stops a delivery, why the delivery changes nothing.
 */
@FunctionalInterface
interface PreviewGuard {

    /** @return why this delivery changes nothing, or empty to let it through */
    Optional<String> refuses(Preview current, RepoEvent.PullRequest event);

    /**
     * The newest delivery decides: one whose {@code updated_at} is older than the stored one is stale.
     * Equal timestamps (GitHub's resolution is one second) pass, in arrival order.
     */
    PreviewGuard OLDER_THAN_STORED = (current, event) -> event.updatedAt().isBefore(current.prUpdatedAt())
            ? Optional.of("stale: updated_at " + event.updatedAt() + " is older than the stored " + current.prUpdatedAt())
            : Optional.empty();

    /** A close is final unless strictly newer evidence says otherwise: a delivery as old as the close never revives. */
    PreviewGuard NOT_NEWER_THAN_CLOSE = (current, event) -> current.deleted() && !event.updatedAt().isAfter(current.prUpdatedAt())
            ? Optional.of("preview is closed; a delivery as old as the close does not revive it")
            : Optional.empty();

    /** The same head (and draft state) again, no newer than what is stored, is a replay. */
    PreviewGuard SAME_HEAD_AGAIN = (current, event) -> !current.deleted()
            && event.action() != PullRequestAction.CLOSED
            && event.headSha().equals(current.headSha()) && event.draft() == current.draft()
            && !event.updatedAt().isAfter(current.prUpdatedAt())
            ? Optional.of("duplicate: head " + event.headSha() + " already recorded")
            : Optional.empty();

    /** Every guard, in the order they are asked. */
    List<PreviewGuard> ALL = List.of(OLDER_THAN_STORED, NOT_NEWER_THAN_CLOSE, SAME_HEAD_AGAIN);
}
