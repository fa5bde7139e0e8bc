package dev.platform.core.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.events.PlatformEvent.BuildFailed;
import dev.platform.core.events.PlatformEvent.BuildRequested;
import dev.platform.core.events.PlatformEvent.BuildSucceeded;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.events.PlatformEvent.DeploymentFailed;
import dev.platform.core.events.PlatformEvent.DeploymentSucceeded;
import dev.platform.core.events.PlatformEvent.OrphansRemoved;
import dev.platform.core.events.PlatformEvent.PreviewCommandRequested;
import dev.platform.core.events.PlatformEvent.PreviewExpired;
import dev.platform.core.events.PlatformEvent.PreviewExpiring;
import dev.platform.core.events.PlatformEvent.PreviewSlept;
import dev.platform.core.events.PlatformEvent.PreviewTeardownRequested;
import dev.platform.core.events.PlatformEvent.PreviewTornDown;
import dev.platform.core.events.PlatformEvent.PreviewWaking;
import dev.platform.core.events.PlatformEvent.PreviewWoke;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.Json;
import dev.platform.core.preview.PreviewCommand;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code detail} JSON of each platform event, the whole envelope as the local runtime records it,
 * and back: functions triggered by the bus read their event's {@code detail-type} and {@code detail}.
 */
public final class PlatformEventCodec {
    private PlatformEventCodec() {
    }

    public static ObjectNode detail(PlatformEvent event) {
        ObjectNode detail = Json.object();
        switch (event) {
            case BuildRequested b -> {
                build(detail, b.projectId(), b.target(), b.pr(), b.commitSha(), b.buildId());
                detail.put("requestId", b.requestId());
            }
            case PreviewTeardownRequested t -> {
                detail.put("projectId", t.projectId().value());
                detail.put("pr", t.pr().value());
                if (t.requestedBy() != null) {
                    detail.put("requestedBy", t.requestedBy());
                }
            }
            case BuildSucceeded b -> {
                build(detail, b.projectId(), b.target(), b.pr(), b.commitSha(), b.buildId());
                detail.put("imageUri", b.imageUri());
                detail.put("requestId", b.requestId());
            }
            case BuildFailed b -> {
                build(detail, b.projectId(), b.target(), b.pr(), b.commitSha(), b.buildId());
                detail.put("reason", b.reason());
                detail.put("requestId", b.requestId());
            }
            case DeploymentSucceeded d -> {
                deployment(detail, d.projectId(), d.target(), d.pr(), d.commitSha(), d.deploymentId());
                detail.put("url", d.url());
            }
            case DeploymentFailed d -> {
                deployment(detail, d.projectId(), d.target(), d.pr(), d.commitSha(), d.deploymentId());
                detail.put("reason", d.reason());
            }
            case PreviewTornDown t -> {
                detail.put("projectId", t.projectId().value());
                detail.put("pr", t.pr().value());
            }
            case PreviewCommandRequested c -> {
                detail.put("projectId", c.projectId().value());
                detail.put("pr", c.pr().value());
                detail.put("command", c.command().wireName());
                if (c.extendBy() == null) {
                    detail.putNull("extendBy");
                } else {
                    detail.put("extendBy", c.extendBy().toString());
                }
                detail.put("requestedBy", c.requestedBy());
                detail.put("commentId", c.commentId());
                detail.put("deliveryId", c.deliveryId());
            }
            case PreviewSlept e -> preview(detail, e.projectId(), e.pr()).put("reason", e.reason());
            case PreviewWaking e -> preview(detail, e.projectId(), e.pr()).put("requestedBy", e.requestedBy());
            case PreviewWoke e -> preview(detail, e.projectId(), e.pr()).put("url", e.url());
            case PreviewExpiring e -> preview(detail, e.projectId(), e.pr()).put("expiresAt", e.expiresAt().toString());
            case PreviewExpired e -> preview(detail, e.projectId(), e.pr());
            case OrphansRemoved o -> {
                detail.put("removed", o.removed());
                o.resources().forEach(detail.putArray("resources")::add);
            }
        }
        return detail;
    }

    private static ObjectNode preview(ObjectNode detail, ProjectId project, PrNumber pr) {
        return detail.put("projectId", project.value()).put("pr", pr.value());
    }

    private static void build(ObjectNode detail, ProjectId project, BuildTarget target, PrNumber pr, CommitSha commit,
                              BuildId buildId) {
        environment(detail, project, target, pr, commit);
        detail.put("buildId", buildId.value());
    }

    private static void deployment(ObjectNode detail, ProjectId project, BuildTarget target, PrNumber pr, CommitSha commit,
                                   String deploymentId) {
        environment(detail, project, target, pr, commit);
        detail.put("deploymentId", deploymentId);
    }

    private static void environment(ObjectNode detail, ProjectId project, BuildTarget target, PrNumber pr, CommitSha commit) {
        detail.put("projectId", project.value());
        detail.put("target", target.wireName());
        if (pr == null) {
            detail.putNull("pr");
        } else {
            detail.put("pr", pr.value());
        }
        detail.put("commitSha", commit.value());
    }

    /** {@code {"source":"platform","detail-type":"...","detail":{...}}} */
    public static String envelope(PlatformEvent event) {
        ObjectNode line = Json.object();
        line.put("source", PlatformEvent.SOURCE);
        line.put("detail-type", event.detailType());
        line.set("detail", detail(event));
        return Json.write(line);
    }

    /**
     * The event of this {@code detail-type} and {@code detail}.
     *
     * @throws IllegalArgumentException naming the detail type or field that is wrong
     */
    public static PlatformEvent read(String detailType, JsonNode detail) {
        if (detail == null || !detail.isObject()) {
            throw new IllegalArgumentException(detailType + ": detail must be a JSON object");
        }
        try {
            return switch (detailType) {
                case "BuildRequested" -> new BuildRequested(project(detail), target(detail), pr(detail), commit(detail),
                        buildId(detail), text(detail, "requestId"));
                case "PreviewTeardownRequested" -> new PreviewTeardownRequested(project(detail),
                        PrNumber.of(number(detail, "pr")), detail.hasNonNull("requestedBy") ? text(detail, "requestedBy") : null);
                case "BuildSucceeded" -> new BuildSucceeded(project(detail), target(detail), pr(detail), commit(detail),
                        buildId(detail), text(detail, "imageUri"), text(detail, "requestId"));
                case "BuildFailed" -> new BuildFailed(project(detail), target(detail), pr(detail), commit(detail),
                        buildId(detail), text(detail, "reason"), text(detail, "requestId"));
                case "DeploymentSucceeded" -> new DeploymentSucceeded(project(detail), target(detail), pr(detail),
                        commit(detail), text(detail, "deploymentId"), text(detail, "url"));
                case "DeploymentFailed" -> new DeploymentFailed(project(detail), target(detail), pr(detail), commit(detail),
                        text(detail, "deploymentId"), text(detail, "reason"));
                case "PreviewTornDown" -> new PreviewTornDown(project(detail), PrNumber.of(number(detail, "pr")));
                case "PreviewCommandRequested" -> new PreviewCommandRequested(project(detail),
                        PrNumber.of(number(detail, "pr")), PreviewCommand.Kind.fromWire(text(detail, "command")),
                        duration(detail, "extendBy"), text(detail, "requestedBy"), longNumber(detail, "commentId"),
                        text(detail, "deliveryId"));
                case "PreviewSlept" -> new PreviewSlept(project(detail), PrNumber.of(number(detail, "pr")), text(detail, "reason"));
                case "PreviewWaking" -> new PreviewWaking(project(detail), PrNumber.of(number(detail, "pr")),
                        text(detail, "requestedBy"));
                case "PreviewWoke" -> new PreviewWoke(project(detail), PrNumber.of(number(detail, "pr")), text(detail, "url"));
                case "PreviewExpiring" -> new PreviewExpiring(project(detail), PrNumber.of(number(detail, "pr")),
                        java.time.Instant.parse(text(detail, "expiresAt")));
                case "PreviewExpired" -> new PreviewExpired(project(detail), PrNumber.of(number(detail, "pr")));
                case "OrphansRemoved" -> new OrphansRemoved(number(detail, "removed"), texts(detail, "resources"));
                default -> throw new IllegalArgumentException("unknown platform event '" + detailType + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(detailType + ": " + e.getMessage(), e);
        }
    }

    /** {@link #read(String, JsonNode)} of a detail given as JSON text. */
    public static PlatformEvent read(String detailType, String detailJson) {
        try {
            return read(detailType, Json.MAPPER.readTree(detailJson));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(detailType + ": detail is not valid JSON", e);
        }
    }

    private static ProjectId project(JsonNode detail) {
        return ProjectId.of(text(detail, "projectId"));
    }

    private static BuildTarget target(JsonNode detail) {
        return BuildTarget.fromWire(text(detail, "target"));
    }

    private static PrNumber pr(JsonNode detail) {
        JsonNode pr = detail.get("pr");
        return pr == null || pr.isNull() ? null : PrNumber.of(number(detail, "pr"));
    }

    private static CommitSha commit(JsonNode detail) {
        return CommitSha.of(text(detail, "commitSha"));
    }

    private static BuildId buildId(JsonNode detail) {
        return new BuildId(text(detail, "buildId"));
    }

    private static String text(JsonNode detail, String field) {
        JsonNode value = detail.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static List<String> texts(JsonNode detail, String field) {
        JsonNode values = detail.get(field);
        if (values == null || !values.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be an array of strings");
        }
        List<String> texts = new ArrayList<>();
        values.forEach(value -> texts.add(value.asText()));
        return texts;
    }

    /** An ISO-8601 duration, or null when the field is null or absent. */
    private static Duration duration(JsonNode detail, String field) {
        JsonNode value = detail.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return Duration.parse(text(detail, field));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' must be an ISO-8601 duration");
        }
    }

    private static long longNumber(JsonNode detail, String field) {
        JsonNode value = detail.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + field + "' must be a number");
        }
        return value.asLong();
    }

    private static int number(JsonNode detail, String field) {
        JsonNode value = detail.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new IllegalArgumentException("field '" + field + "' must be a number");
        }
        return value.asInt();
    }
}
