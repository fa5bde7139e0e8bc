package dev.platform.core.deploy;

import java.time.Instant;

/**
 * What runs one environment ({@code ENV#...} of its project): its host and slot, fixed for its life, the
 * routing resources it holds, its latest deployment and the one that serves.
 *
 * @param targetGroupArn null until created
 * @param ruleArn null until created
 * @param latest the newest deployment started (null: none yet)
 * @param serving the deployment that serves now (null: none yet)
 */
public record Environment(EnvironmentRef ref, EnvironmentStatus status, String host, Slot slot, String targetGroupArn,
                          String ruleArn, Deployment latest, Deployment serving, Instant createdAt, Instant changedAt) {

    /** Gone or going: its resources are (being) removed. */
    public boolean retired() {
        return status == EnvironmentStatus.DELETING || status == EnvironmentStatus.DELETED;
    }

    static Environment created(EnvironmentRef ref, String host, Slot slot, Deployment first, Instant now) {
        return new Environment(ref, EnvironmentStatus.DEPLOYING, host, slot, null, null, first, null, now, now);
    }

    Environment deploying(Deployment deployment, Instant now) {
        return new Environment(ref, EnvironmentStatus.DEPLOYING, host, slot, targetGroupArn, ruleArn, deployment, serving,
                createdAt, now);
    }

    /** The latest deployment moved on (registered, rolling out) and the routing it uses exists. */
    Environment progressed(Deployment deployment, String targetGroup, String rule, Instant now) {
        return new Environment(ref, status, host, slot, targetGroup, rule, deployment, serving, createdAt, now);
    }

    Environment succeeded(Deployment deployment, Instant now) {
        return new Environment(ref, EnvironmentStatus.ACTIVE, host, slot, targetGroupArn, ruleArn, deployment, deployment,
                createdAt, now);
    }

    Environment failed(Deployment deployment, Instant now) {
        return new Environment(ref, EnvironmentStatus.FAILED, host, slot, targetGroupArn, ruleArn, deployment, serving,
                createdAt, now);
    }

    Environment deleting(Instant now) {
        return new Environment(ref, EnvironmentStatus.DELETING, host, slot, targetGroupArn, ruleArn, latest, serving,
                createdAt, now);
    }

    /** Everything removed: what stays is the record that it was. */
    Environment deleted(Instant now) {
        return new Environment(ref, EnvironmentStatus.DELETED, host, slot, null, null, latest, null, createdAt, now);
    }
}
