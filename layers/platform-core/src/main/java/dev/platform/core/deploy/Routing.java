package dev.platform.core.deploy;

import java.util.List;
import java.util.Map;

/**
 * Port: how requests reach an environment (on AWS, ELBv2 target groups and host-header rules on the
 * HTTPS listener of the environment's load balancer shard). Every call is idempotent: what already
 * exists is adopted, what is already gone is success.
 */
public interface Routing {

    /**
     * Creates the target group (IP targets, HTTP on {@code port}, health checked on
     * {@code healthCheckPath}) or adopts the one of that name.
     *
     * @param name at most 32 characters, letters, digits and hyphens
     * @return its ARN
     */
    String ensureTargetGroup(String name, int port, String healthCheckPath, Map<String, String> tags);

    void deleteTargetGroup(String targetGroupArn);

    /**
     * Creates the rule "host header {@code host} → forward to {@code targetGroupArn}" at {@code priority} on
     * shard {@code shard}'s listener, or adopts the shard's rule for that host (pointing it at the target
     * group).
     *
     * @return its ARN
     */
    String ensureHostRule(int shard, int priority, String host, String targetGroupArn, Map<String, String> tags);

    /** Points an existing rule at another target group (a sleeping preview's rule at the waker, and back). */
    void forward(String ruleArn, String targetGroupArn);

    void deleteRule(String ruleArn);

    /** Every target group carrying {@link ResourceTags#PROJECT}. */
    List<TaggedResource> targetGroups();

    /** Every rule of every shard's listener carrying {@link ResourceTags#PROJECT}; {@code name} is its host. */
    List<TaggedResource> hostRules();
}
