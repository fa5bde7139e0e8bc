package dev.platform.core.github.app;

import java.util.Locale;

/**
 * A check run on a commit, as the platform reports a build: {@code queued} → {@code in_progress} →
 * {@code completed} with a conclusion.
 *
 * @param name shown on the pull request ({@code preview build})
 * @param externalId the platform's id for it (the build id)
 * @param detailsUrl where the build's logs are
 * @param conclusion set when completed, else null
 */
public record CheckRun(String name, String externalId, Status status, Conclusion conclusion, String title,
                       String summary, String detailsUrl) {

    public enum Status {
        QUEUED, IN_PROGRESS, COMPLETED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Conclusion {
        SUCCESS, FAILURE, CANCELLED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CheckRun {
        if ((status == Status.COMPLETED) != (conclusion != null)) {
            throw new IllegalArgumentException("a check run has a conclusion exactly when it is completed");
        }
    }
}
