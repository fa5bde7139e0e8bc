package dev.platform.core.sleep;

import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.ids.ProjectId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: where the previews auto-sleep and the waker look for are found without reading every preview (on AWS,
 * sparse indexes of the table: never a Scan). What is indexed follows the environments as they are stored,
 * so an entry may be a moment behind its environment: callers read the environment and decide on that.
 */
public interface PreviewIndex {

    /** Every preview whose service is meant to run ({@code deploying}, {@code active}, {@code failed}, {@code waking}). */
    List<EnvironmentRef> running();

    /** The running previews of one project, least recently requested first. */
    List<EnvironmentRef> running(ProjectId projectId);

    /** The previews (not removed) whose expiry has something due by {@code now}: the notice, or the expiry itself. */
    List<EnvironmentRef> expiryDue(Instant now);

    /** The preview served at this host (lower-case, no port), if one was ever created there. */
    Optional<EnvironmentRef> atHost(String host);
}
