package dev.platform.core.deploy;

import java.util.Map;

/**
 * A long-running service of one environment: its tasks run {@code taskDefinitionArn} on Fargate
 * (private subnets, the preview security group, a deployment circuit breaker with rollback: all
 * adapter configuration) and register with {@code targetGroupArn}.
 *
 * @param clientToken idempotency token of the creation, at most 36 characters (ECS's limit)
 * @param containerName and {@code containerPort}: where the target group sends traffic
 */
public record ServiceSpec(String serviceName, String clientToken, String taskDefinitionArn, String targetGroupArn,
                          String containerName, int containerPort, int desiredCount, Map<String, String> tags) {
    public ServiceSpec {
        if (clientToken.length() > 36) {
            throw new IllegalArgumentException("ECS client tokens hold at most 36 characters: " + clientToken);
        }
        tags = Map.copyOf(tags);
    }
}
