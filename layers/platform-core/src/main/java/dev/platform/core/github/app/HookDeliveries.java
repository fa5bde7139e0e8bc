package dev.platform.core.github.app;

import java.time.Instant;
import java.util.List;

/** Port: the GitHub App's webhook deliveries (authenticated as the App, not an installation). */
public interface HookDeliveries {

    /**
     * {@code GET /app/hook/deliveries}, every page back to {@code since} (newest first, as GitHub lists them).
     *
     * @throws GitHubException when GitHub refuses or fails
     */
    List<HookDelivery> since(Instant since);

    /**
     * {@code POST /app/hook/deliveries/{id}/attempts}: GitHub sends the delivery again, with the same guid.
     *
     * @throws GitHubException when GitHub refuses or fails
     */
    void redeliver(long deliveryId);
}
