package dev.platform.core.repoevent;

import java.util.Locale;
import java.util.Optional;

/** The {@code pull_request} actions that change a preview. Every other action is ignored at intake. */
public enum PullRequestAction {
    OPENED, REOPENED, SYNCHRONIZE, CLOSED, READY_FOR_REVIEW, CONVERTED_TO_DRAFT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PullRequestAction> fromWire(String action) {
        for (PullRequestAction a : values()) {
            if (a.wireName().equals(action)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
