package dev.platform.aws.dynamodb;

import dev.platform.core.events.PlatformEvent.BuildRequested;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.events.PlatformEvent.PreviewCommandRequested;
import dev.platform.core.events.PlatformEvent.PreviewTeardownRequested;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.Stored;
import dev.platform.core.preview.PreviewCommand;
import java.time.Duration;
import java.time.Instant;

/**
 * Outbox entries as short strings, {@code <epoch seconds>|<event>}, so a state item with a pending
 * event stays below 1 KB (one write unit). What the item already holds (the project) and what can
 * be derived (a build request's id, from the delivery key that starts the entry's key) is not
 * repeated: {@code build|preview|<pr>|<sha>|<buildId>}, {@code build|production||<sha>|<buildId>},
 * {@code teardown|<pr>}, {@code command|<pr>|<command>|<extendBy>|<commentId>|<login>|<deliveryId>} (the delivery id
 * last: it is GitHub's header, the only part that could hold a {@code |}; the key has only its hash).
 */
final class OutboxCodec {
    private OutboxCodec() {
    }

    static String write(Stored.OutboxEntry entry) {
        String event = switch (entry.event()) {
            case BuildRequested b -> "build|" + b.target().wireName() + "|" + (b.pr() == null ? "" : b.pr().value()) + "|"
                    + b.commitSha().value() + "|" + b.buildId().value();
            case PreviewTeardownRequested t -> "teardown|" + t.pr().value();
            case PreviewCommandRequested c -> "command|" + c.pr().value() + "|" + c.command().wireName() + "|"
                    + (c.extendBy() == null ? "" : c.extendBy().toString()) + "|" + c.commentId() + "|" + c.requestedBy()
                    + "|" + c.deliveryId();
            default -> throw new IllegalArgumentException("a preview or production state owes no " + entry.event().detailType());
        };
        return entry.createdAt().getEpochSecond() + "|" + event;
    }

    static Stored.OutboxEntry read(String key, String value, ProjectId projectId) {
        String[] parts = value.split("\\|", -1);
        Instant createdAt = Instant.ofEpochSecond(Long.parseLong(parts[0]));
        PlatformEvent event = switch (parts[1]) {
            case "build" -> {
                BuildTarget target = "production".equals(parts[2]) ? BuildTarget.PRODUCTION : BuildTarget.PREVIEW;
                PrNumber pr = target == BuildTarget.PRODUCTION ? null : PrNumber.of(Integer.parseInt(parts[3]));
                String deliveryKey = key.substring(0, key.indexOf('#'));
                yield new BuildRequested(projectId, target, pr, CommitSha.of(parts[4]), new BuildId(parts[5]),
                        BuildRequested.requestIdOf(deliveryKey, projectId, target, pr));
            }
            case "teardown" -> new PreviewTeardownRequested(projectId, PrNumber.of(Integer.parseInt(parts[2])));
            case "command" -> {
                String[] command = value.split("\\|", 8);
                yield new PreviewCommandRequested(projectId, PrNumber.of(Integer.parseInt(command[2])),
                        PreviewCommand.Kind.fromWire(command[3]), command[4].isEmpty() ? null : Duration.parse(command[4]),
                        command[6], Long.parseLong(command[5]), command[7]);
            }
            default -> throw new IllegalStateException("unknown outbox entry '" + value + "' under " + key);
        };
        return new Stored.OutboxEntry(key, event, createdAt);
    }
}
