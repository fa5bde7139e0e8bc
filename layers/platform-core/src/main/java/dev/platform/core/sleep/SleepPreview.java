package dev.platform.core.sleep;

import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.DeployReports;
import dev.platform.core.deploy.DeployTargets;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentHosts;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStatus;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.Routing;
import dev.platform.core.events.PlatformEvent.PreviewSlept;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.ledger.Ledger;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.preview.PreviewStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running preview sleeps: marked {@code sleeping} first ({@code PreviewSlept} through its outbox), then its
 * host rule is pointed at its shard's waker target group, then its service scaled to 0, so a request arriving
 * meanwhile reaches either the app or the waker, never a target group without targets. A deploy or a wake that
 * starts while this runs wins: the preview is routed back to its service and scaled up again.
 *
 * <p>Also keeps a project under its {@link SleepPolicy#maxActivePreviews()}: the least recently requested
 * running previews sleep until it is.
 */
public final class SleepPreview {
    /** A Fargate task is healthy within a few minutes; a wake that took longer than this is taken as lost. */
    static final Duration WAKE_TIMEOUT = Duration.ofMinutes(15);

    /** What happened. @param slept whether this call put it to sleep */
    public record Outcome(EnvironmentRef environment, boolean slept, String result) {
    }

    private final Projects projects;
    private final Ledger<EnvironmentRef, Environment> environments;
    private final PreviewIndex index;
    private final ContainerServices containers;
    private final Routing routing;
    private final List<String> wakerTargetGroups;
    private final DeployTargets marks;
    private final DeployReports reports;
    private final EnvironmentHosts hosts;
    private final SleepPolicy policy;
    private final Clock clock;

    /** @param wakerTargetGroups the waker's target group on each preview shard, shard 0 first */
    public SleepPreview(Projects projects, EnvironmentStore environments, PreviewIndex index, ContainerServices containers,
                        Routing routing, List<String> wakerTargetGroups, DeployTargets marks, DeployReports reports,
                        EnvironmentHosts hosts, SleepPolicy policy, PlatformEventPublisher publisher, Clock clock) {
        this.projects = projects;
        this.environments = new Ledger<>(environments, publisher, clock);
        this.index = index;
        this.containers = containers;
        this.routing = routing;
        this.wakerTargetGroups = List.copyOf(wakerTargetGroups);
        this.marks = marks;
        this.reports = reports;
        this.hosts = hosts;
        this.policy = policy;
        this.clock = clock;
    }

    /** The platform's policy: projects without one of their own follow it. */
    public SleepPolicy policy() {
        return policy;
    }

    /** The project's policy (its own, else the platform's). */
    public SleepPolicy policy(ProjectId projectId) {
        return projects.project(projectId).map(project -> project.previewPolicy(policy)).orElse(policy);
    }

    /** Whether a preview may be put to sleep: it serves (or failed) on routing of its own, and no rollout is under way. */
    static boolean sleepable(Environment environment) {
        return environment != null && environment.ref().preview()
                && (environment.status() == EnvironmentStatus.ACTIVE || environment.status() == EnvironmentStatus.FAILED)
                && environment.ruleArn() != null && environment.targetGroupArn() != null;
    }

    /**
     * A wake whose completion never arrived (its ECS event lost, say): after {@link #WAKE_TIMEOUT} it goes back to
     * sleep, so the next request starts it anew instead of waiting on the waker's page for ever.
     */
    static boolean stuckWaking(Environment environment, Instant now) {
        return environment != null && environment.status() == EnvironmentStatus.WAKING
                && !environment.changedAt().plus(WAKE_TIMEOUT).isAfter(now);
    }

    /** @param reason {@code idle}, {@code cap} or {@code command} */
    public Outcome sleep(EnvironmentRef ref, String reason) {
        Environment current = environments.read(ref, "sleep:" + ref.serviceName()).map(s -> s.state()).orElse(null);
        Instant now = clock.instant();
        if (!sleepable(current) && !stuckWaking(current, now)) {
            return new Outcome(ref, false, current == null ? "no such preview" : "not sleepable while " + current.status().wireName());
        }
        String waker = waker(current.slot().shard());
        String writer = "sleep:" + ref.serviceName() + ":" + current.changedAt().toEpochMilli();
        AtomicBoolean mine = new AtomicBoolean();
        Environment sleeping = environments.change(ref, writer, stored -> {
            mine.set(false);
            return sleepable(stored) || stuckWaking(stored, now) ? stored.sleeping(clock.instant()) : stored;
        }, (before, after) -> {
            mine.set(true);
            return List.of(new PreviewSlept(ref.projectId(), ref.pr(), reason));
        }).orElseThrow();
        if (!mine.get()) {
            return new Outcome(ref, false, "changed meanwhile: " + sleeping.status().wireName());
        }
        routing.forward(sleeping.ruleArn(), waker);
        containers.scale(ref.serviceName(), 0);
        Environment after = environments.read(ref, writer).map(s -> s.state()).orElse(null);
        if (after == null || after.retired()) {
            return new Outcome(ref, true, "slept; removed since");
        }
        if (after.status() != EnvironmentStatus.SLEEPING) {
            // a deploy or a wake started while the calls above ran: it finds its service up and, unless it is
            // a wake (the watcher switches it), routed to its own target group
            containers.scale(ref.serviceName(), 1);
            if (!after.routedToWaker()) {
                routing.forward(after.ruleArn(), after.targetGroupArn());
            }
            return new Outcome(ref, false, "slept, but it is " + after.status().wireName() + " since: running again");
        }
        if (after.latest() != null) {
            marks.standing(ref, after.latest().commitSha(), PreviewStatus.SLEEPING);
        }
        projects.project(ref.projectId()).ifPresent(project -> reports.standing(project, after,
                "Sleeping (" + describe(reason, project.previewPolicy(policy)) + "); the next request wakes it",
                hosts.url(after.host())));
        return new Outcome(ref, true, "sleeping (" + reason + ")");
    }

    /**
     * Sleeps the least recently requested running previews of the project until at most its cap run.
     *
     * @param keep a preview that just started running (it does not sleep for the cap), or null
     */
    public List<Outcome> enforceCap(ProjectId projectId, EnvironmentRef keep) {
        List<Environment> running = new ArrayList<>();
        for (EnvironmentRef ref : index.running(projectId)) {
            environments.read(ref, "cap:" + projectId).map(s -> s.state())
                    .filter(e -> e.status().running())
                    .ifPresent(running::add);
        }
        int excess = running.size() - policy(projectId).maxActivePreviews();
        List<Outcome> outcomes = new ArrayList<>();
        running.sort(Comparator.comparing(SleepPreview::lastRequest).thenComparing(e -> e.ref().pr().value()));
        for (Environment environment : running) {
            if (excess <= 0) {
                break;
            }
            if (Objects.equals(environment.ref(), keep) || !sleepable(environment)) {
                continue;
            }
            Outcome outcome = sleep(environment.ref(), "cap");
            outcomes.add(outcome);
            if (outcome.slept()) {
                excess--;
            }
        }
        return outcomes;
    }

    private static Instant lastRequest(Environment environment) {
        return environment.lastRequestAt() == null ? environment.createdAt() : environment.lastRequestAt();
    }

    private String waker(int shard) {
        if (shard < 0 || shard >= wakerTargetGroups.size()) {
            throw new IllegalStateException("no waker target group for preview shard " + shard + " (WAKER_TARGET_GROUP_ARNS lists "
                    + wakerTargetGroups.size() + ")");
        }
        return wakerTargetGroups.get(shard);
    }

    private static String describe(String reason, SleepPolicy policy) {
        return switch (reason) {
            case "idle" -> "no request for " + Durations.text(policy.sleepAfter());
            case "cap" -> "the project runs at most " + policy.maxActivePreviews() + " previews at once";
            case "command" -> "asked by a /preview sleep";
            default -> reason;
        };
    }
}
