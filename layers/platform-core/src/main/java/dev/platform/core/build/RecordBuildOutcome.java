package dev.platform.core.build;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEvent.BuildSucceeded;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ledger.Ledger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A builder task stopped → its build {@code succeeded} (the image found in the registry, by digest) or
 * {@code failed} with the reason; {@code BuildSucceeded} / {@code BuildFailed} for every target waiting
 * for it; each target marked {@code built} or {@code failed}; the check run completed. The same task event
 * twice is one outcome: a build that already ended is not changed again, and its events are owed once.
 */
public final class RecordBuildOutcome {

    /** What happened, for the log. */
    public record Outcome(BuildId buildId, String result) {
    }

    private final BuildTargets targets;
    private final Ledger<BuildId, Build> ledger;
    private final ImageRegistry registry;
    private final BuildReports reports;
    private final Clock clock;

    public RecordBuildOutcome(BuildTargets targets, BuildStore builds, ImageRegistry registry, BuildReports reports,
                              PlatformEventPublisher publisher, Clock clock) {
        this.targets = targets;
        this.ledger = new Ledger<>(builds, publisher, clock);
        this.registry = registry;
        this.reports = reports;
        this.clock = clock;
    }

    public Outcome handle(BuilderTaskStopped stopped) {
        String writer = "task-stopped:" + stopped.taskId();
        Optional<Build> stored = ledger.read(stopped.buildId(), writer).map(s -> s.state());
        if (stored.isEmpty()) {
            return new Outcome(stopped.buildId(), "unknown build: ignored");
        }
        Build build = stored.get();
        if (stopped.attempt() != null && stopped.attempt() != build.attempt()) {
            return new Outcome(build.buildId(), "task of attempt " + stopped.attempt() + ", the build is at attempt "
                    + build.attempt() + ": ignored");
        }
        if (build.taskId() == null && build.status() == BuildStatus.QUEUED && stopped.attempt() != null) {
            // the launcher started this attempt's task but died before it recorded it, and the task ended first
            build = ledger.change(build.buildId(), writer, b -> b.taskId() == null && b.attempt() == stopped.attempt()
                    ? b.running(stopped.taskId(), clock.instant()) : b, (before, after) -> List.of()).orElseThrow();
        }
        if (!stopped.taskId().equals(build.taskId())) {
            return new Outcome(build.buildId(), "task " + stopped.taskId() + " is not attempt " + build.attempt() + "'s: ignored");
        }
        if (!build.status().active()) {
            if (build.finishedAt() == null) {
                ledger.change(build.buildId(), writer, b -> b.finishedAt() == null ? b.ended(clock.instant()) : b,
                        (before, after) -> List.of());
            }
            return new Outcome(build.buildId(), "already " + build.status().wireName() + ": nothing more to record");
        }
        String failure = null;
        String image = null;
        if (stopped.succeeded()) {
            image = registry.imageByTag(build.imageTag()).orElse(null);
            if (image == null) {
                failure = "the builder exited 0 but no image tagged " + build.imageTag() + " is in the registry";
            }
        } else {
            failure = stopped.failureReason();
        }
        String pushed = image;
        String reason = failure;
        Build ended = ledger.change(build.buildId(), writer, b -> {
            if (!b.status().active() || !stopped.taskId().equals(b.taskId())) {
                return b;
            }
            return reason == null ? b.succeeded(pushed, clock.instant()) : b.failed(reason, clock.instant());
        }, (before, after) -> eventsOf(after)).orElseThrow();
        if (ended.status().active() || !stopped.taskId().equals(ended.taskId())) {
            return new Outcome(build.buildId(), "changed meanwhile: nothing recorded");
        }
        for (BuildRequest request : ended.requests()) {
            targets.buildEnded(ended.projectId(), request.target(), request.pr(), ended.buildId(),
                    ended.status() == BuildStatus.SUCCEEDED, ended.failureReason());
        }
        reports.completed(ended);
        return new Outcome(ended.buildId(), ended.status() == BuildStatus.SUCCEEDED
                ? "succeeded: " + ended.image() : "failed: " + ended.failureReason());
    }

    private static List<PlatformEvent> eventsOf(Build ended) {
        if (ended.status() != BuildStatus.SUCCEEDED) {
            return LaunchBuild.failedEvents(ended, ended.requests(), ended.failureReason());
        }
        List<PlatformEvent> events = new ArrayList<>();
        for (BuildRequest request : ended.requests()) {
            events.add(new BuildSucceeded(ended.projectId(), request.target(), request.pr(), ended.commitSha(),
                    ended.buildId(), ended.image(), request.requestId()));
        }
        return events;
    }
}
