package dev.platform.core.deploy;

import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.events.PlatformEvent.OrphansRemoved;
import dev.platform.core.events.PlatformEvent.PreviewTeardownRequested;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The safety net under teardown (schedule): lists the platform's services, host rules and target groups
 * by their tags and removes those whose environment is gone ({@code deleted}) or unknown — rules first,
 * then services, then target groups, then the task definitions of the removed services' families — and
 * publishes {@code OrphansRemoved}. A resource without {@link ResourceTags#PROJECT} is never touched.
 *
 * <p>Nothing younger than the grace period is touched, so a deploy in flight keeps what it creates: an
 * environment is recorded before its first resource, and one that changed within the grace period is left
 * alone, as is a resource whose creation time is within it. A preview whose teardown began longer ago than
 * that and never finished (its retries ran out) is torn down again, so its slot is freed too.
 */
public final class ReconcileOrphans {
    /** How long a resource or a change of its environment is left alone: longer than any deploy step takes. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);

    /** What happened, for the log and the metric. */
    public record Outcome(int examined, List<String> removed, List<EnvironmentRef> tornDownAgain) {
    }

    private final EnvironmentStore environments;
    private final TearDownPreview teardown;
    private final ContainerServices containers;
    private final Routing routing;
    private final PlatformEventPublisher publisher;
    private final Duration grace;
    private final Clock clock;

    public ReconcileOrphans(EnvironmentStore environments, TearDownPreview teardown, ContainerServices containers,
                            Routing routing, PlatformEventPublisher publisher, Duration grace, Clock clock) {
        this.environments = environments;
        this.teardown = teardown;
        this.containers = containers;
        this.routing = routing;
        this.publisher = publisher;
        this.grace = grace;
        this.clock = clock;
    }

    public Outcome run() {
        Instant before = clock.instant().minus(grace);
        Map<EnvironmentRef, Boolean> orphanByEnvironment = new HashMap<>();
        Set<EnvironmentRef> stuck = new LinkedHashSet<>();
        List<String> removed = new ArrayList<>();
        Set<String> families = new LinkedHashSet<>();
        int examined = 0;

        List<TaggedResource> rules = routing.hostRules();
        List<TaggedResource> services = containers.services();
        List<TaggedResource> targetGroups = routing.targetGroups();
        for (TaggedResource rule : rules) {
            examined++;
            if (orphan(rule, before, orphanByEnvironment, stuck)) {
                routing.deleteRule(rule.id());
                removed.add(rule.id());
            }
        }
        for (TaggedResource service : services) {
            examined++;
            if (orphan(service, before, orphanByEnvironment, stuck)) {
                containers.delete(service.name());
                families.add(service.name());
                removed.add(service.id());
            }
        }
        for (TaggedResource targetGroup : targetGroups) {
            examined++;
            if (orphan(targetGroup, before, orphanByEnvironment, stuck)) {
                routing.deleteTargetGroup(targetGroup.id());
                removed.add(targetGroup.id());
            }
        }
        families.forEach(family -> containers.taskDefinitions(family).forEach(containers::deregisterTaskDefinition));
        if (!removed.isEmpty()) {
            publisher.publish(List.of(new OrphansRemoved(removed.size(), removed)));
        }
        stuck.forEach(ref -> teardown.handle(new PreviewTeardownRequested(ref.projectId(), ref.pr())));
        return new Outcome(examined, removed, List.copyOf(stuck));
    }

    private boolean orphan(TaggedResource resource, Instant before, Map<EnvironmentRef, Boolean> known,
                           Set<EnvironmentRef> stuck) {
        if (resource.createdAt() != null && resource.createdAt().isAfter(before)) {
            return false;
        }
        Optional<EnvironmentRef> ref = environmentOf(resource.tags());
        if (ref.isEmpty()) {
            return false;
        }
        return known.computeIfAbsent(ref.get(), r -> environments.read(r).map(stored -> {
            Environment environment = stored.state();
            if (!environment.changedAt().isBefore(before)) {
                return false;
            }
            if (environment.status() == EnvironmentStatus.DELETING && r.preview()) {
                stuck.add(r);
            }
            return environment.status() == EnvironmentStatus.DELETED;
        }).orElse(true));
    }

    /** The environment the tags name; empty when they are not the platform's (then nothing is touched). */
    static Optional<EnvironmentRef> environmentOf(Map<String, String> tags) {
        try {
            ProjectId project = ProjectId.of(tags.get(ResourceTags.PROJECT));
            BuildTarget target = BuildTarget.fromWire(tags.getOrDefault(ResourceTags.ENVIRONMENT, ""));
            String pr = tags.get(ResourceTags.PR);
            return Optional.of(new EnvironmentRef(project, target, pr == null ? null : PrNumber.of(Integer.parseInt(pr))));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }
}
