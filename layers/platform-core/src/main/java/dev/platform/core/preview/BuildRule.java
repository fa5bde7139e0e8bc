package dev.platform.core.preview;

import java.util.List;
import java.util.Optional;

/** One reason a preview at its new head does not request a build now. */
@FunctionalInterface
interface BuildRule {

    /**
     * @param reason why no build is requested
     * @param awaitsApproval whether the preview now waits for a maintainer's approval
     */
    record Hold(String reason, boolean awaitsApproval) {
    }

    /** @return why no build is requested, or empty when this rule allows one */
    Optional<Hold> holdsBack(Preview next);

    /** Drafts get a preview record but no build; {@code ready_for_review} builds the head. */
    BuildRule DRAFT = next -> next.draft() ? Optional.of(new Hold("draft: no build", false)) : Optional.empty();

    /**
     * A pull request from a fork builds only a head a maintainer approved (the label {@code preview:approved}
     * or a {@code /preview approve} comment): its code is untrusted. A new commit needs a new approval.
     */
    BuildRule FORK_NOT_APPROVED = next -> next.fork() && !next.headSha().equals(next.approvedSha())
            ? Optional.of(new Hold("fork: " + next.headSha().shortForm() + " waits for a maintainer's approval "
                    + "(label preview:approved, or comment /preview approve)", true))
            : Optional.empty();

    /** A build is requested once per head commit. */
    BuildRule HEAD_ALREADY_REQUESTED = next -> next.headSha().equals(next.buildRequestedSha())
            ? Optional.of(new Hold("head already requested", false)) : Optional.empty();

    List<BuildRule> ALL = List.of(DRAFT, FORK_NOT_APPROVED, HEAD_ALREADY_REQUESTED);
}
