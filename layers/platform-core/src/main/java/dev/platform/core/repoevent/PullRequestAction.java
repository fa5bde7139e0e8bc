package dev.platform.core.repoevent;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code pull_request} actions that change a preview. Every other action is ignored at intake.
 * {@code edited} (title, body or base changed) carries the pull request's current head and state, so
 * it orders and revives like a push does.
 */
public enum PullRequestAction {
    OPENED, REOPENED, SYNCHRONIZE, EDITED, CLOSED, READY_FOR_REVIEW, CONVERTED_TO_DRAFT;

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
