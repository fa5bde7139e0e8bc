package dev.platform.core.preview;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.github.app.CommentReactions.Reaction;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.repoevent.RepoEvent;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@code /preview} command on a pull request (sleep, wake, extend, redeploy): whether it is passed on to
 * whoever acts on previews, and how the comment is answered. Pure, like {@link PreviewPolicy}.
 *
 * <ul>
 *   <li>Without a live preview (none, or its pull request closed) there is nothing to act on: nothing
 *       happens and the comment gets no answer (the pull request's comment says there is no preview).</li>
 *   <li>A command that could not be read is answered {@link Reaction#CONFUSED}; the reason is logged.</li>
 *   <li>The commenter needs write, maintain or admin permission, as for approvals; anyone else's command is
 *       answered {@link Reaction#CONFUSED} and changes nothing. The permission is asked only for a command that
 *       could be carried out.</li>
 *   <li>Otherwise {@link PlatformEvent.PreviewCommandRequested} goes out through the preview's outbox (the preview
 *       itself is unchanged; the write records the delivery, so a redelivery emits nothing new), and the comment
 *       is answered {@link Reaction#EYES}: seen, being acted on.</li>
 * </ul>
 */
public final class PreviewCommandPolicy {
    private PreviewCommandPolicy() {
    }

    /** The decision and the reaction it owes the comment (null: no answer). */
    public record Answer(Decision decision, Reaction reaction) {
    }

    public static Answer decide(Optional<Preview> stored, RepoEvent.PreviewCommand event,
                                Supplier<RepositoryPermission> permission) {
        String asked = event.command() == null ? PreviewCommand.PREFIX + " command" : event.command().toString();
        if (stored.isEmpty() || stored.get().deleted()) {
            return new Answer(new Decision.Unchanged("no live preview for #" + event.number() + ": " + asked
                    + " by " + event.login() + " ignored"), null);
        }
        if (event.command() == null) {
            return new Answer(new Decision.Unchanged("command by " + event.login() + " refused: " + event.refusal()),
                    Reaction.CONFUSED);
        }
        RepositoryPermission granted = permission.get();
        if (!granted.canWrite()) {
            return new Answer(new Decision.Unchanged(asked + " by " + event.login() + " ignored: their permission is "
                    + granted.wireName() + "; write, maintain or admin may command previews"), Reaction.CONFUSED);
        }
        Preview current = stored.get();
        PlatformEvent requested = new PlatformEvent.PreviewCommandRequested(current.projectId(), current.pr(),
                event.command().kind(), event.command().extendBy(), event.login(), event.commentId(), event.deliveryId());
        return new Answer(new Decision.Changed(current, List.of(requested), asked + " requested by " + event.login()),
                Reaction.EYES);
    }
}
