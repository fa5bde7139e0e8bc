package dev.platform.local.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.util.List;
import java.util.Map;

/**
 * The part of EventBridge's event patterns the topology's rules use: exact values, one of a list, for
 * {@code source}, {@code detail-type} and top-level {@code detail} fields.
 */
public record EventPattern(List<String> sources, List<String> detailTypes, Map<String, List<String>> detail) {

    public EventPattern {
        sources = List.copyOf(sources);
        detailTypes = List.copyOf(detailTypes);
        detail = Map.copyOf(detail);
    }

    /** The platform bus rule of an {@link Trigger.EventRule}. */
    public static EventPattern of(Trigger.EventRule rule) {
        return new EventPattern(List.of(Topology.EVENT_SOURCE), rule.detailTypes(), Map.of());
    }

    /** The default bus rule of an {@link Trigger.EcsTaskStateChange}, as the CDK app declares it. */
    public static EventPattern of(Trigger.EcsTaskStateChange rule) {
        return new EventPattern(List.of(Trigger.EcsTaskStateChange.SOURCE), List.of(Trigger.EcsTaskStateChange.DETAIL_TYPE),
                Map.of("group", List.of("family:" + rule.taskFamily()), "lastStatus", rule.lastStatuses()));
    }

    /** The default bus rule of an {@link Trigger.EcsDeploymentStateChange}: the local ECS holds only the platform's cluster. */
    public static EventPattern of(Trigger.EcsDeploymentStateChange rule) {
        return new EventPattern(List.of(Trigger.EcsDeploymentStateChange.SOURCE),
                List.of(Trigger.EcsDeploymentStateChange.DETAIL_TYPE), Map.of());
    }

    public boolean matches(JsonNode event) {
        if (!sources.contains(event.path("source").asText()) || !detailTypes.contains(event.path("detail-type").asText())) {
            return false;
        }
        return detail.entrySet().stream()
                .allMatch(field -> field.getValue().contains(event.path("detail").path(field.getKey()).asText()));
    }
}
