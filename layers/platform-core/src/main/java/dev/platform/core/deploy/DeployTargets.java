package dev.platform.core.deploy;

import dev.platform.core.ids.CommitSha;
import dev.platform.core.preview.PreviewStatus;
import java.time.Instant;

/**
 * Port: what deploys show on the preview and production states the orchestrator keeps ({@code status},
 * {@code statusReason}, {@code url}), each a conditional write that holds only while the target is still
 * at {@code commit} and live, so a deploy of an older commit never overwrites what a newer one shows.
 */
public interface DeployTargets {

    /** {@code deploying} at {@code commit}. */
    void deploying(EnvironmentRef environment, CommitSha commit);

    /** {@code active} at {@code commit}, served at {@code url}. */
    void deployed(EnvironmentRef environment, CommitSha commit, String url);

    /** {@code failed} at {@code commit}, with the reason. */
    void deployFailed(EnvironmentRef environment, CommitSha commit, String reason);

    /** A preview's standing between deploys ({@code sleeping}, {@code waking} or {@code expired}) at {@code commit}. */
    void standing(EnvironmentRef environment, CommitSha commit, PreviewStatus status);

    /** The preview's last inbound request, if later than the one shown. */
    void requested(EnvironmentRef environment, Instant lastRequestAt);
}
