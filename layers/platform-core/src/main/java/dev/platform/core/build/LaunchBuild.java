package dev.platform.core.build;

import dev.platform.core.events.PlatformEvent.BuildFailed;
import dev.platform.core.events.PlatformEvent.BuildRequested;
import dev.platform.core.events.PlatformEvent.BuildSucceeded;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.events.PlatformEvent.PreviewTeardownRequested;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.app.CommitArchives;
import dev.platform.core.github.app.GitHubException;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ledger.Ledger;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Projects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code BuildRequested} → a build record and, for a new image, its builder task; {@code PreviewTeardownRequested}
 * → the preview's running build stopped.
 *
 * <p>A build is an image of (project, commit, build settings), named by its {@code buildId}. A request for
 * an image that succeeded is answered with {@code BuildSucceeded} at once, with no task; a request for one
 * that is queued or running joins it; one for a failed, superseded or cancelled image starts a new attempt.
 * A request that repeats (the same {@code requestId}) changes nothing and redoes only what may be missing,
 * so every step is safe to retry.
 *
 * <p>A target (a preview, or production) wants one image at a time: asking for a newer commit releases
 * the older build, which is stopped and marked {@code superseded} unless another target still waits for
 * it; a teardown releases it as {@code cancelled}.
 *
 * <p>The source snapshot travels from GitHub to the source store here, streamed, so the builder task
 * never sees a GitHub token.
 */
public final class LaunchBuild {

    /**
     * @param maxSourceBytes the cap on a commit's tarball
     * @param cacheRepository the registry layer cache the builder uses
     */
    public record Settings(long maxSourceBytes, String cacheRepository) {
    }

    /** What happened, for the log. */
    public record Outcome(BuildId buildId, String result) {
    }

    /** A source snapshot in the store: its top directory and size. */
    private record Snapshot(String root, long bytes) {
    }

    /** A queued attempt whose starter has not started it by then is started by the next request. */
    static final Duration START_LEASE = Duration.ofMinutes(2);

    private final Projects projects;
    private final BuildTargets targets;
    private final Ledger<BuildId, Build> ledger;
    private final CommitArchives archives;
    private final SourceStore sources;
    private final BuilderTasks builder;
    private final ImageRegistry registry;
    private final BuildReports reports;
    private final PlatformEventPublisher publisher;
    private final Settings settings;
    private final Clock clock;

    public LaunchBuild(Projects projects, BuildTargets targets, BuildStore builds, CommitArchives archives,
                       SourceStore sources, BuilderTasks builder, ImageRegistry registry, BuildReports reports,
                       PlatformEventPublisher publisher, Settings settings, Clock clock) {
        this.projects = projects;
        this.targets = targets;
        this.ledger = new Ledger<>(builds, publisher, clock);
        this.archives = archives;
        this.sources = sources;
        this.builder = builder;
        this.registry = registry;
        this.reports = reports;
        this.publisher = publisher;
        this.settings = settings;
        this.clock = clock;
    }

    public Outcome handle(BuildRequested requested) {
        BuildId buildId = requested.buildId();
        Optional<ProjectLink> project = projects.project(requested.projectId());
        if (project.isEmpty()) {
            return new Outcome(buildId, "unknown project " + requested.projectId() + ": nothing to build");
        }
        Optional<BuildTargets.TargetState> target = targets.target(requested.projectId(), requested.target(), requested.pr());
        if (target.isEmpty() || target.get().deleted() || !target.get().head().equals(requested.commitSha())) {
            return new Outcome(buildId, "stale: " + targetName(requested.target(), requested.pr()) + " is no longer at "
                    + requested.commitSha().shortForm());
        }
        BuildRequest request = BuildRequest.of(requested);
        String writer = requested.requestId();
        Build build = ledger.change(buildId, writer,
                current -> recorded(current, requested, request, project.get(), clock.instant()),
                (before, after) -> List.of()).orElseThrow();

        BuildId previous = target.get().buildId();
        if (previous != null && !previous.equals(buildId)) {
            release(previous, requested.target(), requested.pr(), BuildStatus.SUPERSEDED,
                    "superseded by " + requested.commitSha().shortForm(), writer);
        }
        if (!targets.building(requested.projectId(), requested.target(), requested.pr(), requested.commitSha(), buildId)) {
            release(buildId, requested.target(), requested.pr(), BuildStatus.CANCELLED, "the target moved on", writer);
            return new Outcome(buildId, "stale: the target moved on while the build was requested");
        }
        if (build.status() == BuildStatus.SUCCEEDED) {
            publisher.publish(List.of(new BuildSucceeded(requested.projectId(), requested.target(), requested.pr(),
                    requested.commitSha(), buildId, build.image(), requested.requestId())));
            targets.buildEnded(requested.projectId(), requested.target(), requested.pr(), buildId, true, null);
            return new Outcome(buildId, "already built: " + build.image());
        }
        if (build.status() == BuildStatus.QUEUED && build.taskId() == null && startsIt(build, request)) {
            return new Outcome(buildId, start(build, writer));
        }
        return new Outcome(buildId, build.status().wireName() + ": " + targetName(requested.target(), requested.pr())
                + " waits for attempt " + build.attempt());
    }

    /** A closed pull request's build is released; stopped if nothing else waits for it. */
    public Outcome handle(PreviewTeardownRequested teardown) {
        Optional<BuildTargets.TargetState> target = targets.target(teardown.projectId(), BuildTarget.PREVIEW, teardown.pr());
        BuildId buildId = target.map(BuildTargets.TargetState::buildId).orElse(null);
        if (buildId == null) {
            return new Outcome(null, "no build for preview #" + teardown.pr());
        }
        Optional<Build> released = release(buildId, BuildTarget.PREVIEW, teardown.pr(), BuildStatus.CANCELLED,
                "cancelled: the pull request was closed", "teardown:" + teardown.projectId() + "#" + teardown.pr());
        return new Outcome(buildId, released.map(b -> b.status().wireName()).orElse("gone"));
    }

    /** The build with this request recorded. */
    private static Build recorded(Build current, BuildRequested requested, BuildRequest request, ProjectLink project,
                                  Instant now) {
        if (current == null) {
            return Build.requested(requested.buildId(), requested.projectId(), requested.commitSha(), project.buildSettings(),
                    project.repository(), project.installation(), request, now);
        }
        if (current.requestedBy(requested.requestId())) {
            return current; // a repeat of this request
        }
        return switch (current.status()) {
            case SUCCEEDED -> current;
            case QUEUED, RUNNING -> current.waitedForBy(request.target(), request.pr()) ? current : current.joinedBy(request);
            case FAILED, SUPERSEDED, CANCELLED -> current.retriedFor(request, now);
        };
    }

    /** Whether this request starts the attempt: it asked first, or the one that did has had its time. */
    private boolean startsIt(Build build, BuildRequest request) {
        return build.requests().getFirst().equals(request)
                || build.createdAt().isBefore(clock.instant().minus(START_LEASE));
    }

    /** Source snapshot to the store, then the builder task. Failures GitHub or the cap decide fail the build. */
    private String start(Build queued, String writer) {
        Build build = queued;
        if (build.installation() == null) {
            return fail(build, "the platform's GitHub App is not installed on " + build.repository(), writer);
        }
        if (build.checkRunId() == null) {
            Long checkRun = reports.queued(build);
            if (checkRun != null) {
                build = ledger.change(build.buildId(), writer, b -> b == null || b.checkRunId() != null ? b : b.withCheckRun(checkRun),
                        (before, after) -> List.of()).orElse(build);
            }
        }
        final Build snapshotFor = build;
        Snapshot snapshot;
        try {
            snapshot = archives.withTarball(build.installation(), build.repository(), build.commitSha(), tarball -> {
                TarballRoot.Peeked peeked = TarballRoot.peek(tarball);
                return new Snapshot(peeked.root(), sources.put(snapshotFor.sourceKey(), peeked.stream(), settings.maxSourceBytes()));
            });
        } catch (SourceStore.TooLargeException e) {
            return fail(build, "the source snapshot is over the " + (settings.maxSourceBytes() >> 20) + " MiB limit", writer);
        } catch (GitHubException e) {
            return switch (e.kind()) {
                case NOT_FOUND -> fail(snapshotFor, "commit not found: " + build.repository() + "@"
                        + build.commitSha().shortForm() + " is gone or hidden from the GitHub App", writer);
                case NO_ACCESS -> fail(snapshotFor, "the GitHub App has no access to " + build.repository()
                        + " (not installed there, or without contents: read)", writer);
                case REJECTED -> fail(snapshotFor, "GitHub refused the source download (" + e.status() + ")", writer);
                case UNAVAILABLE -> throw e; // retried by the caller's event source
            };
        } catch (IOException e) {
            throw new UncheckedIOException("reading the source snapshot of " + build.buildId() + " failed", e);
        }
        // In progress before the task starts: a reply after it could reach GitHub after the watcher's
        // "completed" for a quick build. The logs link comes with the completion (the task id is ECS's).
        reports.running(snapshotFor);
        String taskId = builder.start(new BuilderTask(build.buildId(), build.attempt(), build.projectId(), build.commitSha(),
                build.requests().getFirst().pr(), sources.locationOf(build.sourceKey()), snapshot.root(), build.settings(),
                registry.repositoryUri() + ":" + build.imageTag(), settings.cacheRepository()));
        Build running = ledger.change(build.buildId(), writer,
                b -> b != null && b.status() == BuildStatus.QUEUED && b.attempt() == snapshotFor.attempt()
                        ? b.running(taskId, clock.instant()) : b,
                (before, after) -> List.of()).orElseThrow();
        return "started " + taskId + " (attempt " + running.attempt() + ", source " + snapshot.bytes() + " bytes)";
    }

    private String fail(Build build, String reason, String writer) {
        Build failed = ledger.change(build.buildId(), writer,
                b -> b != null && b.attempt() == build.attempt() && b.status().active() ? b.failed(reason, clock.instant()) : b,
                (before, after) -> failedEvents(after, after.requests(), reason)).orElseThrow();
        if (failed.status() == BuildStatus.FAILED) {
            for (BuildRequest request : failed.requests()) {
                targets.buildEnded(failed.projectId(), request.target(), request.pr(), failed.buildId(), false, reason);
            }
            reports.completed(failed);
        }
        return "failed: " + reason;
    }

    /**
     * The target no longer waits for {@code buildId}. If nothing else does and it is still at work, it is
     * stopped as {@code why} ({@code superseded} or {@code cancelled}) and the target told with a
     * {@code BuildFailed}.
     */
    private Optional<Build> release(BuildId buildId, BuildTarget target, PrNumber pr, BuildStatus why, String reason,
                                    String writer) {
        String releaseWriter = writer + ":release:" + buildId;
        boolean[] stoppedNow = new boolean[1]; // set by the change that was applied last
        Optional<Build> released = ledger.change(buildId, releaseWriter, current -> {
            stoppedNow[0] = false;
            if (current == null || !current.waitedForBy(target, pr)) {
                return current;
            }
            Build without = current.releasedBy(target, pr);
            stoppedNow[0] = current.status().active() && without.requests().isEmpty();
            return stoppedNow[0] ? without.stopped(why, reason) : without;
        }, (before, after) -> before.status().active()
                ? failedEvents(before, before.requests().stream().filter(r -> r.sameTarget(target, pr)).toList(), reason)
                : List.of());
        // Stopped by this release, or by one that died before it stopped the task: StopTask is idempotent,
        // and a task whose end the watcher recorded is left alone.
        released.filter(b -> b.status() == why && b.taskId() != null && b.finishedAt() == null)
                .ifPresent(b -> builder.stop(b.taskId(), b.failureReason()));
        if (stoppedNow[0]) {
            reports.completed(released.orElseThrow());
        }
        return released;
    }

    static List<PlatformEvent> failedEvents(Build build, List<BuildRequest> requests, String reason) {
        List<PlatformEvent> events = new ArrayList<>();
        for (BuildRequest request : requests) {
            events.add(new BuildFailed(build.projectId(), request.target(), request.pr(), build.commitSha(), build.buildId(),
                    reason, request.requestId()));
        }
        return events;
    }

    private static String targetName(BuildTarget target, PrNumber pr) {
        return pr == null ? target.wireName() : target.wireName() + " #" + pr;
    }
}
