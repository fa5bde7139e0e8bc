package dev.platform.core.deploy;

import dev.platform.core.build.BuildTargets;
import dev.platform.core.events.PlatformEvent.BuildSucceeded;
import dev.platform.core.events.PlatformEvent.DeploymentFailed;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ledger.Ledger;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.sleep.SleepPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code BuildSucceeded} → the image runs in its environment: a target group, a task definition with the
 * image by digest, the service rolled to it and the host rule, in that order, each call idempotent; the
 * deployment recorded; the target marked {@code deploying}. The deployment watcher takes it from there.
 *
 * <p>An image for a commit the target is no longer at is not deployed. The same event twice is one
 * deployment: the second redoes only what the first may not have finished. A preview gets its host and its
 * slot (shard and rule priority) when its environment is created; they stay for its life.
 *
 * <p>Two deploys of one environment may run at once (a synchronize while the previous image rolls out);
 * the environment's {@code latest} decides which one serves. A deploy that finds itself no longer the
 * latest after rolling its service out points the service back at the latest's task definition, and the
 * watcher does the same for an ECS deployment that completes without being the latest, so the service
 * always ends on the newest image.
 */
public final class DeployBuild {

    /** What happened, for the log. */
    public record Outcome(EnvironmentRef environment, String result) {
    }

    private final Projects projects;
    private final BuildTargets targets;
    private final DeployTargets marks;
    private final Ledger<EnvironmentRef, Environment> environments;
    private final DeploymentRecords records;
    private final ShardSlots slots;
    private final ContainerServices containers;
    private final Routing routing;
    private final EnvironmentHosts hosts;
    private final SleepPolicy policy;
    private final DeployReports reports;
    private final PlatformEventPublisher publisher;
    private final Clock clock;

    public DeployBuild(Projects projects, BuildTargets targets, DeployTargets marks, EnvironmentStore environments,
                       DeploymentRecords records, ShardSlots slots, ContainerServices containers, Routing routing,
                       EnvironmentHosts hosts, SleepPolicy policy, DeployReports reports, PlatformEventPublisher publisher,
                       Clock clock) {
        this.projects = projects;
        this.targets = targets;
        this.marks = marks;
        this.environments = new Ledger<>(environments, publisher, clock);
        this.records = records;
        this.slots = slots;
        this.containers = containers;
        this.routing = routing;
        this.hosts = hosts;
        this.policy = policy;
        this.reports = reports;
        this.publisher = publisher;
        this.clock = clock;
    }

    public Outcome handle(BuildSucceeded built) {
        EnvironmentRef ref = new EnvironmentRef(built.projectId(), built.target(), built.pr());
        Optional<ProjectLink> project = projects.project(built.projectId());
        if (project.isEmpty()) {
            return new Outcome(ref, "unknown project: nothing deployed");
        }
        Optional<BuildTargets.TargetState> target = targets.target(built.projectId(), built.target(), built.pr());
        if (target.isEmpty() || target.get().deleted() || !target.get().head().equals(built.commitSha())) {
            return new Outcome(ref, "stale: " + ref + " is no longer at " + built.commitSha().shortForm() + ", not deployed");
        }
        String writer = "deploy:" + built.requestId();
        Environment environment = start(ref, built, writer, project.get().previewPolicy(policy));
        if (environment == null) {
            return new Outcome(ref, "every load balancer shard is full: not deployed");
        }
        Deployment deployment = environment.latest();
        records.put(deployment);
        marks.deploying(ref, built.commitSha());
        return rollOut(project.get(), environment, deployment, writer);
    }

    /** The environment with this build's deployment as its latest: created, joined or started now (null: no slot). */
    private Environment start(EnvironmentRef ref, BuildSucceeded built, String writer, SleepPolicy policy) {
        Optional<Environment> stored = environments.read(ref, writer).map(s -> s.state());
        if (stored.isPresent() && !stored.get().retired() && sameBuild(stored.get().latest(), built)) {
            return stored.get();
        }
        Slot claimed = null;
        String host = null;
        if (stored.isEmpty() || stored.get().retired()) {
            claimed = slots.claim(ref).orElse(null);
            if (claimed == null) {
                publisher.publish(List.of(new DeploymentFailed(ref.projectId(), ref.target(), ref.pr(), built.commitSha(),
                        "none", "every load balancer shard is full")));
                marks.deployFailed(ref, built.commitSha(), "every load balancer shard is full");
                return null;
            }
            host = hosts.newHost(ref, claimed.shard());
        }
        Slot slot = claimed;
        String newHost = host;
        Deployment deployment = Deployment.started(ref, built.commitSha(), built.buildId(), built.imageUri(), null,
                "BuildSucceeded " + built.requestId(), clock.instant());
        // A preview lives expireAfter from its latest commit; production does not expire.
        Instant now = clock.instant();
        Expiry expiry = ref.preview() ? Expiry.after(now, policy.expireAfter()) : null;
        Environment result = environments.change(ref, writer, current -> {
            if (current != null && !current.retired()) {
                return sameBuild(current.latest(), built) ? current : current.deploying(deployment, expiry, now);
            }
            if (slot == null) {
                throw new IllegalStateException(ref + " was retired while its deploy started; the retry starts it anew");
            }
            return Environment.created(ref, newHost, slot, deployment, expiry, now);
        }, (before, after) -> List.of()).orElseThrow();
        if (slot != null && !slot.equals(result.slot())) {
            slots.release(ref, slot);
        }
        return result;
    }

    private static boolean sameBuild(Deployment latest, BuildSucceeded built) {
        return latest != null && latest.buildId().equals(built.buildId()) && latest.status() != DeploymentStatus.FAILED;
    }

    private Outcome rollOut(ProjectLink project, Environment environment, Deployment deployment, String writer) {
        EnvironmentRef ref = environment.ref();
        if (deployment.ecsDeploymentId() != null) {
            return new Outcome(ref, "already rolling out " + deployment.deploymentId() + " (" + deployment.ecsDeploymentId() + ")");
        }
        reports.queued(project, deployment, hosts.url(environment.host()));
        DeploySettings settings = project.deploySettings();
        String targetGroup = routing.ensureTargetGroup(ref.targetGroupName(), settings.port(), settings.healthCheckPath(),
                ref.tags());
        Deployment registered = deployment.taskDefinitionArn() != null ? deployment
                : deployment.registered(containers.registerTaskDefinition(taskDefinition(deployment, settings)));
        String ecsDeployment = containers.deploy(new ServiceSpec(ref.serviceName(), ref.clientToken(),
                registered.taskDefinitionArn(), targetGroup, DeploySettings.CONTAINER, settings.port(), 1, ref.tags()));
        String rule = routing.ensureHostRule(environment.slot().shard(), environment.slot().priority(), environment.host(),
                targetGroup, ref.tags());
        Deployment rolling = registered.rollingOut(ecsDeployment);
        Environment after = environments.change(ref, writer, current -> {
            if (current == null || current.retired()) {
                return current;
            }
            Deployment latest = current.latest().deploymentId().equals(rolling.deploymentId()) ? rolling : current.latest();
            return current.progressed(latest, targetGroup, rule, clock.instant());
        }, (before, now) -> List.of()).orElseThrow();
        records.put(rolling);
        reports.deploying(project, rolling, hosts.url(environment.host()));
        if (after.retired()) {
            return new Outcome(ref, "rolled out " + rolling.deploymentId() + " while the environment was retired: the teardown removes it");
        }
        Deployment latest = after.latest();
        if (!latest.deploymentId().equals(rolling.deploymentId()) && latest.taskDefinitionArn() != null) {
            // a newer deploy already rolled out before this one did: the service goes back to the newest image
            containers.update(ref.serviceName(), latest.taskDefinitionArn());
            return new Outcome(ref, rolling.deploymentId() + " was overtaken by " + latest.deploymentId()
                    + ": the service is back on the newer task definition");
        }
        return new Outcome(ref, "rolling out " + rolling.deploymentId() + " (" + ecsDeployment + ") at " + environment.host());
    }

    private static TaskDefinitionSpec taskDefinition(Deployment deployment, DeploySettings settings) {
        Map<String, String> tags = new LinkedHashMap<>(deployment.environment().tags());
        tags.put(ResourceTags.COMMIT, deployment.commitSha().value());
        tags.put(ResourceTags.DEPLOYMENT, deployment.deploymentId());
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PORT", Integer.toString(settings.port()));
        return new TaskDefinitionSpec(deployment.environment().serviceName(), DeploySettings.CONTAINER, deployment.imageUri(),
                settings.port(), settings.cpu(), settings.memoryMiB(), settings.command(), environment, tags);
    }
}
