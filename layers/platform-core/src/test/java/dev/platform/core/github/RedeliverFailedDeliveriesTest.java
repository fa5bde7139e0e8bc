package dev.platform.core.github;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.platform.core.github.app.HookDeliveries;
import dev.platform.core.github.app.HookDelivery;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedeliverFailedDeliveriesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final List<HookDelivery> listed = new ArrayList<>();
    private final List<Long> redelivered = new ArrayList<>();
    private Instant askedSince;
    private final HookDeliveries hooks = new HookDeliveries() {
        @Override
        public List<HookDelivery> since(Instant since) {
            askedSince = since;
            return List.copyOf(listed);
        }

        @Override
        public void redeliver(long deliveryId) {
            redelivered.add(deliveryId);
        }
    };
    private final RedeliverFailedDeliveries redeliver = new RedeliverFailedDeliveries(hooks, Clock.fixed(NOW, ZoneOffset.UTC));

    private void attempt(long id, String guid, int minutesAgo, boolean redelivery, int status) {
        listed.add(new HookDelivery(id, guid, NOW.minusSeconds(60L * minutesAgo), redelivery, status, "pull_request"));
    }

    @Test
    void eachFailedDeliveryIsAskedForAgainOnceAndTheDeliveredOnesAreLeftAlone() {
        attempt(1, "ok", 50, false, 202);
        attempt(2, "timed-out", 40, false, 0);
        attempt(3, "server-error", 30, false, 503);
        attempt(4, "fixed-since", 20, false, 502);
        attempt(5, "fixed-since", 10, true, 202);
        attempt(6, "refused", 5, false, 401);
        var outcome = redeliver.run();
        assertEquals(List.of(2L, 3L), redelivered, "the last attempt of each failed delivery, once");
        assertEquals(List.of("timed-out", "server-error"), outcome.redelivered());
        assertEquals(NOW.minus(RedeliverFailedDeliveries.WINDOW), askedSince);
    }

    @Test
    void aDeliveryThatKeepsFailingIsGivenUpAfterThreeRedeliveries() {
        attempt(1, "flaky", 60, false, 500);
        attempt(2, "flaky", 50, true, 500);
        attempt(3, "flaky", 40, true, 500);
        attempt(4, "flaky", 30, true, 500);
        var outcome = redeliver.run();
        assertEquals(List.of(), redelivered);
        assertEquals(List.of("flaky"), outcome.givenUp());
    }
}
