package dev.platform.core.repoevent;

import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A GitHub delivery reduced to what the control plane acts on. Travels on {@code repo-events.fifo}.
 */
public sealed interface RepoEvent {

    /** {@code X-GitHub-Delivery}: the SQS deduplication id and the idempotency key downstream. */
    String deliveryId();

    /**
     * What must be applied in order: one key per pull request ({@code <repo>#pr-<n>}), per ref
     * ({@code <repo>#<ref>}) or per installation of the GitHub App. The queue adapter turns it into its
     * own ordering unit.
     */
    String orderingKey();

    /** 16 hex digits of SHA-256(delivery id): how states remember deliveries and outbox entries name them. */
    static String deliveryKey(String deliveryId) {
        return dev.platform.core.Hashes.sha256Hex(deliveryId, 16);
    }

    /** Repository names are case-insensitive on GitHub; keys use this form. */
    static String repositoryKey(String repository) {
        return repository.toLowerCase(Locale.ROOT);
    }

    /** An event about one repository ({@code owner/name} as GitHub spells it) and its projects. */
    sealed interface OfRepository extends RepoEvent {
        String repository();

        /** The GitHub App installation the delivery came through, or null (a plain repository webhook). */
        InstallationId installation();
    }

    /**
     * @param updatedAt {@code pull_request.updated_at}: orders deliveries of one pull request
     * @param draft whether the pull request is a draft as of {@code updatedAt}
     * @param fork whether the head branch lives in another repository
     */
    record PullRequest(String deliveryId, String repository, InstallationId installation, PullRequestAction action,
                       PrNumber number, CommitSha headSha, String headRef, String baseRef, Instant updatedAt,
                       boolean draft, boolean fork) implements OfRepository {
        @Override
        public String orderingKey() {
            return pullRequestKey(repository, number);
        }
    }

    /**
     * @param pushedAt {@code repository.pushed_at} (epoch seconds): orders pushes of one ref
     */
    record Push(String deliveryId, String repository, InstallationId installation, String ref, CommitSha before,
                CommitSha after, boolean created, boolean deleted, long pushedAt) implements OfRepository {
        private static final String BRANCH_PREFIX = "refs/heads/";

        @Override
        public String orderingKey() {
            return repositoryKey(repository) + "#" + ref;
        }

        /** The branch name, or null for tags and other refs. */
        public String branch() {
            return ref.startsWith(BRANCH_PREFIX) ? ref.substring(BRANCH_PREFIX.length()) : null;
        }
    }

    /**
     * Someone asked for a fork's head to be built: the label {@code preview:approved} added, or a comment
     * {@code /preview approve} on the pull request. Whether they may is checked when it is applied. It
     * travels in the pull request's group, so it is ordered with the pushes.
     *
     * @param login who asked
     * @param headSha the head the approval is for (a label event carries it), or null (a comment: the head
     *     the preview is at when the approval is applied)
     */
    record Approval(String deliveryId, String repository, InstallationId installation, PrNumber number, String login,
                    CommitSha headSha) implements OfRepository {
        @Override
        public String orderingKey() {
            return pullRequestKey(repository, number);
        }
    }

    /**
     * A comment {@code /preview <command>} on a pull request ({@code sleep}, {@code wake}, {@code extend [duration]},
     * {@code redeploy}). A command that could not be read travels too, with the reason, so the comment can be
     * answered: the commenter sees that the platform read it and did nothing. Whether the commenter may ask is
     * checked when it is applied. It travels in the pull request's group, like approvals.
     *
     * @param login who commented
     * @param commentId the comment's id, which the answer (a reaction) goes to
     * @param command what it asks for, or null when it could not be read
     * @param refusal why it could not be read, or null when {@code command} is set
     */
    record PreviewCommand(String deliveryId, String repository, InstallationId installation, PrNumber number, String login,
                          long commentId, dev.platform.core.preview.PreviewCommand command, String refusal)
            implements OfRepository {
        public PreviewCommand {
            if (commentId < 1) {
                throw new IllegalArgumentException("a comment id is positive: " + commentId);
            }
            if ((command == null) == (refusal == null)) {
                throw new IllegalArgumentException("a preview command is either read or refused");
            }
        }

        @Override
        public String orderingKey() {
            return pullRequestKey(repository, number);
        }
    }

    /**
     * The GitHub App was installed on, or removed from, repositories ({@code installation},
     * {@code installation_repositories}): the projects of {@code added} are now served by
     * {@code installation}, those of {@code removed} by none.
     */
    record Installation(String deliveryId, InstallationId installation, String action, List<String> added,
                        List<String> removed) implements RepoEvent {
        public Installation {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }

        @Override
        public String orderingKey() {
            return "installation#" + installation.value();
        }
    }

    private static String pullRequestKey(String repository, PrNumber number) {
        return repositoryKey(repository) + "#pr-" + number.value();
    }
}
