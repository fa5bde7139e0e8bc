package dev.platform.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankPercentilesAreObservedValues() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(9, Stats.percentile(sorted, 90));
        assertEquals(10, Stats.percentile(sorted, 99));
        assertEquals(10, Stats.percentile(sorted, 100));
        assertEquals(1, Stats.percentile(sorted, 1));
        assertEquals(5, Stats.percentile(sorted, 50));
        assertEquals(42, Stats.percentile(new long[] {42}, 99));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(5.5, Stats.median(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        assertEquals(3.0, Stats.median(new long[] {1, 3, 100}));
    }

    @Test
    void summarySortsAndDoesNotTouchTheInput() {
        long[] samples = {30, 10, 20, 50, 40};
        Stats.Summary summary = Stats.summarize(samples);
        assertEquals(5, summary.count());
        assertEquals(10, summary.min());
        assertEquals(30.0, summary.median());
        assertEquals(50, summary.p90());
        assertEquals(50, summary.max());
        assertEquals(30.0, summary.mean());
        assertEquals(150, summary.sum());
        assertEquals(30, samples[0], "input left as it was");
    }

    @Test
    void rejectsWhatHasNoAnswer() {
        assertThrows(IllegalArgumentException.class, () -> Stats.summarize(new long[0]));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new long[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new long[] {1}, 101));
        assertThrows(IllegalArgumentException.class, () -> Stats.perSecond(10, 0));
    }

    @Test
    void throughputIsCountOverElapsedSeconds() {
        assertEquals(5_000.0, Stats.perSecond(10_000, 2_000_000_000L));
    }
}
