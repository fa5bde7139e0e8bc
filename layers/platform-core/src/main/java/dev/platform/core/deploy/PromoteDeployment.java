package dev.platform.core.deploy;

import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.ledger.Ledger;
import java.time.Clock;
import java.util.List;

/**
 * Promote (roll back to) an earlier deployment of an environment: its service goes back to that
 * deployment's task definition with one UpdateService, no build. The promote is a new deployment of the
 * same commit and image, reported by the deployment watcher like any other.
 */
public final class PromoteDeployment {

    /** The deployment cannot be promoted: unknown, never registered, or its environment is gone. */
    public static final class NotPromotableException extends RuntimeException {
        NotPromotableException(String message) {
            super(message);
        }
    }

    private final Ledger<EnvironmentRef, Environment> environments;
    private final DeploymentRecords records;
    private final ContainerServices containers;
    private final Clock clock;

    public PromoteDeployment(EnvironmentStore environments, DeploymentRecords records, ContainerServices containers,
                             PlatformEventPublisher publisher, Clock clock) {
        this.environments = new Ledger<>(environments, publisher, clock);
        this.records = records;
        this.containers = containers;
        this.clock = clock;
    }

    /**
     * @param who the user or process asking, recorded as the new deployment's trigger
     * @return the new deployment, rolling out
     */
    public Deployment promote(ProjectId projectId, String deploymentId, String who) {
        Deployment earlier = records.deployment(projectId, deploymentId)
                .orElseThrow(() -> new NotPromotableException("no deployment " + deploymentId + " in project " + projectId));
        if (earlier.taskDefinitionArn() == null) {
            throw new NotPromotableException(deploymentId + " never registered a task definition");
        }
        EnvironmentRef ref = earlier.environment();
        String writer = "promote:" + deploymentId + ":" + who;
        environments.read(ref, writer).map(s -> s.state())
                .filter(e -> !e.retired())
                .orElseThrow(() -> new NotPromotableException(ref + " no longer exists"));
        Deployment promoted = Deployment.started(ref, earlier.commitSha(), earlier.buildId(), earlier.imageUri(),
                earlier.taskDefinitionArn(), "promote of " + deploymentId + " by " + who, clock.instant());
        environments.change(ref, writer, current -> current.deploying(promoted, null, clock.instant()), (before, after) -> List.of());
        Deployment rolling = promoted.rollingOut(containers.update(ref.serviceName(), earlier.taskDefinitionArn()));
        environments.change(ref, writer, current -> current.latest().deploymentId().equals(rolling.deploymentId())
                ? current.progressed(rolling, current.targetGroupArn(), current.ruleArn(), clock.instant()) : current,
                (before, after) -> List.of());
        records.put(rolling);
        return rolling;
    }
}
