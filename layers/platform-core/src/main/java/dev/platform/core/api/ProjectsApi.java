package dev.platform.core.api;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.deploy.DeploySettings;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.sleep.SleepPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Projects: the {@code api-projects} routes. */
public final class ProjectsApi {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9-]{1,40}");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}");
    /** Git's ref rules, the parts that matter for a branch name. */
    static final Pattern BRANCH = Pattern.compile("(?!/)(?!.*\\.\\.)(?!.*//)(?!.*@\\{)[A-Za-z0-9._/-]{1,255}(?<![/.])(?<!\\.lock)");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._/-]{1,255}");
    private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Set<String> FIELDS = Set.of("name", "slug", "repository", "productionBranch", "build", "deploy", "previews");
    private static final Set<String> BUILD = Set.of("dockerfile", "context", "target", "args");
    private static final Set<String> DEPLOY = Set.of("port", "healthCheckPath", "cpu", "memory", "command");
    private static final Set<String> PREVIEWS = Set.of("sleepAfter", "expireAfter", "maxActivePreviews");
    /** Fargate's sizes: the memory (MiB) each CPU size (units) allows. */
    private static final Map<Integer, int[]> FARGATE = Map.of(256, new int[] {512, 2048, 512}, 512, new int[] {1024, 4096, 1024},
            1024, new int[] {2048, 8192, 1024}, 2048, new int[] {4096, 16384, 1024}, 4096, new int[] {8192, 30720, 1024});

    private final ApiContext context;
    private final ApiStore store;
    private final PlatformEventPublisher events;
    private final SleepPolicy platformPolicy;

    /** @param platformPolicy the preview policy a new project starts with: the platform's */
    public ProjectsApi(ApiContext context, PlatformEventPublisher events, SleepPolicy platformPolicy) {
        this.context = context;
        this.store = context.store();
        this.events = events;
        this.platformPolicy = platformPolicy;
    }

    public ApiResponse handle(ApiRequest request) {
        return switch (request.operation()) {
            case "POST /v1/teams/{teamId}/projects" -> create(request);
            case "GET /v1/teams/{teamId}/projects" -> list(request);
            case "GET /v1/projects/{projectId}" -> get(request);
            case "PATCH /v1/projects/{projectId}" -> update(request);
            case "DELETE /v1/projects/{projectId}" -> delete(request);
            default -> throw ApiProblem.notFound("route " + request.operation());
        };
    }

    /** {@code "r<revision>"}: what {@code If-Match} must send back. */
    static String etag(Project project) {
        return "\"r" + project.revision() + "\"";
    }

    private ApiResponse withEtag(ApiResponse response, Project project) {
        return response.withHeader("ETag", etag(project));
    }

    private ApiResponse create(ApiRequest request) {
        String teamId = request.path("teamId");
        context.require(request, teamId, Permission.MANAGE_PROJECTS, "project.create", "team:" + teamId);
        JsonBody body = JsonBody.of(request, FIELDS);
        String name = body.requiredString("name", UsersApi.NAME, UsersApi.NAME_RULE);
        String slug = body.string("slug", SLUG, "must be 1 to 40 lower-case letters, digits and dashes").orElse(slugOf(name));
        String repository = body.requiredString("repository", REPOSITORY, "must be a GitHub repository as owner/name");
        String branch = body.string("productionBranch", BRANCH, "must be a valid branch name").orElse("main");
        Instant now = context.now();
        Project project = new Project(newProjectId(), teamId, name, slug, repository, branch,
                build(body, BuildSettings.DEFAULTS), deploy(body, DeploySettings.DEFAULTS), previews(body, platformPolicy),
                1, now, now);
        try {
            store.createProject(project, context.audit(request, teamId, "project.create",
                    "project:" + project.projectId().value(), "succeeded"));
        } catch (ApiStore.Conflict slugTaken) {
            throw new ApiProblem(409, "slug_taken", "the team has a project with the slug " + slug, "slug");
        }
        return withEtag(ApiResponse.created(ApiViews.project(project)), project);
    }

    private ApiResponse list(ApiRequest request) {
        String teamId = request.path("teamId");
        context.require(request, teamId, Permission.READ, "project.list", "team:" + teamId);
        String list = "projects:" + teamId;
        Page<Project> page = store.projects(teamId, context.after(request, list), context.limit(request));
        return ApiResponse.ok(ApiViews.page(page.items(), ApiViews::project, context.nextCursor(list, page)));
    }

    private Project project(ApiRequest request, Permission permission, String action) {
        return context.project(request, permission, action, "project:" + request.path("projectId"));
    }

    private ApiResponse get(ApiRequest request) {
        Project project = project(request, Permission.READ, "project.read");
        return withEtag(ApiResponse.ok(ApiViews.project(project)), project);
    }

    private ApiResponse update(ApiRequest request) {
        Project current = project(request, Permission.MANAGE_PROJECTS, "project.update");
        Optional<String> ifMatch = request.header("If-Match");
        if (ifMatch.isPresent() && !ifMatch.get().trim().equals("*") && !ifMatch.get().trim().equals(etag(current))) {
            throw new ApiProblem(412, "precondition_failed", "the project changed since " + ifMatch.get().trim()
                    + "; it is now " + etag(current));
        }
        JsonBody body = JsonBody.of(request, FIELDS);
        if (body.size() == 0) {
            throw ApiProblem.invalid("body", "names no field to change");
        }
        Project updated = new Project(current.projectId(), current.teamId(),
                body.string("name", UsersApi.NAME, UsersApi.NAME_RULE).orElse(current.name()),
                body.string("slug", SLUG, "must be 1 to 40 lower-case letters, digits and dashes").orElse(current.slug()),
                body.string("repository", REPOSITORY, "must be a GitHub repository as owner/name").orElse(current.repository()),
                body.string("productionBranch", BRANCH, "must be a valid branch name").orElse(current.productionBranch()),
                build(body, current.build()), deploy(body, current.deploy()), previews(body, current.previews()),
                current.revision() + 1, current.createdAt(), context.now());
        try {
            store.updateProject(current, updated, context.audit(request, current.teamId(), "project.update",
                    "project:" + current.projectId().value(), "succeeded"));
        } catch (ApiStore.Conflict conflict) {
            Optional<Project> now = store.project(current.projectId());
            if (now.isEmpty() || now.get().revision() != current.revision()) {
                throw new ApiProblem(412, "precondition_failed", "the project changed meanwhile; read it again");
            }
            throw new ApiProblem(409, "slug_taken", "the team has a project with the slug " + updated.slug(), "slug");
        }
        return withEtag(ApiResponse.ok(ApiViews.project(updated)), updated);
    }

    /**
     * Gone from reads at once; its previews' teardown is requested, and production's resources, tagged with the
     * project, are removed by the reconciler once their project is gone.
     */
    private ApiResponse delete(ApiRequest request) {
        Project project = project(request, Permission.MANAGE_PROJECTS, "project.delete");
        List<PrNumber> previews = store.previewNumbers(project.projectId());
        try {
            store.deleteProject(project, context.audit(request, project.teamId(), "project.delete",
                    "project:" + project.projectId().value(), "succeeded"));
        } catch (ApiStore.Conflict changed) {
            throw new ApiProblem(412, "precondition_failed", "the project changed meanwhile; read it again");
        }
        if (!previews.isEmpty()) {
            events.publish(previews.stream()
                    .<PlatformEvent>map(pr -> new PlatformEvent.PreviewTeardownRequested(project.projectId(), pr,
                            request.requireCaller().userId())).toList());
        }
        return ApiResponse.noContent();
    }

    private static BuildSettings build(JsonBody body, BuildSettings current) {
        Optional<JsonBody> build = body.object("build", BUILD);
        if (build.isEmpty()) {
            return current;
        }
        JsonBody b = build.get();
        return new BuildSettings(
                b.string("dockerfile", PATH, "must be a path in the repository").orElse(current.dockerfile()),
                b.string("context", PATH, "must be a directory in the repository").orElse(current.context()),
                b.string("target", Pattern.compile("[A-Za-z0-9._-]{0,128}"), "must be a stage name").orElse(current.target()),
                b.stringMap("args", ARG_NAME, 100, 4096).orElse(current.buildArgs()));
    }

    private static DeploySettings deploy(JsonBody body, DeploySettings current) {
        Optional<JsonBody> deploy = body.object("deploy", DEPLOY);
        if (deploy.isEmpty()) {
            return current;
        }
        JsonBody d = deploy.get();
        int cpu = d.integer("cpu", 256, 4096).orElse(current.cpu());
        int memory = d.integer("memory", 512, 30720).orElse(current.memoryMiB());
        int[] range = FARGATE.get(cpu);
        if (range == null) {
            throw ApiProblem.invalid("deploy.cpu", "must be a Fargate size: 256, 512, 1024, 2048 or 4096");
        }
        if (memory < range[0] || memory > range[1] || (memory - range[0]) % range[2] != 0) {
            throw ApiProblem.invalid("deploy.memory", "must be from " + range[0] + " to " + range[1] + " MiB in steps of "
                    + range[2] + " for " + cpu + " CPU units");
        }
        return new DeploySettings(d.integer("port", 1, 65535).orElse(current.port()),
                d.string("healthCheckPath", Pattern.compile("/[\\x21-\\x7e]{0,1023}"), "must be a path starting with /")
                        .orElse(current.healthCheckPath()),
                cpu, memory, d.strings("command", 64, 4096).orElse(current.command()));
    }

    private static SleepPolicy previews(JsonBody body, SleepPolicy current) {
        Optional<JsonBody> previews = body.object("previews", PREVIEWS);
        if (previews.isEmpty()) {
            return current;
        }
        JsonBody p = previews.get();
        return new SleepPolicy(p.duration("sleepAfter", Duration.ofMinutes(1), Duration.ofDays(7)).orElse(current.sleepAfter()),
                p.duration("expireAfter", Duration.ofHours(1), Duration.ofDays(90)).orElse(current.expireAfter()),
                p.integer("maxActivePreviews", 1, 100).orElse(current.maxActivePreviews()));
    }

    /** The slug a name gives: lower case, runs of anything else as one dash, at most 40 characters. */
    public static String slugOf(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        slug = slug.length() > 40 ? slug.substring(0, 40).replaceAll("-+$", "") : slug;
        return slug.isEmpty() ? "project" : slug;
    }

    /** Opaque, and of the form project ids have (they appear in hosts and resource names): p + 15 base-36 characters. */
    private static ProjectId newProjectId() {
        String random = Secrets.newId("").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return ProjectId.of("p" + random.substring(0, 15));
    }
}
