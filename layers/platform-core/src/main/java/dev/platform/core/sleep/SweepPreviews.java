package dev.platform.core.sleep;

import dev.platform.core.deploy.DeployReports;
import dev.platform.core.deploy.DeployTargets;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentHosts;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.Expiry;
import dev.platform.core.deploy.TearDownPreview;
import dev.platform.core.events.PlatformEvent.PreviewExpiring;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.ledger.Ledger;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.sleep.InboundTraffic.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The auto-sleep sweep (every 5 minutes): reads the running previews from the index (cost: the running ones,
 * never every preview), learns their last inbound request from the load balancers' traffic in one read, sleeps
 * the idle ones, keeps every project under its cap, then gives notice to the previews due to expire and removes
 * those whose notice was given and whose time is up.
 */
public final class SweepPreviews {
    /** How far back traffic is read: the policy's idle time and the metrics' delay, at most what one read returns. */
    static final Duration TRAFFIC_MARGIN = Duration.ofMinutes(5);
    static final Duration MAX_TRAFFIC_WINDOW = Duration.ofHours(3);
    /** The load balancers' request counts are per minute. */
    static final Duration TRAFFIC_RESOLUTION = Duration.ofMinutes(1);

    /** What the sweep did, for the log and the local runtime's answer. */
    public record Outcome(int indexEntries, int running, int requested, int slept, int capped, int noticed, int expired,
                          List<String> actions) {
    }

    private final Projects projects;
    private final Ledger<EnvironmentRef, Environment> environments;
    private final PreviewIndex index;
    private final InboundTraffic traffic;
    private final SleepPreview sleeper;
    private final TearDownPreview teardown;
    private final DeployTargets marks;
    private final DeployReports reports;
    private final EnvironmentHosts hosts;
    private final Clock clock;

    public SweepPreviews(Projects projects, EnvironmentStore environments, PreviewIndex index, InboundTraffic traffic,
                         SleepPreview sleeper, TearDownPreview teardown, DeployTargets marks, DeployReports reports,
                         EnvironmentHosts hosts, PlatformEventPublisher publisher, Clock clock) {
        this.projects = projects;
        this.environments = new Ledger<>(environments, publisher, clock);
        this.index = index;
        this.traffic = traffic;
        this.sleeper = sleeper;
        this.teardown = teardown;
        this.marks = marks;
        this.reports = reports;
        this.hosts = hosts;
        this.clock = clock;
    }

    public Outcome sweep() {
        Instant now = clock.instant();
        List<String> actions = new ArrayList<>();

        List<EnvironmentRef> indexed = index.running();
        List<Environment> running = new ArrayList<>();
        for (EnvironmentRef ref : indexed) {
            environments.read(ref, "sweep").map(s -> s.state())
                    .filter(e -> e.ref().preview() && e.status().running())
                    .ifPresent(running::add);
        }

        int requested = 0;
        Map<Source, Environment> bySource = new LinkedHashMap<>();
        running.stream().filter(e -> e.targetGroupArn() != null)
                .forEach(e -> bySource.put(new Source(e.targetGroupArn(), e.slot().shard()), e));
        // each project's own policy, read once per sweep; traffic is read as far back as the longest idle time
        Map<ProjectId, SleepPolicy> policies = new LinkedHashMap<>();
        running.forEach(e -> policies.computeIfAbsent(e.ref().projectId(), sleeper::policy));
        Duration longest = policies.values().stream().map(SleepPolicy::sleepAfter).max(Duration::compareTo)
                .orElse(sleeper.policy().sleepAfter());
        Duration window = longest.plus(TRAFFIC_MARGIN);
        Map<Source, Instant> seen = bySource.isEmpty() ? Map.of()
                : traffic.lastRequests(bySource.keySet(), now.minus(window.compareTo(MAX_TRAFFIC_WINDOW) > 0
                        ? MAX_TRAFFIC_WINDOW : window), now);
        List<Environment> current = new ArrayList<>();
        for (Environment environment : running) {
            Instant last = latestPossible(environment.targetGroupArn() == null ? null
                    : seen.get(new Source(environment.targetGroupArn(), environment.slot().shard())), now);
            if (last != null && (environment.lastRequestAt() == null || last.isAfter(environment.lastRequestAt()))) {
                environment = environments.change(environment.ref(), "sweep:requested",
                        e -> e == null || e.retired() ? e : e.requested(last, now), (before, after) -> List.of())
                        .orElse(environment);
                marks.requested(environment.ref(), last);
                requested++;
            }
            current.add(environment);
        }

        int slept = 0;
        Map<ProjectId, Integer> stillRunning = new LinkedHashMap<>();
        for (Environment environment : current) {
            Instant last = environment.lastRequestAt() == null ? environment.createdAt() : environment.lastRequestAt();
            SleepPolicy policy = policies.getOrDefault(environment.ref().projectId(), sleeper.policy());
            boolean idle = SleepPreview.sleepable(environment) && !last.plus(policy.sleepAfter()).isAfter(now);
            if (idle || SleepPreview.stuckWaking(environment, now)) {
                SleepPreview.Outcome outcome = sleeper.sleep(environment.ref(), idle ? "idle" : "the wake did not complete within "
                        + Durations.text(SleepPreview.WAKE_TIMEOUT));
                actions.add(environment.ref().serviceName() + ": " + outcome.result());
                if (outcome.slept()) {
                    slept++;
                    continue;
                }
            }
            stillRunning.merge(environment.ref().projectId(), 1, Integer::sum);
        }

        int capped = 0;
        for (Map.Entry<ProjectId, Integer> project : stillRunning.entrySet()) {
            if (project.getValue() > policies.getOrDefault(project.getKey(), sleeper.policy()).maxActivePreviews()) {
                for (SleepPreview.Outcome outcome : sleeper.enforceCap(project.getKey(), null)) {
                    actions.add(outcome.environment().serviceName() + ": " + outcome.result());
                    capped += outcome.slept() ? 1 : 0;
                }
            }
        }

        int noticed = 0;
        int expired = 0;
        for (EnvironmentRef ref : index.expiryDue(now)) {
            Environment environment = environments.read(ref, "sweep").map(s -> s.state()).orElse(null);
            if (environment == null || environment.retired() || environment.expiry() == null
                    || environment.expiry().dueAt().isAfter(now)) {
                continue;
            }
            if (!environment.expiry().noticed()) {
                if (notice(environment, now)) {
                    noticed++;
                    actions.add(ref.serviceName() + ": expires at " + environment.expiry().at());
                }
            } else {
                TearDownPreview.Outcome outcome = teardown.expire(ref);
                actions.add(ref.serviceName() + ": " + outcome.result());
                expired += outcome.result().startsWith("expired") ? 1 : 0;
            }
        }
        return new Outcome(indexed.size(), running.size(), requested, slept, capped, noticed, expired, actions);
    }

    /**
     * Traffic is counted per minute, by the minute's start: the request may have come up to a minute later, so
     * for idleness it counts at the minute's end (never after now). A preview requested 10 s ago is not idle
     * for a one-minute {@code sleepAfter}.
     */
    private static Instant latestPossible(Instant minuteStart, Instant now) {
        if (minuteStart == null) {
            return null;
        }
        Instant end = minuteStart.plus(TRAFFIC_RESOLUTION);
        return end.isAfter(now) ? now : end;
    }

    /** {@code PreviewExpiring} and the comment, once per expiry; the preview is removed at a later sweep. */
    private boolean notice(Environment environment, Instant now) {
        Expiry expiry = environment.expiry();
        Environment after = environments.change(environment.ref(), "expiring:" + expiry.at().toEpochMilli(),
                e -> e == null || e.retired() || e.expiry() == null || !e.expiry().equals(expiry) ? e
                        : e.withExpiry(expiry.noticed(now), now),
                (before, next) -> List.of(new PreviewExpiring(environment.ref().projectId(), environment.ref().pr(),
                        expiry.at()))).orElse(null);
        if (after == null || after.expiry() == null || !after.expiry().noticed() || !after.expiry().at().equals(expiry.at())) {
            return false;
        }
        projects.project(environment.ref().projectId()).ifPresent(project -> reports.standing(project, after,
                "Expires at " + DateTimeFormatter.ISO_INSTANT.format(expiry.at().truncatedTo(ChronoUnit.SECONDS))
                        + " unless a new commit arrives (`/preview extend 7d` keeps it longer)",
                hosts.url(after.host())));
        return true;
    }
}
