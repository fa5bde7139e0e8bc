package dev.platform.core.build;

import static dev.platform.core.build.BuildFakes.PROJECT;
import static dev.platform.core.build.BuildFakes.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEvent.BuildFailed;
import dev.platform.core.events.PlatformEvent.BuildRequested;
import dev.platform.core.events.PlatformEvent.BuildSucceeded;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.events.PlatformEvent.PreviewTeardownRequested;
import dev.platform.core.github.app.CheckRun;
import dev.platform.core.github.app.GitHubException;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build launcher and watcher against in-memory ports: identity, joining, superseding, failures, reports. */
class LaunchBuildTest {
    private static final PrNumber PR = PrNumber.of(7);

    private final BuildFakes fakes = new BuildFakes();
    private final LaunchBuild launcher = fakes.launcher();
    private final RecordBuildOutcome watcher = fakes.watcher();

    /** The orchestrator moved the preview to {@code head} and asked for its build. */
    private BuildRequested previewAt(CommitSha head, String delivery) {
        fakes.targets.at(BuildTarget.PREVIEW, PR, head);
        return BuildRequested.preview(PROJECT, PR, head, BuildSettings.DEFAULTS, delivery);
    }

    private BuildRequested productionAt(CommitSha head, String delivery) {
        fakes.targets.at(BuildTarget.PRODUCTION, null, head);
        return BuildRequested.production(PROJECT, head, BuildSettings.DEFAULTS, delivery);
    }

    private BuilderTaskStopped exited(String taskId, BuildRequested request, int exitCode) {
        return new BuilderTaskStopped(taskId, request.buildId(), null, exitCode, "EssentialContainerExited",
                "Essential container in task exited", null);
    }

    private List<PlatformEvent> ofType(Class<? extends PlatformEvent> type) {
        return fakes.published.stream().filter(type::isInstance).toList();
    }

    @Test
    void aRequestMakesOneBuildAndOneTaskHoweverOftenItIsDelivered() {
        BuildRequested request = previewAt(sha('a'), "d1");
        for (int i = 0; i < 3; i++) {
            launcher.handle(request);
        }
        assertEquals(1, fakes.builder.started.size(), "one RunTask");
        Build build = fakes.builds.state(request.buildId());
        assertEquals(BuildStatus.RUNNING, build.status());
        assertEquals(fakes.builder.task(1), build.taskId());
        assertEquals(1, fakes.archives.downloads, "the source is fetched once");
        BuilderTask task = fakes.builder.started.getFirst();
        assertEquals(request.buildId() + "-1", task.clientToken());
        assertTrue(task.clientToken().length() <= 64);
        assertEquals("s3://sources/" + build.sourceKey(), task.sourceLocation());
        assertEquals(fakes.registry.repositoryUri() + ":" + build.imageTag(), task.image());
        assertEquals("octo-app-1a2b3c4", task.contextPath(), "the context is the tarball's top directory");
        assertEquals("building", fakes.targets.get(BuildTarget.PREVIEW, PR).status());
        assertEquals(request.buildId(), fakes.targets.get(BuildTarget.PREVIEW, PR).buildId());
    }

    @Test
    void aSuccessfulTaskAnswersEveryWaitingTargetWithTheImageByDigestOnce() {
        BuildRequested preview = previewAt(sha('a'), "d1");
        launcher.handle(preview);
        BuildRequested production = productionAt(sha('a'), "d2");
        launcher.handle(production);
        assertEquals(1, fakes.builder.started.size(), "production joined the running build");

        Build build = fakes.builds.state(preview.buildId());
        fakes.registry.push(build);
        watcher.handle(exited(fakes.builder.task(1), preview, 0));
        watcher.handle(exited(fakes.builder.task(1), preview, 0));

        List<PlatformEvent> succeeded = ofType(BuildSucceeded.class);
        assertEquals(2, succeeded.size(), "one event per waiting target, the task event twice changes nothing");
        String image = fakes.registry.repositoryUri() + "@sha256:" + "d".repeat(64);
        assertEquals(new BuildSucceeded(PROJECT, BuildTarget.PREVIEW, PR, sha('a'), preview.buildId(), image,
                preview.requestId()), succeeded.get(0));
        assertEquals(BuildTarget.PRODUCTION, ((BuildSucceeded) succeeded.get(1)).target());
        assertEquals(BuildStatus.SUCCEEDED, fakes.builds.state(preview.buildId()).status());
        assertEquals("built", fakes.targets.get(BuildTarget.PREVIEW, PR).status());
        assertEquals("built", fakes.targets.get(BuildTarget.PRODUCTION, null).status());
        assertTrue(fakes.builds.stored.get(preview.buildId()).outbox().isEmpty());
    }

    @Test
    void anImageAlreadyBuiltIsAnsweredAtOnceWithoutATask() {
        BuildRequested preview = previewAt(sha('a'), "d1");
        launcher.handle(preview);
        fakes.registry.push(fakes.builds.state(preview.buildId()));
        watcher.handle(exited(fakes.builder.task(1), preview, 0));
        fakes.published.clear();

        BuildRequested production = productionAt(sha('a'), "d2");
        launcher.handle(production);
        assertEquals(1, fakes.builder.started.size(), "no second build");
        assertEquals(List.of(new BuildSucceeded(PROJECT, BuildTarget.PRODUCTION, null, sha('a'), production.buildId(),
                fakes.builds.state(preview.buildId()).image(), production.requestId())), fakes.published);
        assertEquals("built", fakes.targets.get(BuildTarget.PRODUCTION, null).status());
    }

    @Test
    void aNewerCommitStopsTheOlderBuildAndOnlyTheNewestSucceeds() {
        BuildRequested first = previewAt(sha('a'), "d1");
        launcher.handle(first);
        BuildRequested second = previewAt(sha('b'), "d2");
        launcher.handle(second);

        assertEquals(List.of(fakes.builder.task(1)), fakes.builder.stopped, "the older task is stopped");
        Build older = fakes.builds.state(first.buildId());
        assertEquals(BuildStatus.SUPERSEDED, older.status());
        assertEquals("superseded by " + sha('b').shortForm(), older.failureReason());
        assertEquals(List.of(new BuildFailed(PROJECT, BuildTarget.PREVIEW, PR, sha('a'), first.buildId(),
                "superseded by " + sha('b').shortForm(), first.requestId())), ofType(BuildFailed.class));
        assertEquals(CheckRun.Conclusion.CANCELLED, fakes.checks.last(older.checkRunId()).conclusion());

        // the stopped task's own stop event changes nothing more
        watcher.handle(new BuilderTaskStopped(fakes.builder.task(1), first.buildId(), null, 137, "UserInitiated", "superseded", null));
        assertEquals(1, ofType(BuildFailed.class).size());

        fakes.registry.push(fakes.builds.state(second.buildId()));
        watcher.handle(exited(fakes.builder.task(2), second, 0));
        assertEquals(List.of(second.buildId()), ofType(BuildSucceeded.class).stream()
                .map(e -> ((BuildSucceeded) e).buildId()).toList(), "only the newest commit ends succeeded");
        assertEquals(BuildStatus.SUPERSEDED, fakes.builds.state(first.buildId()).status());
    }

    @Test
    void anOlderBuildAnotherTargetWaitsForKeepsRunning() {
        BuildRequested preview = previewAt(sha('a'), "d1");
        launcher.handle(preview);
        launcher.handle(productionAt(sha('a'), "d2"));
        launcher.handle(previewAt(sha('b'), "d3"));
        assertEquals(List.of(), fakes.builder.stopped, "production still waits for it");
        Build shared = fakes.builds.state(preview.buildId());
        assertEquals(BuildStatus.RUNNING, shared.status());
        assertEquals(List.of(BuildTarget.PRODUCTION), shared.requests().stream().map(BuildRequest::target).toList());
    }

    @Test
    void aFailedBuildIsReportedAndTheNextCommitBuildsAgain() {
        BuildRequested first = previewAt(sha('a'), "d1");
        launcher.handle(first);
        watcher.handle(exited(fakes.builder.task(1), first, 1));

        assertEquals(List.of(new BuildFailed(PROJECT, BuildTarget.PREVIEW, PR, sha('a'), first.buildId(),
                "the builder exited with code 1 (Essential container in task exited)", first.requestId())),
                ofType(BuildFailed.class));
        assertEquals("failed", fakes.targets.get(BuildTarget.PREVIEW, PR).status());
        assertEquals("the builder exited with code 1 (Essential container in task exited)",
                fakes.targets.get(BuildTarget.PREVIEW, PR).reason());
        Build failed = fakes.builds.state(first.buildId());
        CheckRun report = fakes.checks.last(failed.checkRunId());
        assertEquals(CheckRun.Conclusion.FAILURE, report.conclusion());
        assertEquals(failed.failureReason(), report.summary());
        assertEquals("https://logs.example/t1", report.detailsUrl());

        launcher.handle(first);
        assertEquals(1, fakes.builder.started.size(), "the same request again does not rebuild what it saw fail");
        launcher.handle(previewAt(sha('b'), "d2"));
        assertEquals(2, fakes.builder.started.size(), "the next synchronize builds");
    }

    @Test
    void aFailedImageAskedForByANewRequestIsANewAttempt() {
        BuildRequested first = previewAt(sha('a'), "d1");
        launcher.handle(first);
        watcher.handle(exited(fakes.builder.task(1), first, 1));
        BuildRequested again = previewAt(sha('a'), "d-reopened");
        launcher.handle(again);
        Build retried = fakes.builds.state(first.buildId());
        assertEquals(2, retried.attempt());
        assertEquals(BuildStatus.RUNNING, retried.status());
        assertEquals(first.buildId() + "-2", fakes.builder.started.get(1).clientToken());
        // the first attempt's task reporting late is not the current attempt's
        watcher.handle(exited(fakes.builder.task(1), first, 0));
        assertEquals(BuildStatus.RUNNING, fakes.builds.state(first.buildId()).status());
    }

    @Test
    void aTeardownStopsThePreviewsRunningBuild() {
        BuildRequested request = previewAt(sha('a'), "d1");
        launcher.handle(request);
        fakes.targets.close(PR);
        launcher.handle(new PreviewTeardownRequested(PROJECT, PR));
        assertEquals(List.of(fakes.builder.task(1)), fakes.builder.stopped);
        assertEquals(BuildStatus.CANCELLED, fakes.builds.state(request.buildId()).status());
        // a teardown retried after a crash stops the task again (StopTask is idempotent) until its end is recorded
        launcher.handle(new PreviewTeardownRequested(PROJECT, PR));
        assertEquals(java.util.Set.of(fakes.builder.task(1)), java.util.Set.copyOf(fakes.builder.stopped));
        watcher.handle(new BuilderTaskStopped(fakes.builder.task(1), request.buildId(), null, 143, "UserInitiated", "cancelled", null));
        int stops = fakes.builder.stopped.size();
        launcher.handle(new PreviewTeardownRequested(PROJECT, PR));
        assertEquals(stops, fakes.builder.stopped.size(), "an ended task is left alone");
        assertEquals(1, ofType(BuildFailed.class).size(), "the preview was told once");
        launcher.handle(new PreviewTeardownRequested(PROJECT, PrNumber.of(99)));
    }

    @Test
    void aRequestForACommitTheTargetLeftBuildsNothing() {
        BuildRequested stale = previewAt(sha('a'), "d1");
        fakes.targets.at(BuildTarget.PREVIEW, PR, sha('b'));
        launcher.handle(stale);
        assertTrue(fakes.builds.stored.isEmpty());
        assertTrue(fakes.builder.started.isEmpty());
    }

    @Test
    void gitHubAndSizeFailuresFailTheBuildWithAClearReasonAndOutagesAreRetried() {
        fakes.archives.failure = new GitHubException(GitHubException.Kind.NOT_FOUND, 404, "GET tarball: 404");
        BuildRequested gone = previewAt(sha('a'), "d1");
        launcher.handle(gone);
        assertEquals("commit not found: octo/app@" + sha('a').shortForm() + " is gone or hidden from the GitHub App",
                fakes.builds.state(gone.buildId()).failureReason());
        assertTrue(fakes.builder.started.isEmpty());
        assertInstanceOf(BuildFailed.class, fakes.published.getLast());

        fakes.archives.failure = null;
        fakes.archives.content = BuildFakes.Archives.tarGz("octo-app-big", 0);
        fakes.archives.content = java.util.Arrays.copyOf(fakes.archives.content, 2 * 1024 * 1024); // junk after the archive
        BuildRequested big = previewAt(sha('b'), "d2");
        launcher.handle(big);
        assertEquals("the source snapshot is over the 1 MiB limit", fakes.builds.state(big.buildId()).failureReason());

        fakes.archives.content = BuildFakes.Archives.tarGz("octo-app-1a2b3c4", 2);
        fakes.archives.failure = new GitHubException(GitHubException.Kind.UNAVAILABLE, 502, "GET tarball: 502");
        BuildRequested outage = previewAt(sha('c'), "d3");
        assertThrows(GitHubException.class, () -> launcher.handle(outage), "an outage is retried by the event source");
        fakes.archives.failure = null;
        launcher.handle(outage);
        assertEquals(BuildStatus.RUNNING, fakes.builds.state(outage.buildId()).status(), "the retry starts the build");
    }

    @Test
    void withoutAnInstallationTheBuildFailsSayingSo() {
        fakes.project = fakes.project.withInstallation(null);
        BuildRequested request = previewAt(sha('a'), "d1");
        launcher.handle(request);
        assertEquals("the platform's GitHub App is not installed on octo/app", fakes.builds.state(request.buildId()).failureReason());
    }

    @Test
    void theCheckRunIsCreatedOnceAndFollowsTheBuild() {
        BuildRequested request = previewAt(sha('a'), "d1");
        launcher.handle(request);
        launcher.handle(request);
        Build running = fakes.builds.state(request.buildId());
        assertEquals(1, fakes.checks.calls.stream().filter(c -> c.verb().equals("create")).count());
        assertEquals(sha('a'), fakes.checks.calls.getFirst().head());
        assertEquals(CheckRun.Status.IN_PROGRESS, fakes.checks.last(running.checkRunId()).status());
        assertEquals(BuildReports.CHECK_NAME, fakes.checks.last(running.checkRunId()).name());

        fakes.registry.push(running);
        watcher.handle(exited(running.taskId(), request, 0));
        assertEquals(CheckRun.Conclusion.SUCCESS, fakes.checks.last(running.checkRunId()).conclusion());
    }

    @Test
    void aCheckRunFailureNeverFailsTheBuild() {
        fakes.checks.failure = new GitHubException(GitHubException.Kind.UNAVAILABLE, 503, "POST check-runs: 503");
        BuildRequested request = previewAt(sha('a'), "d1");
        launcher.handle(request);
        Build running = fakes.builds.state(request.buildId());
        assertEquals(BuildStatus.RUNNING, running.status());
        assertNull(running.checkRunId());
        fakes.registry.push(running);
        watcher.handle(exited(running.taskId(), request, 0));
        assertEquals(BuildStatus.SUCCEEDED, fakes.builds.state(request.buildId()).status());
    }

    @Test
    void aWatcherThatDiedAfterItsCommitIsRepairedByItsRetryWithoutDuplicates() {
        BuildRequested request = previewAt(sha('a'), "d1");
        launcher.handle(request);
        fakes.registry.push(fakes.builds.state(request.buildId()));
        RecordBuildOutcome crashing = new RecordBuildOutcome(fakes.targets, fakes.builds, fakes.registry,
                new BuildReports(fakes.checks, null), events -> {
                    throw new IllegalStateException("bus unavailable");
                }, fakes.clock);
        assertThrows(IllegalStateException.class, () -> crashing.handle(exited(fakes.builder.task(1), request, 0)));
        assertEquals(1, fakes.builds.stored.get(request.buildId()).outbox().size(), "the outcome kept its event");

        watcher.handle(exited(fakes.builder.task(1), request, 0));
        watcher.handle(exited(fakes.builder.task(1), request, 0));
        assertEquals(1, ofType(BuildSucceeded.class).size());
        assertTrue(fakes.builds.stored.get(request.buildId()).outbox().isEmpty());
    }

    @Test
    void failureReasonsNameWhatHappened() {
        var id = previewAt(sha('a'), "d").buildId();
        assertEquals("the builder task failed to start: CannotPullContainerError",
                new BuilderTaskStopped("t", id, null, null, "TaskFailedToStart", "CannotPullContainerError", null).failureReason());
        assertTrue(new BuilderTaskStopped("t", id, null, 137, "EssentialContainerExited", null, "OutOfMemoryError: Container killed")
                .failureReason().startsWith("the builder ran out of memory"));
        assertEquals("the build timed out (exit code 124)",
                new BuilderTaskStopped("t", id, null, 124, "EssentialContainerExited", null, null).failureReason());
    }

    @Test
    void aTaskThatEndedBeforeItsLauncherRecordedItStillEndsTheBuild() {
        BuildRequested request = previewAt(sha('a'), "d1");
        fakes.builder.failAfterStart = true; // RunTask went through; the launcher died before recording the task
        assertThrows(IllegalStateException.class, () -> launcher.handle(request));
        assertEquals(BuildStatus.QUEUED, fakes.builds.state(request.buildId()).status());
        fakes.registry.push(fakes.builds.state(request.buildId()));
        watcher.handle(new BuilderTaskStopped(fakes.builder.task(1), request.buildId(), 1, 0, "EssentialContainerExited", null, null));
        assertEquals(BuildStatus.SUCCEEDED, fakes.builds.state(request.buildId()).status());
        assertEquals(fakes.builder.task(1), fakes.builds.state(request.buildId()).taskId());
        assertEquals(1, ofType(BuildSucceeded.class).size());

        // a task of an older attempt reporting late changes nothing
        watcher.handle(new BuilderTaskStopped("arn:old", request.buildId(), 7, 1, "EssentialContainerExited", null, null));
        assertEquals(BuildStatus.SUCCEEDED, fakes.builds.state(request.buildId()).status());
    }
}
