package dev.platform.core.deploy;

import java.util.Optional;

/**
 * Port: places on the load balancers. An ALB holds at most 100 target groups (a hard quota), so
 * previews are spread over shards of a fixed capacity; each claim is a conditional write, so
 * concurrent deploys never overfill a shard nor share a rule priority.
 */
public interface ShardSlots {

    /**
     * A slot for {@code environment}: the one it already holds, else the lowest free priority on the first
     * preview shard with room (production environments: on the production listener).
     *
     * @return empty when every shard is full
     */
    Optional<Slot> claim(EnvironmentRef environment);

    /** Frees the slot if {@code environment} holds it; freeing it twice is not an error. */
    void release(EnvironmentRef environment, Slot slot);
}
