package dev.platform.aws.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.build.BuilderTaskStopped;
import dev.platform.core.ids.BuildId;
import java.util.Optional;

/**
 * ECS "Task State Change" events (the {@code detail} EventBridge delivers from {@code aws.ecs}) of
 * builder tasks: a stopped task, its build ({@code startedBy}), the builder container's exit code and
 * the reasons ECS gives.
 */
public final class EcsTaskEvents {
    private EcsTaskEvents() {
    }

    /**
     * @return the stopped builder task, or empty for other statuses and for tasks no build started
     * @throws IllegalArgumentException when the detail lacks the task's ARN
     */
    public static Optional<BuilderTaskStopped> stopped(JsonNode detail) {
        if (!"STOPPED".equals(detail.path("lastStatus").asText())) {
            return Optional.empty();
        }
        String taskArn = detail.path("taskArn").asText("");
        if (taskArn.isEmpty()) {
            throw new IllegalArgumentException("ECS task state change without a taskArn");
        }
        BuildId buildId;
        try {
            buildId = new BuildId(detail.path("startedBy").asText(""));
        } catch (IllegalArgumentException notABuild) {
            return Optional.empty();
        }
        Integer attempt = null;
        for (JsonNode override : detail.path("overrides").path("containerOverrides")) {
            for (JsonNode variable : override.path("environment")) {
                if (EcsBuilderTasks.ATTEMPT_VARIABLE.equals(variable.path("name").asText())) {
                    attempt = Integer.valueOf(variable.path("value").asText());
                }
            }
        }
        Integer exitCode = null;
        String containerReason = null;
        for (JsonNode container : detail.path("containers")) {
            if (EcsBuilderTasks.CONTAINER.equals(container.path("name").asText())) {
                exitCode = container.hasNonNull("exitCode") ? container.get("exitCode").asInt() : null;
                containerReason = text(container, "reason");
            }
        }
        return Optional.of(new BuilderTaskStopped(taskArn, buildId, attempt, exitCode, text(detail, "stopCode"),
                text(detail, "stoppedReason"), containerReason));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
