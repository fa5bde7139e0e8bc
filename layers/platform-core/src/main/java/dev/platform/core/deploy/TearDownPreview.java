package dev.platform.core.deploy;

import dev.platform.core.build.BuildTargets;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.events.PlatformEvent.PreviewExpired;
import dev.platform.core.events.PlatformEvent.PreviewTeardownRequested;
import dev.platform.core.events.PlatformEvent.PreviewTornDown;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ledger.Ledger;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.preview.PreviewStatus;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code PreviewTeardownRequested} → everything the preview ran on is removed, routing first so no
 * request reaches a half-removed preview: the host rule, then the service (scaled to 0 and deleted), then
 * the target group, then every task definition revision of its family; its slot is freed and
 * {@code PreviewTornDown} published. (The build launcher stops a running build on the same event.)
 *
 * <p>The GitHub deployment is marked inactive and the pull request's comment says the preview is removed.
 * Every step is idempotent, and the environment is marked {@code deleting} before the first one, so a
 * crash midway is finished by the retry. A resource created by a deploy that crashed before recording it
 * is found by its tags. A preview revived by a newer delivery meanwhile is left alone.
 */
public final class TearDownPreview {

    /** What happened, for the log. */
    public record Outcome(EnvironmentRef environment, String result) {
    }

    private final Projects projects;
    private final BuildTargets targets;
    private final DeployTargets marks;
    private final Ledger<EnvironmentRef, Environment> environments;
    private final ShardSlots slots;
    private final ContainerServices containers;
    private final Routing routing;
    private final DeployReports reports;
    private final Clock clock;

    public TearDownPreview(Projects projects, BuildTargets targets, DeployTargets marks, EnvironmentStore environments,
                           ShardSlots slots, ContainerServices containers, Routing routing, DeployReports reports,
                           PlatformEventPublisher publisher, Clock clock) {
        this.projects = projects;
        this.targets = targets;
        this.marks = marks;
        this.environments = new Ledger<>(environments, publisher, clock);
        this.slots = slots;
        this.containers = containers;
        this.routing = routing;
        this.reports = reports;
        this.clock = clock;
    }

    public Outcome handle(PreviewTeardownRequested requested) {
        EnvironmentRef ref = EnvironmentRef.preview(requested.projectId(), requested.pr());
        var target = targets.target(requested.projectId(), BuildTarget.PREVIEW, requested.pr());
        if (requested.requestedBy() == null && target.isPresent() && !target.get().deleted()) {
            return new Outcome(ref, "the pull request was reopened since: nothing torn down");
        }
        return remove(ref, "teardown:" + ref.serviceName(), Environment::retired, List.of(), false);
    }

    /**
     * The preview went too long without a new commit and was given notice: it is removed like a closed one
     * ({@code PreviewExpired}, then {@code PreviewTornDown}), though its pull request stays open; a new commit
     * deploys it anew. One that got a commit or an extension since is left alone.
     */
    public Outcome expire(EnvironmentRef ref) {
        return remove(ref, "expire:" + ref.serviceName(),
                current -> current.retired() || current.expiry() == null || !current.expiry().noticed()
                        || clock.instant().isBefore(current.expiry().at()),
                List.of(new PreviewExpired(ref.projectId(), ref.pr())), true);
    }

    /** @param keep whether the environment stays as it is (nothing is removed) */
    private Outcome remove(EnvironmentRef ref, String writer, Predicate<Environment> keep, List<PlatformEvent> starting,
                           boolean expired) {
        Environment environment = environments.read(ref, writer).map(s -> s.state()).orElse(null);
        if (environment == null || environment.status() == EnvironmentStatus.DELETED) {
            return new Outcome(ref, "nothing deployed: nothing to tear down");
        }
        Environment deleting = environments.change(ref, writer,
                current -> current == null || keep.test(current) ? current : current.deleting(clock.instant()),
                (before, after) -> starting).orElseThrow();
        if (deleting.status() != EnvironmentStatus.DELETING) {
            return new Outcome(ref, expired ? "not expired (any more): left alone" : "already torn down");
        }

        int rules = 0;
        for (String rule : owned(deleting.ruleArn(), routing.hostRules(), ref)) {
            routing.deleteRule(rule);
            rules++;
        }
        containers.delete(ref.serviceName());
        int targetGroups = 0;
        for (String targetGroup : owned(deleting.targetGroupArn(), routing.targetGroups(), ref)) {
            routing.deleteTargetGroup(targetGroup);
            targetGroups++;
        }
        List<String> taskDefinitions = containers.taskDefinitions(ref.serviceName());
        taskDefinitions.forEach(containers::deregisterTaskDefinition);
        slots.release(ref, deleting.slot());

        environments.change(ref, writer,
                current -> current == null || current.status() != EnvironmentStatus.DELETING ? current : current.deleted(clock.instant()),
                (before, after) -> List.of(new PreviewTornDown(ref.projectId(), ref.pr())));
        ProjectLink project = projects.project(ref.projectId()).orElse(null);
        if (expired) {
            if (deleting.latest() != null) {
                marks.standing(ref, deleting.latest().commitSha(), PreviewStatus.EXPIRED);
            }
            reports.expired(project, ref);
        } else {
            reports.tornDown(project, ref);
        }
        return new Outcome(ref, (expired ? "expired: " : "") + "removed " + rules + " rule(s), the service, " + targetGroups
                + " target group(s) and " + taskDefinitions.size() + " task definition(s)");
    }

    /** The recorded resource, and any other carrying the environment's tags (created by a deploy that crashed before recording it). */
    private static List<String> owned(String recorded, List<TaggedResource> listed, EnvironmentRef ref) {
        return Stream.concat(recorded == null ? Stream.<String>empty() : Stream.of(recorded),
                        listed.stream().filter(r -> ref.owns(r.tags())).map(TaggedResource::id))
                .distinct()
                .toList();
    }
}
