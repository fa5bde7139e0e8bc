package dev.platform.core.deploy;

import java.time.Instant;

/**
 * What runs one environment ({@code ENV#...} of its project): its host and slot, fixed for its life, the
 * routing resources it holds, its latest deployment and the one that serves, and, for a preview, when it
 * was last requested and when it expires.
 *
 * @param targetGroupArn null until created
 * @param ruleArn null until created
 * @param latest the newest deployment started (null: none yet)
 * @param serving the deployment that serves now (null: none yet)
 * @param lastRequestAt the last inbound request seen (auto-sleep); starts when a commit is deployed
 * @param expiry a preview's expiry; null for production
 * @param wakeRollout while {@code waking}: the ECS deployment that starts the service again (null until recorded)
 */
public record Environment(EnvironmentRef ref, EnvironmentStatus status, String host, Slot slot, String targetGroupArn,
                          String ruleArn, Deployment latest, Deployment serving, Instant createdAt, Instant changedAt,
                          Instant lastRequestAt, Expiry expiry, String wakeRollout) {

    /** Gone or going: its resources are (being) removed. */
    public boolean retired() {
        return status == EnvironmentStatus.DELETING || status == EnvironmentStatus.DELETED;
    }

    /** Its host rule forwards to the waker's target group instead of its own. */
    public boolean routedToWaker() {
        return status == EnvironmentStatus.SLEEPING || status == EnvironmentStatus.WAKING;
    }

    static Environment created(EnvironmentRef ref, String host, Slot slot, Deployment first, Expiry expiry, Instant now) {
        return new Environment(ref, EnvironmentStatus.DEPLOYING, host, slot, null, null, first, null, now, now, now, expiry,
                null);
    }

    /**
     * A new deployment starts: a sleeping or waking preview runs again (its rule is pointed back by the deploy),
     * a new commit counts as activity and, for a preview, restarts its expiry ({@code newCommitExpiry}, null for
     * production).
     */
    Environment deploying(Deployment deployment, Expiry newCommitExpiry, Instant now) {
        boolean newCommit = latest == null || !latest.commitSha().equals(deployment.commitSha());
        Expiry next = newCommit ? newCommitExpiry : expiry;
        return new Environment(ref, EnvironmentStatus.DEPLOYING, host, slot, targetGroupArn, ruleArn, deployment, serving,
                createdAt, now, later(lastRequestAt, now), next, null);
    }

    /** The latest deployment moved on (registered, rolling out) and the routing it uses exists. */
    Environment progressed(Deployment deployment, String targetGroup, String rule, Instant now) {
        return new Environment(ref, status, host, slot, targetGroup, rule, deployment, serving, createdAt, now, lastRequestAt,
                expiry, wakeRollout);
    }

    Environment succeeded(Deployment deployment, Instant now) {
        return new Environment(ref, EnvironmentStatus.ACTIVE, host, slot, targetGroupArn, ruleArn, deployment, deployment,
                createdAt, now, lastRequestAt, expiry, null);
    }

    Environment failed(Deployment deployment, Instant now) {
        return new Environment(ref, EnvironmentStatus.FAILED, host, slot, targetGroupArn, ruleArn, deployment, serving,
                createdAt, now, lastRequestAt, expiry, null);
    }

    public Environment sleeping(Instant now) {
        return withStatus(EnvironmentStatus.SLEEPING, now, null);
    }

    /** Waking on a request (or a command) at {@code now}: that counts as a request, so it is not put to sleep again at once. */
    public Environment waking(Instant now) {
        return new Environment(ref, EnvironmentStatus.WAKING, host, slot, targetGroupArn, ruleArn, latest, serving, createdAt,
                now, later(lastRequestAt, now), expiry, null);
    }

    public Environment wakeRollingOut(String ecsDeploymentId, Instant now) {
        return withStatus(EnvironmentStatus.WAKING, now, ecsDeploymentId);
    }

    /** Woken: it serves again and its rule forwards to it. */
    public Environment woke(Instant now) {
        return withStatus(serving == null ? EnvironmentStatus.FAILED : EnvironmentStatus.ACTIVE, now, null);
    }

    public Environment requested(Instant at, Instant now) {
        return new Environment(ref, status, host, slot, targetGroupArn, ruleArn, latest, serving, createdAt, now,
                later(lastRequestAt, at), expiry, wakeRollout);
    }

    public Environment withExpiry(Expiry next, Instant now) {
        return new Environment(ref, status, host, slot, targetGroupArn, ruleArn, latest, serving, createdAt, now,
                lastRequestAt, next, wakeRollout);
    }

    Environment deleting(Instant now) {
        return withStatus(EnvironmentStatus.DELETING, now, null);
    }

    /** Everything removed: what stays is the record that it was. */
    Environment deleted(Instant now) {
        return new Environment(ref, EnvironmentStatus.DELETED, host, slot, null, null, latest, null, createdAt, now,
                lastRequestAt, null, null);
    }

    private Environment withStatus(EnvironmentStatus next, Instant now, String rollout) {
        return new Environment(ref, next, host, slot, targetGroupArn, ruleArn, latest, serving, createdAt, now, lastRequestAt,
                expiry, rollout);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
