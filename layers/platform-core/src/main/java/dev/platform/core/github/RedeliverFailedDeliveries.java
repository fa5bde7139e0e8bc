package dev.platform.core.github;

import dev.platform.core.github.app.HookDeliveries;
import dev.platform.core.github.app.HookDelivery;
import dev.platform.core.json.JsonLog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GitHub does not retry a webhook delivery that failed. Run on a schedule, this lists the App's
 * deliveries of the last {@link #WINDOW} and asks GitHub to deliver again each one that never got a 2xx
 * answer and whose last attempt failed in a way a retry can fix (no answer, a 5xx, a 429), at most
 * {@link #MAX_REDELIVERIES} times. A redelivery keeps its {@code X-GitHub-Delivery}, and intake is
 * idempotent by it, so a redelivered build request never builds twice. Deliveries the webhook refused
 * on purpose (a wrong signature, a malformed body: 4xx) are not asked for again.
 */
public final class RedeliverFailedDeliveries {
    public static final Duration WINDOW = Duration.ofHours(3);
    static final int MAX_REDELIVERIES = 3;

    /** What one run did. */
    public record Outcome(int listed, List<String> redelivered, List<String> givenUp) {
    }

    private final HookDeliveries deliveries;
    private final Clock clock;

    public RedeliverFailedDeliveries(HookDeliveries deliveries, Clock clock) {
        this.deliveries = deliveries;
        this.clock = clock;
    }

    public Outcome run() {
        List<HookDelivery> listed = deliveries.since(clock.instant().minus(WINDOW));
        Map<String, List<HookDelivery>> attemptsByGuid = new LinkedHashMap<>();
        for (HookDelivery delivery : listed) {
            attemptsByGuid.computeIfAbsent(delivery.guid(), guid -> new ArrayList<>()).add(delivery);
        }
        List<String> redelivered = new ArrayList<>();
        List<String> givenUp = new ArrayList<>();
        attemptsByGuid.forEach((guid, attempts) -> {
            if (attempts.stream().anyMatch(HookDelivery::delivered)) {
                return;
            }
            HookDelivery last = attempts.stream().max(Comparator.comparing(HookDelivery::deliveredAt)
                    .thenComparing(HookDelivery::id)).orElseThrow();
            if (!retryable(last.statusCode())) {
                return;
            }
            if (attempts.stream().filter(HookDelivery::redelivery).count() >= MAX_REDELIVERIES) {
                givenUp.add(guid);
                return;
            }
            deliveries.redeliver(last.id());
            redelivered.add(guid);
            JsonLog.info("webhook delivery redelivered", Map.of("deliveryId", guid, "event", String.valueOf(last.event()),
                    "lastStatus", last.statusCode(), "attempts", attempts.size()));
        });
        return new Outcome(listed.size(), redelivered, givenUp);
    }

    /** No answer, a server error, or throttling: another attempt may succeed. */
    static boolean retryable(int status) {
        return status == 0 || status == 429 || status >= 500;
    }
}
