package dev.platform.core.build;

import dev.platform.core.events.PlatformEvent.BuildRequested;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.ids.PrNumber;
import java.util.Objects;

/**
 * A target waiting for a build: a preview (its pull request) or production, and the request that asked.
 *
 * @param pr the pull request of a preview, null for production
 */
public record BuildRequest(BuildTarget target, PrNumber pr, String requestId) {
    public BuildRequest {
        if ((target == BuildTarget.PREVIEW) != (pr != null)) {
            throw new IllegalArgumentException("a preview request names its pull request, a production one none");
        }
    }

    public static BuildRequest of(BuildRequested requested) {
        return new BuildRequest(requested.target(), requested.pr(), requested.requestId());
    }

    public boolean sameTarget(BuildTarget otherTarget, PrNumber otherPr) {
        return target == otherTarget && Objects.equals(pr, otherPr);
    }

    /** {@code preview#7} or {@code production}: how logs and tags name the target. */
    public String targetName() {
        return pr == null ? target.wireName() : target.wireName() + "#" + pr.value();
    }
}
