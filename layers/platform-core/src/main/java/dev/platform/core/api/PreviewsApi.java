package dev.platform.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.build.Build;
import dev.platform.core.build.BuildStore;
import dev.platform.core.deploy.Deployment;
import dev.platform.core.deploy.DeploymentRecords;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.PromoteDeployment;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.json.Json;
import dev.platform.core.orchestration.DeploymentStateStore;
import dev.platform.core.orchestration.Stored;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.PreviewCommand;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A project's previews, deployments and builds, and what a user does to them: the {@code api-previews} routes.
 * Preview actions are the same {@code PreviewCommandRequested} a {@code /preview} comment makes (202: the preview
 * controller acts on it); removal is a {@code PreviewTeardownRequested} naming who asked; promote rolls the
 * deployment out at once.
 */
public final class PreviewsApi {
    private static final Duration MAX_EXTENSION = Duration.ofDays(30);

    private final ApiContext context;
    private final ProjectActivity activity;
    private final DeploymentStateStore states;
    private final EnvironmentStore environments;
    private final DeploymentRecords deployments;
    private final BuildStore builds;
    private final PlatformEventPublisher events;
    private final PromoteDeployment promote;

    public PreviewsApi(ApiContext context, ProjectActivity activity, DeploymentStateStore states, EnvironmentStore environments,
                       DeploymentRecords deployments, BuildStore builds, PlatformEventPublisher events, PromoteDeployment promote) {
        this.context = context;
        this.activity = activity;
        this.states = states;
        this.environments = environments;
        this.deployments = deployments;
        this.builds = builds;
        this.events = events;
        this.promote = promote;
    }

    public ApiResponse handle(ApiRequest request) {
        return switch (request.operation()) {
            case "GET /v1/projects/{projectId}/previews" -> list(request);
            case "GET /v1/projects/{projectId}/previews/{pr}" -> get(request);
            case "DELETE /v1/projects/{projectId}/previews/{pr}" -> remove(request);
            case "POST /v1/projects/{projectId}/previews/{pr}/wake" -> command(request, PreviewCommand.Kind.WAKE);
            case "POST /v1/projects/{projectId}/previews/{pr}/sleep" -> command(request, PreviewCommand.Kind.SLEEP);
            case "POST /v1/projects/{projectId}/previews/{pr}/extend" -> command(request, PreviewCommand.Kind.EXTEND);
            case "POST /v1/projects/{projectId}/previews/{pr}/redeploy" -> command(request, PreviewCommand.Kind.REDEPLOY);
            case "GET /v1/projects/{projectId}/deployments" -> listDeployments(request);
            case "GET /v1/projects/{projectId}/builds/{buildId}" -> build(request);
            case "POST /v1/projects/{projectId}/deployments/{deploymentId}/promote" -> promote(request);
            default -> throw ApiProblem.notFound("route " + request.operation());
        };
    }

    private Project project(ApiRequest request, Permission permission, String action, String target) {
        return context.project(request, permission, action, target);
    }

    private static PrNumber pr(ApiRequest request) {
        String value = request.path("pr");
        if (!value.matches("[1-9][0-9]{0,8}")) {
            throw ApiProblem.notFound("preview " + value);
        }
        return PrNumber.of(Integer.parseInt(value));
    }

    private ApiResponse list(ApiRequest request) {
        Project project = project(request, Permission.READ, "preview.list", "project:" + request.path("projectId"));
        String list = "previews:" + project.projectId().value();
        Page<Preview> page = activity.previews(project.projectId(), context.after(request, list), context.limit(request));
        return ApiResponse.ok(ApiViews.page(page.items(), this::preview, context.nextCursor(list, page)));
    }

    private Preview existing(Project project, PrNumber pr) {
        return states.preview(project.projectId(), pr).map(Stored::state)
                .orElseThrow(() -> ApiProblem.notFound("preview " + pr.value() + " of project " + project.projectId().value()));
    }

    private ApiResponse get(ApiRequest request) {
        PrNumber pr = pr(request);
        Project project = project(request, Permission.READ, "preview.read", target(request, pr));
        return ApiResponse.ok(preview(existing(project, pr)));
    }

    private static String target(ApiRequest request, PrNumber pr) {
        return "preview:" + request.path("projectId") + "#" + pr.value();
    }

    private ApiResponse remove(ApiRequest request) {
        PrNumber pr = pr(request);
        String target = target(request, pr);
        Project project = project(request, Permission.DELETE_PREVIEWS, "preview.delete", target);
        existing(project, pr);
        String userId = request.requireCaller().userId();
        events.publish(List.of(new PlatformEvent.PreviewTeardownRequested(project.projectId(), pr, userId)));
        context.store().appendAudit(context.audit(request, project.teamId(), "preview.delete", target, "succeeded"));
        return ApiResponse.accepted(Json.object().put("status", "teardown_requested").put("pr", pr.value()));
    }

    private ApiResponse command(ApiRequest request, PreviewCommand.Kind kind) {
        PrNumber pr = pr(request);
        String target = target(request, pr);
        String action = "preview." + kind.wireName();
        Project project = project(request, Permission.OPERATE_PREVIEWS, action, target);
        JsonBody body = JsonBody.of(request, kind == PreviewCommand.Kind.EXTEND ? Set.of("by") : Set.of());
        Duration extendBy = kind != PreviewCommand.Kind.EXTEND ? null
                : body.duration("by", Duration.ofHours(1), MAX_EXTENSION).orElse(Duration.ofDays(7));
        existing(project, pr);
        Optional<Environment> environment = environments.read(EnvironmentRef.preview(project.projectId(), pr)).map(Stored::state)
                .filter(e -> !e.retired());
        if (environment.isEmpty()) {
            throw ApiProblem.conflict("not_deployed", "preview " + pr.value() + " has nothing deployed to " + kind.wireName());
        }
        // the request id keys the command, as a comment's delivery id does: a retried call acts once
        events.publish(List.of(new PlatformEvent.PreviewCommandRequested(project.projectId(), pr, kind, extendBy,
                request.requireCaller().userId(), 0, "api-" + request.requestId())));
        context.store().appendAudit(context.audit(request, project.teamId(), action, target, "succeeded"));
        ObjectNode answer = Json.object().put("status", "requested").put("command", kind.wireName()).put("pr", pr.value());
        if (extendBy != null) {
            answer.put("by", extendBy.toString());
        }
        return ApiResponse.accepted(answer);
    }

    private ApiResponse listDeployments(ApiRequest request) {
        Project project = project(request, Permission.READ, "deployment.list", "project:" + request.path("projectId"));
        String list = "deployments:" + project.projectId().value();
        Page<Deployment> page = activity.deployments(project.projectId(), context.after(request, list), context.limit(request));
        return ApiResponse.ok(ApiViews.page(page.items(), PreviewsApi::deployment, context.nextCursor(list, page)));
    }

    private ApiResponse build(ApiRequest request) {
        Project project = project(request, Permission.READ, "build.read", "build:" + request.path("buildId"));
        String id = request.path("buildId");
        Build build = (id.matches("[A-Za-z0-9._:-]{1,200}") ? builds.read(new BuildId(id)).map(Stored::state) : Optional.<Build>empty())
                .filter(b -> b.projectId().equals(project.projectId()))
                .orElseThrow(() -> ApiProblem.notFound("build " + id));
        return ApiResponse.ok(build(build));
    }

    private ApiResponse promote(ApiRequest request) {
        String id = request.path("deploymentId");
        Project readable = project(request, Permission.READ, "deployment.promote", "deployment:" + id);
        Deployment earlier = (id.matches("[A-Za-z0-9._:-]{1,200}") ? deployments.deployment(readable.projectId(), id) : Optional.<Deployment>empty())
                .orElseThrow(() -> ApiProblem.notFound("deployment " + id));
        Permission needed = earlier.environment().preview() ? Permission.OPERATE_PREVIEWS : Permission.OPERATE_PRODUCTION;
        context.require(request, readable.teamId(), needed, "deployment.promote", "deployment:" + id);
        Deployment promoted;
        try {
            promoted = promote.promote(readable.projectId(), id, request.requireCaller().userId());
        } catch (PromoteDeployment.NotPromotableException e) {
            throw ApiProblem.conflict("not_promotable", e.getMessage());
        }
        context.store().appendAudit(context.audit(request, readable.teamId(), "deployment.promote", "deployment:" + id, "succeeded"));
        return ApiResponse.accepted(deployment(promoted));
    }

    private ObjectNode preview(Preview preview) {
        ObjectNode node = Json.object().put("pr", preview.pr().value()).put("status", preview.status().wireName())
                .put("headSha", preview.headSha() == null ? null : preview.headSha().value()).put("headRef", preview.headRef())
                .put("draft", preview.draft()).put("fork", preview.fork());
        ApiViews.time(node, "updatedAt", preview.changedAt());
        Optional<Environment> environment = environments.read(EnvironmentRef.preview(preview.projectId(), preview.pr()))
                .map(Stored::state);
        if (environment.isEmpty()) {
            node.putNull("environment");
            return node;
        }
        Environment e = environment.get();
        ObjectNode env = node.putObject("environment").put("status", e.status().wireName()).put("host", e.host());
        ApiViews.time(env, "lastRequestAt", e.lastRequestAt());
        ApiViews.time(env, "expiresAt", e.expiry() == null ? null : e.expiry().at());
        env.put("servingDeploymentId", e.serving() == null ? null : e.serving().deploymentId());
        return node;
    }

    static ObjectNode deployment(Deployment d) {
        ObjectNode node = Json.object().put("deploymentId", d.deploymentId())
                .put("environment", d.environment().preview() ? "preview" : "production");
        if (d.environment().preview()) {
            node.put("pr", d.environment().pr().value());
        } else {
            node.putNull("pr");
        }
        node.put("commitSha", d.commitSha().value()).put("buildId", d.buildId() == null ? null : d.buildId().value())
                .put("imageUri", d.imageUri()).put("status", d.status().wireName()).put("reason", d.reason())
                .put("triggeredBy", d.triggeredBy());
        ApiViews.time(node, "createdAt", d.createdAt());
        ApiViews.time(node, "finishedAt", d.finishedAt());
        return node;
    }

    static ObjectNode build(Build b) {
        ObjectNode node = Json.object().put("buildId", b.buildId().value()).put("projectId", b.projectId().value())
                .put("commitSha", b.commitSha().value()).put("status", b.status().wireName()).put("attempt", b.attempt())
                .put("image", b.image()).put("failureReason", b.failureReason());
        ApiViews.time(node, "createdAt", b.createdAt());
        ApiViews.time(node, "startedAt", b.startedAt());
        ApiViews.time(node, "finishedAt", b.finishedAt());
        return node;
    }
}
