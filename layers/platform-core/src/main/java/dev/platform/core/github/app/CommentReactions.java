package dev.platform.core.github.app;

import dev.platform.core.ids.InstallationId;

/** Port: reactions on pull request comments, the platform's short answers to {@code /preview} commands. */
public interface CommentReactions {

    /** The reactions the platform answers with, by GitHub's {@code content}. */
    enum Reaction {
        /** done */
        PLUS_ONE("+1"),
        /** refused: the reason is in the platform's log */
        CONFUSED("confused"),
        /** accepted, being acted on */
        EYES("eyes"),
        /** deployed */
        ROCKET("rocket");

        private final String content;

        Reaction(String content) {
            this.content = content;
        }

        /** GitHub's name for it, the {@code content} of the API call. */
        public String content() {
            return content;
        }
    }

    /**
     * {@code POST /repos/{repository}/issues/comments/{commentId}/reactions}. The App's same reaction on the same
     * comment twice is one reaction (GitHub answers 200 with the existing one instead of 201).
     *
     * @throws GitHubException when GitHub refuses or fails
     */
    void react(InstallationId installation, String repository, long commentId, Reaction reaction);
}
