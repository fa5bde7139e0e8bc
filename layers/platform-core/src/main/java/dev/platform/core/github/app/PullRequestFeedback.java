package dev.platform.core.github.app;

import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import java.util.Locale;
import java.util.OptionalLong;

/** Port: what a pull request shows of its preview — GitHub deployments with statuses, and one comment. */
public interface PullRequestFeedback {

    /** A deployment status's {@code state}. */
    enum State {
        QUEUED, IN_PROGRESS, SUCCESS, FAILURE, INACTIVE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The GitHub deployment of {@code commit} to {@code environment} (transient, not production): the one
     * that exists ({@code GET /repos/{repository}/deployments?sha&environment}) or a new one.
     *
     * @return its id
     * @throws GitHubException when GitHub refuses or fails
     */
    long deployment(InstallationId installation, String repository, CommitSha commit, String environment);

    /**
     * {@code POST /repos/{repository}/deployments/{deploymentId}/statuses}.
     *
     * @param environmentUrl the preview's URL, or null
     * @param logUrl where to read more, or null
     */
    void status(InstallationId installation, String repository, long deploymentId, State state, String environmentUrl,
                String logUrl, String description);

    /** The newest deployment to {@code environment}, if there is one (to mark it inactive). */
    OptionalLong latestDeployment(InstallationId installation, String repository, String environment);

    /**
     * The pull request's one comment that contains {@code marker}, edited to {@code body} (which must contain
     * the marker), or created when there is none.
     */
    void comment(InstallationId installation, String repository, PrNumber pr, String marker, String body);
}
