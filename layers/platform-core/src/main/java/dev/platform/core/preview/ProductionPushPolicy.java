package dev.platform.core.preview;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pushes: only a push that moves the project's production branch to a new commit builds production.
 * Tags, branch deletions, other branches, repeated and older pushes change nothing.
 */
public final class ProductionPushPolicy {
    private ProductionPushPolicy() {
    }

    /** @param settings the project's build settings, part of every build it requests */
    public static Decision decide(Optional<ProductionBranch> stored, RepoEvent.Push push, ProjectId projectId,
                                  String productionBranch, BuildSettings settings, Instant now) {
        String branch = push.branch();
        if (branch == null) {
            return new Decision.Unchanged("not a branch: " + push.ref());
        }
        if (push.deleted() || CommitSha.ZERO.equals(push.after())) {
            return new Decision.Unchanged("branch deleted: " + branch);
        }
        if (!branch.equals(productionBranch)) {
            return new Decision.Unchanged("not the production branch (" + productionBranch + "): " + branch);
        }
        if (stored.isPresent()) {
            ProductionBranch current = stored.get();
            if (push.pushedAt() < current.pushedAt()) {
                return new Decision.Unchanged("stale: pushed_at " + push.pushedAt() + " is older than " + current.pushedAt());
            }
            if (push.after().equals(current.headSha())) {
                return new Decision.Unchanged("duplicate: " + push.after() + " already requested");
            }
        }
        ProductionBranch next = new ProductionBranch(projectId, branch, push.after(), push.pushedAt(), now);
        return new Decision.Changed(next,
                List.of(PlatformEvent.BuildRequested.production(projectId, push.after(), settings, push.deliveryId())),
                "production push (build " + push.after() + ")");
    }
}
