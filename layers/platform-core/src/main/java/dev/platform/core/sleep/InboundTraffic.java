package dev.platform.core.sleep;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Port: when previews last received a request (on AWS, the ALB's per-target-group {@code RequestCount} in
 * CloudWatch, at one-minute resolution; locally, the runtime's router).
 */
public interface InboundTraffic {

    /**
     * A preview's target group on its load balancer shard.
     *
     * @param targetGroupArn the preview's own target group
     * @param shard the load balancer shard the preview's rule is on (0 for the first)
     */
    record Source(String targetGroupArn, int shard) {
    }

    /**
     * The last request each source received in {@code [since, until)}; a source that received none in that
     * window is absent from the answer.
     */
    Map<Source, Instant> lastRequests(Collection<Source> sources, Instant since, Instant until);
}
