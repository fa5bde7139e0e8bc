package dev.platform.bench;

import java.util.*;
import java.util.stream.Stream;

/** The table every benchmark adds rows to, the notes under it, the checks that failed, and the number formats. */
final class Report {
    static final String NONE = "—";

    /** One line; the baseline is measured in the same run, ratio = value ÷ baseline, the target is the issue's. */
    record Row(String id, String figure, String value, String baseline, String ratio, String target, String verdict) {
    }

    final List<Row> rows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** Checks that failed: the table is still written, then the run exits non-zero. */
    final List<String> failures = new ArrayList<>();

    /** The cells after the figure: value, baseline, ratio, target, verdict; those left out are {@link #NONE}. */
    void add(String id, String figure, String... cells) {
        String[] c = Arrays.copyOf(cells, 5);
        Arrays.setAll(c, i -> Objects.requireNonNullElse(c[i], NONE));
        rows.add(new Row(id, figure, c[0], c[1], c[2], c[3], c[4]));
    }

    String markdown() {
        StringBuilder out = new StringBuilder("| id | figure | value | baseline (same run) | ratio | target | verdict |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append("| `").append(r.id()).append("` |");
            Stream.of(r.figure(), r.value(), r.baseline(), r.ratio(), r.target(), r.verdict())
                    .forEach(cell -> out.append(' ').append(cell.replace("|", "\\|")).append(" |"));
            out.append('\n');
        }
        out.append(notes.isEmpty() && failures.isEmpty() ? "" : "\nNotes:\n\n");
        notes.forEach(note -> out.append("- ").append(note).append('\n'));
        failures.forEach(failure -> out.append("- **FAILED:** ").append(failure).append('\n'));
        return out.toString();
    }

    /** The median (of an even count: the mean of the two middle samples); p90 and p99 nearest-rank, so always an observed value. */
    record Summary(double median, long p90, long p99) {
        static Summary of(long[] samples) {
            long[] s = samples.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + (double) s[n / 2]) / 2;
            return new Summary(median, s[(int) Math.ceil(0.90 * n) - 1], s[(int) Math.ceil(0.99 * n) - 1]);
        }

        String medianP90() {
            return time(median) + " / " + time(p90);
        }

        String medianP99() {
            return time(median) + " / " + time(p99);
        }
    }

    static String verdict(boolean met) {
        return met ? "met" : "missed";
    }

    /** A duration in nanoseconds, in ms or µs, with three significant digits or more. */
    static String time(double nanos) {
        double ms = nanos / 1e6;
        return ms >= 100 ? format("%,.0f ms", ms) : ms >= 10 ? format("%.1f ms", ms) : ms >= 1 ? format("%.2f ms", ms)
                : ms >= 0.1 ? format("%.0f µs", ms * 1e3) : format("%.1f µs", ms * 1e3);
    }

    static String ratio(double value, double baseline) {
        return format("%.1f×", value / baseline);
    }

    static String count(long value) {
        return format("%,d", value);
    }

    static String rate(double perSecond) {
        return format("%,.0f/s", perSecond);
    }

    static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
