package dev.platform.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class E2ePlanTest {

    @Test
    void aBuildIsExpectedOnlyForANewDeliveryNewerThanEveryEarlierOneOfItsPullRequest() {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        E2ePlan.Delivery first = new E2ePlan.Delivery("d1", new byte[0], 7, "a1", t);
        E2ePlan.Delivery third = new E2ePlan.Delivery("d3", new byte[0], 7, "c3", t.plusSeconds(20));
        E2ePlan.Delivery second = new E2ePlan.Delivery("d2", new byte[0], 7, "b2", t.plusSeconds(10));
        // second arrives after third (older: no build), first is re-sent (same delivery id: no build)
        Map<String, Integer> expected = E2ePlan.expected(Map.of(7, List.of(first, third, second, first)));
        assertEquals(Map.of(first.buildRequested(), 1, third.buildRequested(), 1), expected);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndPercentilesAreObservedValues() {
        assertEquals(new Report.Summary(5.5, 9, 10), Report.Summary.of(new long[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
    }
}
