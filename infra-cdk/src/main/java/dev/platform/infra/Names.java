package dev.platform.infra;

import java.util.Locale;

/** Construct ids from topology names: {@code repo-events.fifo} becomes {@code RepoEventsFifo}. */
final class Names {
    private Names() {
    }

    static String pascal(String name) {
        StringBuilder id = new StringBuilder();
        for (String part : name.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                id.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return id.toString();
    }
}
