package dev.platform.core.github.app;

import java.time.Instant;

/**
 * One attempt to deliver a webhook of the GitHub App, as GitHub lists them.
 *
 * @param id this attempt's id (what a redelivery is asked for)
 * @param guid {@code X-GitHub-Delivery}: the same for every attempt of one delivery
 * @param statusCode what the platform answered (0: no answer)
 */
public record HookDelivery(long id, String guid, Instant deliveredAt, boolean redelivery, int statusCode, String event) {

    /** GitHub counts 2xx answers as delivered. */
    public boolean delivered() {
        return statusCode >= 200 && statusCode < 300;
    }
}
