package dev.platform.core.repoevent;

import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import java.time.Instant;
import java.util.Locale;

/**
 * A GitHub delivery reduced to what the control plane acts on. Travels on {@code repo-events.fifo}.
 */
public sealed interface RepoEvent {

    /** {@code X-GitHub-Delivery}: the SQS deduplication id and the idempotency key downstream. */
    String deliveryId();

    /** {@code owner/name} as GitHub spells it. */
    String repository();

    /**
     * What must be applied in order: one key per pull request ({@code <repo>#pr-<n>}) or per ref
     * ({@code <repo>#<ref>}). The queue adapter turns it into its own ordering unit.
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

    /**
     * @param updatedAt {@code pull_request.updated_at}: orders deliveries of one pull request
     * @param draft whether the pull request is a draft as of {@code updatedAt}
     * @param fork whether the head branch lives in another repository
     */
    record PullRequest(String deliveryId, String repository, PullRequestAction action, PrNumber number,
                       CommitSha headSha, String headRef, String baseRef, Instant updatedAt,
                       boolean draft, boolean fork) implements RepoEvent {
        @Override
        public String orderingKey() {
            return repositoryKey(repository) + "#pr-" + number;
        }
    }

    /**
     * @param pushedAt {@code repository.pushed_at} (epoch seconds): orders pushes of one ref
     */
    record Push(String deliveryId, String repository, String ref, CommitSha before, CommitSha after,
                boolean created, boolean deleted, long pushedAt) implements RepoEvent {
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
}
