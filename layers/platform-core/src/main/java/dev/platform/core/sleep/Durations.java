package dev.platform.core.sleep;

import java.time.Duration;

/** Durations as people read them in a pull request comment: {@code 30 min}, {@code 7 days}. */
final class Durations {
    private Durations() {
    }

    static String text(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes < 1) {
            return duration.toSeconds() + " s";
        }
        if (minutes % (24 * 60) == 0) {
            long days = minutes / (24 * 60);
            return days + (days == 1 ? " day" : " days");
        }
        if (minutes % 60 == 0) {
            long hours = minutes / 60;
            return hours + (hours == 1 ? " hour" : " hours");
        }
        return minutes + " min";
    }
}
