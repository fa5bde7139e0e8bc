package dev.platform.core.github.app;

/**
 * GitHub refused or failed a call of the platform's GitHub App. {@link #kind()} says what a caller can
 * do about it; the message names the call and GitHub's answer, never a token.
 */
public final class GitHubException extends RuntimeException {

    public enum Kind {
        /** 404: the repository, commit or resource is gone, or hidden from the installation */
        NOT_FOUND,
        /** 401/403: the App is not installed there, lacks a permission, or its credentials are wrong */
        NO_ACCESS,
        /** 5xx, 429, a timeout or a connection failure, still failing after the retries */
        UNAVAILABLE,
        /** any other refusal (422 and the like): retrying the same request will not help */
        REJECTED
    }

    private final Kind kind;
    private final int status;

    public GitHubException(Kind kind, int status, String message) {
        super(message);
        this.kind = kind;
        this.status = status;
    }

    public GitHubException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** GitHub's HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }
}
