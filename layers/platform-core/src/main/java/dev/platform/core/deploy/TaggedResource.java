package dev.platform.core.deploy;

import java.time.Instant;
import java.util.Map;

/**
 * A platform resource as a listing shows it, for the reconciler.
 *
 * @param id its ARN
 * @param name its name (a service or target group name; a rule's host)
 * @param createdAt when it was created, or null where the service does not say (listener rules)
 */
public record TaggedResource(String id, String name, Map<String, String> tags, Instant createdAt) {
    public TaggedResource {
        tags = Map.copyOf(tags);
    }
}
