package dev.platform.bench;

import java.util.Locale;

/** Number formatting for the report: fixed locale, units chosen by magnitude. */
final class Fmt {
    private Fmt() {
    }

    /** A duration given in nanoseconds, in ms or µs with three significant digits or more. */
    static String time(double nanos) {
        double ms = nanos / 1e6;
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%,.0f ms", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        if (ms >= 1) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        double us = nanos / 1e3;
        return us >= 100 ? String.format(Locale.ROOT, "%.0f µs", us) : String.format(Locale.ROOT, "%.1f µs", us);
    }

    static String ratio(double value, double baseline) {
        return String.format(Locale.ROOT, "%.1f×", value / baseline);
    }

    static String ratio2(double value, double baseline) {
        return String.format(Locale.ROOT, "%.2f×", value / baseline);
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f/s", perSecond);
    }

    static String units(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%+.0f%%", fraction * 100);
    }
}
