package dev.platform.core.deploy;

/**
 * A place for one environment's host rule: a load balancer shard and a rule priority on its listener.
 *
 * @param shard the preview shard (0, 1, ...), or {@link #PRODUCTION} for the production load balancer
 * @param priority the listener rule priority, unique on that listener (1 ... the shard's capacity)
 */
public record Slot(int shard, int priority) {
    public static final int PRODUCTION = -1;

    public Slot {
        if (shard < PRODUCTION || priority < 1 || priority > 50_000) {
            throw new IllegalArgumentException("no such slot: shard " + shard + ", priority " + priority);
        }
    }
}
