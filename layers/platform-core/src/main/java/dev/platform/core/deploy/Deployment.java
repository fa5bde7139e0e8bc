package dev.platform.core.deploy;

import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;

/**
 * One rollout of an image to an environment ({@code DEPLOY#<id>} of its project).
 *
 * @param deploymentId {@code d-} + creation time in milliseconds (base 36, 9 digits) + 8 random characters:
 *     sorts by creation time, as the table's {@code DEPLOY#} keys do
 * @param taskDefinitionArn the task definition revision it runs (null until registered)
 * @param ecsDeploymentId the ECS deployment rolling it out (null until the service call answered)
 * @param triggeredBy what started it: {@code BuildSucceeded <requestId>}, {@code promote of <id> by <who>}
 * @param reason why it failed (null otherwise)
 */
public record Deployment(String deploymentId, EnvironmentRef environment, CommitSha commitSha, BuildId buildId,
                         String imageUri, String taskDefinitionArn, String ecsDeploymentId, DeploymentStatus status,
                         String reason, String triggeredBy, Instant createdAt, Instant finishedAt) {

    static Deployment started(EnvironmentRef environment, CommitSha commitSha, BuildId buildId, String imageUri,
                              String taskDefinitionArn, String triggeredBy, Instant now) {
        return new Deployment(newId(now), environment, commitSha, buildId, imageUri, taskDefinitionArn, null,
                DeploymentStatus.DEPLOYING, null, triggeredBy, now, null);
    }

    Deployment registered(String taskDefinition) {
        return new Deployment(deploymentId, environment, commitSha, buildId, imageUri, taskDefinition, ecsDeploymentId,
                status, reason, triggeredBy, createdAt, finishedAt);
    }

    Deployment rollingOut(String ecsDeployment) {
        return new Deployment(deploymentId, environment, commitSha, buildId, imageUri, taskDefinitionArn, ecsDeployment,
                status, reason, triggeredBy, createdAt, finishedAt);
    }

    Deployment succeeded(Instant now) {
        return new Deployment(deploymentId, environment, commitSha, buildId, imageUri, taskDefinitionArn, ecsDeploymentId,
                DeploymentStatus.SUCCEEDED, null, triggeredBy, createdAt, now);
    }

    Deployment failed(String why, Instant now) {
        return new Deployment(deploymentId, environment, commitSha, buildId, imageUri, taskDefinitionArn, ecsDeploymentId,
                DeploymentStatus.FAILED, why, triggeredBy, createdAt, now);
    }

    static String newId(Instant now) {
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder("d-");
        String time = Long.toString(now.toEpochMilli(), 36);
        id.append("0".repeat(Math.max(0, 9 - time.length()))).append(time);
        for (int i = 0; i < 8; i++) {
            id.append(Character.forDigit(random.nextInt(36), 36));
        }
        return id.toString().toLowerCase(Locale.ROOT);
    }
}
