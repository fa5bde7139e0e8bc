package dev.platform.bench;

import java.util.Arrays;

/**
 * Order statistics of measured samples (nanoseconds or any other long). Percentiles use the
 * nearest-rank method, so every reported p90/p99 is a value that was actually observed; the median of
 * an even count is the mean of the two middle values.
 */
public final class Stats {
    private Stats() {
    }

    /** A summary of one set of samples. */
    public record Summary(int count, long min, double median, long p90, long p99, long max, double mean, long sum) {
    }

    public static Summary summarize(long[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        long sum = 0;
        for (long sample : sorted) {
            sum = Math.addExact(sum, sample);
        }
        return new Summary(sorted.length, sorted[0], median(sorted), percentile(sorted, 90), percentile(sorted, 99),
                sorted[sorted.length - 1], (double) sum / sorted.length, sum);
    }

    /**
     * Nearest rank: the smallest sample such that at least {@code p} percent of the samples are less
     * than or equal to it.
     *
     * @param sorted samples in ascending order
     * @param p in (0, 100]
     */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    /** @param sorted samples in ascending order */
    public static double median(long[] sorted) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + (double) sorted[middle]) / 2.0;
    }

    /** Operations per second when {@code count} operations took {@code nanos} in total. */
    public static double perSecond(long count, long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("elapsed time must be positive: " + nanos);
        }
        return count * 1e9 / nanos;
    }
}
