package dev.platform.core.deploy;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEvent.DeploymentFailed;
import dev.platform.core.events.PlatformEvent.DeploymentSucceeded;
import dev.platform.core.events.PlatformEvent.PreviewSlept;
import dev.platform.core.events.PlatformEvent.PreviewWoke;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ledger.Ledger;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.preview.PreviewStatus;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * An ECS deployment of an environment's service completed or failed → its deployment {@code succeeded}
 * (the environment {@code active}, {@code DeploymentSucceeded} with the URL) or {@code failed}
 * ({@code DeploymentFailed} with ECS's reason; the circuit breaker rolled the service back, so the
 * deployment that served before still serves). The same event twice is one outcome: the event is owed
 * through the environment's outbox, once.
 *
 * <p>Only the environment's latest deployment counts. An ECS deployment that completes without being the
 * latest one (an older deploy's call reached ECS after a newer one's) points the service back at the
 * latest's task definition.
 */
public final class RecordDeploymentOutcome {

    /** What happened, for the log. */
    public record Outcome(String serviceName, String result) {
    }

    /** The latest deployment's service call has not been recorded yet: the event is retried. */
    public static final class NotRecordedYetException extends RuntimeException {
        NotRecordedYetException(String message) {
            super(message);
        }
    }

    private final Projects projects;
    private final DeployTargets marks;
    private final Ledger<EnvironmentRef, Environment> environments;
    private final DeploymentRecords records;
    private final ContainerServices containers;
    private final Routing routing;
    private final EnvironmentHosts hosts;
    private final DeployReports reports;
    private final Clock clock;

    public RecordDeploymentOutcome(Projects projects, DeployTargets marks, EnvironmentStore environments,
                                   DeploymentRecords records, ContainerServices containers, Routing routing,
                                   EnvironmentHosts hosts, DeployReports reports, PlatformEventPublisher publisher,
                                   Clock clock) {
        this.projects = projects;
        this.marks = marks;
        this.environments = new Ledger<>(environments, publisher, clock);
        this.records = records;
        this.containers = containers;
        this.routing = routing;
        this.hosts = hosts;
        this.reports = reports;
        this.clock = clock;
    }

    public Outcome handle(ServiceDeploymentChanged changed) {
        String service = changed.serviceName();
        Optional<EnvironmentRef> ref = EnvironmentRef.ofServiceName(service);
        if (ref.isEmpty()) {
            return new Outcome(service, "not a platform service: ignored");
        }
        String writer = "ecs:" + changed.ecsDeploymentId() + ":" + changed.state();
        Optional<Environment> stored = environments.read(ref.get(), writer).map(s -> s.state());
        if (stored.isEmpty() || stored.get().retired() || stored.get().latest() == null) {
            return new Outcome(service, "no live environment: ignored");
        }
        if (changed.state() == ServiceDeploymentChanged.State.IN_PROGRESS) {
            return new Outcome(service, "in progress: nothing to record");
        }
        if (stored.get().routedToWaker()) {
            return wakeOutcome(stored.get(), changed, writer);
        }
        Deployment latest = stored.get().latest();
        if (!changed.ecsDeploymentId().equals(latest.ecsDeploymentId())) {
            if (latest.status() == DeploymentStatus.DEPLOYING && latest.ecsDeploymentId() == null) {
                throw new NotRecordedYetException(ref.get() + ": the rollout of " + latest.deploymentId()
                        + " is not recorded yet; " + changed.ecsDeploymentId() + " is retried");
            }
            if (changed.state() == ServiceDeploymentChanged.State.COMPLETED && latest.status() == DeploymentStatus.DEPLOYING) {
                containers.update(service, latest.taskDefinitionArn());
                return new Outcome(service, changed.ecsDeploymentId() + " completed but " + latest.deploymentId()
                        + " is the latest: the service is pointed back at it");
            }
            return new Outcome(service, changed.ecsDeploymentId() + " is not the latest rollout: ignored");
        }
        String url = hosts.url(stored.get().host());
        if (latest.status() != DeploymentStatus.DEPLOYING) {
            // recorded by an earlier attempt: its event was owed through the outbox; the copies are redone
            show(stored.get(), url);
            return new Outcome(service, latest.deploymentId() + " already " + latest.status().wireName());
        }
        boolean succeeded = changed.state() == ServiceDeploymentChanged.State.COMPLETED;
        String reason = reasonOr(changed, "the deployment failed");
        Environment after = environments.change(ref.get(), writer, current -> {
            if (current == null || current.retired() || !current.latest().deploymentId().equals(latest.deploymentId())
                    || current.latest().status() != DeploymentStatus.DEPLOYING) {
                return current;
            }
            return succeeded ? current.succeeded(current.latest().succeeded(clock.instant()), clock.instant())
                    : current.failed(current.latest().failed(reason, clock.instant()), clock.instant());
        }, (before, now) -> List.of(event(now.latest(), url))).orElseThrow();
        if (after.retired() || !after.latest().deploymentId().equals(latest.deploymentId())) {
            return new Outcome(service, "changed meanwhile: nothing recorded");
        }
        show(after, url);
        Deployment outcome = after.latest();
        ProjectLink project = projects.project(after.ref().projectId()).orElse(null);
        if (outcome.status() == DeploymentStatus.SUCCEEDED) {
            reports.succeeded(project, outcome, url);
        } else {
            reports.failed(project, outcome, url, outcome.reason());
        }
        return new Outcome(service, outcome.status() == DeploymentStatus.SUCCEEDED
                ? outcome.deploymentId() + " serves at " + url
                : outcome.deploymentId() + " failed: " + outcome.reason()
                        + (after.serving() == null ? "" : "; " + after.serving().deploymentId() + " still serves"));
    }

    /**
     * A sleeping preview's only rollout is its wake: once healthy, its rule leaves the waker and it is
     * {@code active} again ({@code PreviewWoke}); a failed wake goes back to sleep, scaled to 0, so the next
     * request tries again.
     */
    private Outcome wakeOutcome(Environment stored, ServiceDeploymentChanged changed, String writer) {
        String service = changed.serviceName();
        EnvironmentRef ref = stored.ref();
        if (stored.status() == EnvironmentStatus.SLEEPING) {
            return new Outcome(service, "sleeping: " + changed.ecsDeploymentId() + " ignored");
        }
        if (stored.wakeRollout() == null) {
            throw new NotRecordedYetException(ref + ": the wake's rollout is not recorded yet; "
                    + changed.ecsDeploymentId() + " is retried");
        }
        if (!stored.wakeRollout().equals(changed.ecsDeploymentId())) {
            return new Outcome(service, changed.ecsDeploymentId() + " is not the wake's rollout: ignored");
        }
        String url = hosts.url(stored.host());
        CommitSha commit = stored.serving() == null ? stored.latest().commitSha() : stored.serving().commitSha();
        if (changed.state() == ServiceDeploymentChanged.State.COMPLETED) {
            routing.forward(stored.ruleArn(), stored.targetGroupArn());
            Environment after = environments.change(ref, writer, current -> isWake(current, changed)
                            ? current.woke(clock.instant()) : current,
                    (before, now) -> List.of(new PreviewWoke(ref.projectId(), ref.pr(), url))).orElseThrow();
            if (after.status() == EnvironmentStatus.ACTIVE) {
                marks.deployed(ref, commit, url);
            }
            return new Outcome(service, "woke: " + after.status().wireName() + " at " + url);
        }
        String reason = "the wake failed: " + reasonOr(changed, "the service did not become healthy");
        containers.scale(service, 0);
        environments.change(ref, writer, current -> isWake(current, changed) ? current.sleeping(clock.instant()) : current,
                (before, now) -> List.of(new PreviewSlept(ref.projectId(), ref.pr(), reason))).orElseThrow();
        marks.standing(ref, commit, PreviewStatus.SLEEPING);
        return new Outcome(service, reason + "; back to sleep");
    }

    /** ECS's reason, or {@code fallback} when it gave none. */
    private static String reasonOr(ServiceDeploymentChanged changed, String fallback) {
        return changed.reason() == null || changed.reason().isBlank() ? fallback : changed.reason();
    }

    private static boolean isWake(Environment current, ServiceDeploymentChanged changed) {
        return current != null && current.status() == EnvironmentStatus.WAKING
                && changed.ecsDeploymentId().equals(current.wakeRollout());
    }

    /** The deployment history and the target's status show the latest deployment's outcome. */
    private void show(Environment environment, String url) {
        Deployment latest = environment.latest();
        records.put(latest);
        if (latest.status() == DeploymentStatus.SUCCEEDED) {
            marks.deployed(environment.ref(), latest.commitSha(), url);
        } else {
            marks.deployFailed(environment.ref(), latest.commitSha(), latest.reason());
        }
    }

    private static PlatformEvent event(Deployment deployment, String url) {
        EnvironmentRef ref = deployment.environment();
        return deployment.status() == DeploymentStatus.SUCCEEDED
                ? new DeploymentSucceeded(ref.projectId(), ref.target(), ref.pr(), deployment.commitSha(),
                        deployment.deploymentId(), url)
                : new DeploymentFailed(ref.projectId(), ref.target(), ref.pr(), deployment.commitSha(),
                        deployment.deploymentId(), deployment.reason());
    }
}
