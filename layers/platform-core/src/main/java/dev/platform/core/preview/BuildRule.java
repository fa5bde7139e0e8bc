package dev.platform.core.preview;

import java.util.List;
import java.util.Optional;

/** One reason a preview at its new head does not request a build now. */
@FunctionalInterface
interface BuildRule {

    /** @return why no build is requested, or empty when this rule allows one */
    Optional<String> holdsBack(Preview next);

    /** Drafts get a preview record but no build; {@code ready_for_review} builds the head. */
    BuildRule DRAFT = next -> next.draft() ? Optional.of("draft: no build") : Optional.empty();

    /** A build is requested once per head commit. */
    BuildRule HEAD_ALREADY_REQUESTED = next -> next.headSha().equals(next.buildRequestedSha())
            ? Optional.of("head already requested") : Optional.empty();

    List<BuildRule> ALL = List.of(DRAFT, HEAD_ALREADY_REQUESTED);
}
