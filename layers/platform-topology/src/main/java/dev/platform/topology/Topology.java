package dev.platform.topology;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one place that declares every function, its trigger and what it may reach, plus the shared
 * table, queues and event bus. The CDK app builds AWS resources from it and the local runtime
 * wires the same triggers in-process from it: adding a function is one entry here.
 */
public final class Topology {

    /** {@code source} of every event the platform puts on its bus. */
    public static final String EVENT_SOURCE = dev.platform.core.events.PlatformEvent.SOURCE;

    public static final DataTable TABLE = new DataTable(
            "platform",
            "PK", "SK",
            List.of(
                    // memberships by user: USER#<userId> -> TEAM#<teamId>
                    new DataTable.GlobalIndex("GSI1", "GSI1PK", "GSI1SK", DataTable.Projection.ALL),
                    // sparse: only active previews, sorted by last inbound request. Keys only, so the
                    // frequent preview writes that leave its keys alone do not write the index as well.
                    new DataTable.GlobalIndex("GSI2", "GSI2PK", "GSI2SK", DataTable.Projection.KEYS_ONLY)),
            "expiresAt");

    public static final QueueSpec REPO_EVENTS =
            new QueueSpec("repo-events.fifo", true, 5, "repo-events-dlq.fifo");

    public static final FunctionSpec GITHUB_WEBHOOK = new FunctionSpec(
            "github-webhook",
            "dev.platform.functions.githubwebhook.GitHubWebhookHandler",
            512, 10,
            new Trigger.HttpRoute("POST", "/webhooks/github"),
            List.of(new Grant.SendMessages(REPO_EVENTS), new Grant.ReadWebhookSecret()));

    /** The builder's ECS task definition family: its task state changes reach {@link #BUILD_WATCHER}. */
    public static final String BUILDER_FAMILY = "platform-builder";
    /** The builder task definition's one container, which builder tasks override with their build. */
    public static final String BUILDER_CONTAINER = "builder";

    public static final FunctionSpec PREVIEW_ORCHESTRATOR = new FunctionSpec(
            "preview-orchestrator",
            "dev.platform.functions.previeworchestrator.PreviewOrchestratorHandler",
            1024, 30,
            new Trigger.QueueTrigger(REPO_EVENTS, 10),
            // the GitHub App answers whether the approver of a fork's build may approve
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents(), new Grant.ActAsGitHubApp()));

    /** Streams a commit's tarball (up to the snapshot cap) to S3 and starts the builder: minutes, not seconds. */
    public static final FunctionSpec BUILD_LAUNCHER = new FunctionSpec(
            "build-launcher",
            "dev.platform.functions.buildlauncher.BuildLauncherHandler",
            1024, 300,
            new Trigger.EventRule(List.of("BuildRequested", "PreviewTeardownRequested")),
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents(), new Grant.ActAsGitHubApp(),
                    new Grant.WriteSources(), new Grant.RunBuilderTasks(), new Grant.DescribeImages()));

    public static final FunctionSpec BUILD_WATCHER = new FunctionSpec(
            "build-watcher",
            "dev.platform.functions.buildwatcher.BuildWatcherHandler",
            512, 60,
            new Trigger.EcsTaskStateChange(BUILDER_FAMILY, List.of("STOPPED")),
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents(), new Grant.ActAsGitHubApp(),
                    new Grant.DescribeImages()));

    /** GitHub does not retry a failed delivery: every 10 minutes the failed ones of the last 3 hours are asked for again. */
    public static final FunctionSpec WEBHOOK_REDELIVERER = new FunctionSpec(
            "webhook-redeliverer",
            "dev.platform.functions.webhookredeliverer.WebhookRedelivererHandler",
            512, 120,
            new Trigger.Schedule(10),
            List.of(new Grant.ActAsGitHubApp()));

    /** Runs a built image behind its environment's host: target group, task definition, service, host rule. */
    public static final FunctionSpec DEPLOYER = new FunctionSpec(
            "deployer",
            "dev.platform.functions.deployer.DeployerHandler",
            1024, 120,
            new Trigger.EventRule(List.of("BuildSucceeded")),
            // the GitHub App reports the deployment on the pull request
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents(), new Grant.ActAsGitHubApp(),
                    new Grant.ManageServices(), new Grant.ManageRouting()));

    /** An app service's rollout completed or failed: the deployment serves, or the one before it still does. */
    public static final FunctionSpec DEPLOYMENT_WATCHER = new FunctionSpec(
            "deployment-watcher",
            "dev.platform.functions.deploymentwatcher.DeploymentWatcherHandler",
            512, 60,
            new Trigger.EcsDeploymentStateChange(),
            // points a service back at the latest deployment when an older rollout completed last
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents(), new Grant.ActAsGitHubApp(),
                    new Grant.ManageServices(), new Grant.ManageRouting()));

    /** A closed pull request's preview: rule, service, target group and task definitions removed. */
    public static final FunctionSpec PREVIEW_TEARDOWN = new FunctionSpec(
            "preview-teardown",
            "dev.platform.functions.previewteardown.PreviewTeardownHandler",
            512, 300,
            new Trigger.EventRule(List.of("PreviewTeardownRequested")),
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents(), new Grant.ActAsGitHubApp(),
                    new Grant.ManageServices(), new Grant.ManageRouting()));

    /** The safety net under teardown: every 15 minutes, tagged resources of environments that are gone are removed. */
    public static final FunctionSpec RECONCILER = new FunctionSpec(
            "reconciler",
            "dev.platform.functions.reconciler.ReconcilerHandler",
            512, 300,
            new Trigger.Schedule(15),
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents(), new Grant.ActAsGitHubApp(),
                    new Grant.ManageServices(), new Grant.ManageRouting()));

    /** Every 5 minutes: idle previews sleep, stale ones get notice and then expire, each project stays under its cap. */
    public static final FunctionSpec AUTO_SLEEP = new FunctionSpec(
            "auto-sleep",
            "dev.platform.functions.autosleep.AutoSleepHandler",
            1024, 300,
            new Trigger.Schedule(5),
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents(), new Grant.ActAsGitHubApp(),
                    new Grant.ManageServices(), new Grant.ManageRouting(), new Grant.ReadTraffic()));

    /** A request to a sleeping preview: the service starts (once), the caller gets a "waking up" page. */
    public static final FunctionSpec WAKER = new FunctionSpec(
            "waker",
            "dev.platform.functions.waker.WakerHandler",
            512, 10,
            new Trigger.LoadBalancerTarget(),
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents(), new Grant.ManageServices()));

    /** {@code /preview} commands act on their preview; a preview that starts running keeps its project under the cap. */
    public static final FunctionSpec PREVIEW_CONTROLLER = new FunctionSpec(
            "preview-controller",
            "dev.platform.functions.previewcontroller.PreviewControllerHandler",
            512, 60,
            new Trigger.EventRule(List.of("PreviewCommandRequested", "PreviewWaking", "DeploymentSucceeded")),
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents(), new Grant.ActAsGitHubApp(),
                    new Grant.ManageServices(), new Grant.ManageRouting()));

    /**
     * Resolves an API token to its user for API Gateway. Answers are cached for 30 s per token: a revoked token
     * can still pass the gateway for that long, and the functions check nothing more (see the README).
     */
    public static final FunctionSpec API_AUTHORIZER = new FunctionSpec(
            "api-authorizer",
            "dev.platform.functions.apiauthorizer.ApiAuthorizerHandler",
            512, 10,
            new Trigger.ApiAuthorizer(30),
            List.of(new Grant.ReadWriteTable()));

    /** The caller, their API tokens, and accepting an invitation (which can create the user). */
    public static final FunctionSpec API_USERS = new FunctionSpec(
            "api-users",
            "dev.platform.functions.apiusers.ApiUsersHandler",
            512, 10,
            new Trigger.ApiRoutes(List.of(
                    Trigger.ApiRoute.authorized("GET", "/v1/user"),
                    Trigger.ApiRoute.authorized("POST", "/v1/tokens"),
                    Trigger.ApiRoute.authorized("GET", "/v1/tokens"),
                    Trigger.ApiRoute.authorized("DELETE", "/v1/tokens/{tokenId}"),
                    // open: an invitee without an account accepts with the invitation's token alone
                    Trigger.ApiRoute.open("POST", "/v1/invitations/accept"))),
            List.of(new Grant.ReadWriteTable()));

    /** Teams, their members, invitations and audit log. */
    public static final FunctionSpec API_TEAMS = new FunctionSpec(
            "api-teams",
            "dev.platform.functions.apiteams.ApiTeamsHandler",
            512, 10,
            new Trigger.ApiRoutes(List.of(
                    Trigger.ApiRoute.authorized("POST", "/v1/teams"),
                    Trigger.ApiRoute.authorized("GET", "/v1/teams"),
                    Trigger.ApiRoute.authorized("GET", "/v1/teams/{teamId}"),
                    Trigger.ApiRoute.authorized("PATCH", "/v1/teams/{teamId}"),
                    Trigger.ApiRoute.authorized("DELETE", "/v1/teams/{teamId}"),
                    Trigger.ApiRoute.authorized("GET", "/v1/teams/{teamId}/members"),
                    Trigger.ApiRoute.authorized("PATCH", "/v1/teams/{teamId}/members/{userId}"),
                    Trigger.ApiRoute.authorized("DELETE", "/v1/teams/{teamId}/members/{userId}"),
                    Trigger.ApiRoute.authorized("POST", "/v1/teams/{teamId}/invitations"),
                    Trigger.ApiRoute.authorized("GET", "/v1/teams/{teamId}/invitations"),
                    Trigger.ApiRoute.authorized("DELETE", "/v1/teams/{teamId}/invitations/{invitationId}"),
                    Trigger.ApiRoute.authorized("GET", "/v1/teams/{teamId}/audit"))),
            List.of(new Grant.ReadWriteTable()));

    /** Projects: connect a repository, its build, deploy and preview settings. */
    public static final FunctionSpec API_PROJECTS = new FunctionSpec(
            "api-projects",
            "dev.platform.functions.apiprojects.ApiProjectsHandler",
            512, 10,
            new Trigger.ApiRoutes(List.of(
                    Trigger.ApiRoute.authorized("POST", "/v1/teams/{teamId}/projects"),
                    Trigger.ApiRoute.authorized("GET", "/v1/teams/{teamId}/projects"),
                    Trigger.ApiRoute.authorized("GET", "/v1/projects/{projectId}"),
                    Trigger.ApiRoute.authorized("PATCH", "/v1/projects/{projectId}"),
                    Trigger.ApiRoute.authorized("DELETE", "/v1/projects/{projectId}"))),
            // deleting a project requests the teardown of its previews
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents()));

    /** A project's environment variables: set, delete, history, import and export, sealed with the platform's key. */
    public static final FunctionSpec API_ENV = new FunctionSpec(
            "api-env",
            "dev.platform.functions.apienv.ApiEnvHandler",
            512, 28,
            new Trigger.ApiRoutes(List.of(
                    Trigger.ApiRoute.authorized("GET", "/v1/projects/{projectId}/env"),
                    Trigger.ApiRoute.authorized("PUT", "/v1/projects/{projectId}/env/{scope}/{name}"),
                    Trigger.ApiRoute.authorized("DELETE", "/v1/projects/{projectId}/env/{scope}/{name}"),
                    Trigger.ApiRoute.authorized("GET", "/v1/projects/{projectId}/env/{scope}/{name}/history"),
                    Trigger.ApiRoute.authorized("POST", "/v1/projects/{projectId}/env/import"),
                    Trigger.ApiRoute.authorized("GET", "/v1/projects/{projectId}/env/export"))),
            List.of(new Grant.ReadWriteTable(), new Grant.SealEnvironmentValues()));

    /** A project's previews (read, act on, remove), deployments (list, promote) and builds. */
    public static final FunctionSpec API_PREVIEWS = new FunctionSpec(
            "api-previews",
            "dev.platform.functions.apipreviews.ApiPreviewsHandler",
            512, 28,
            new Trigger.ApiRoutes(List.of(
                    Trigger.ApiRoute.authorized("GET", "/v1/projects/{projectId}/previews"),
                    Trigger.ApiRoute.authorized("GET", "/v1/projects/{projectId}/previews/{pr}"),
                    Trigger.ApiRoute.authorized("DELETE", "/v1/projects/{projectId}/previews/{pr}"),
                    Trigger.ApiRoute.authorized("POST", "/v1/projects/{projectId}/previews/{pr}/wake"),
                    Trigger.ApiRoute.authorized("POST", "/v1/projects/{projectId}/previews/{pr}/sleep"),
                    Trigger.ApiRoute.authorized("POST", "/v1/projects/{projectId}/previews/{pr}/extend"),
                    Trigger.ApiRoute.authorized("POST", "/v1/projects/{projectId}/previews/{pr}/redeploy"),
                    Trigger.ApiRoute.authorized("GET", "/v1/projects/{projectId}/deployments"),
                    Trigger.ApiRoute.authorized("GET", "/v1/projects/{projectId}/builds/{buildId}"),
                    Trigger.ApiRoute.authorized("POST", "/v1/projects/{projectId}/deployments/{deploymentId}/promote"))),
            // preview actions and removal are events the preview controller and teardown act on; promote updates
            // the production (or preview) service itself, within API Gateway's 29 s
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents(), new Grant.ManageServices()));

    private static final List<FunctionSpec> FUNCTIONS = List.of(GITHUB_WEBHOOK, PREVIEW_ORCHESTRATOR, BUILD_LAUNCHER,
            BUILD_WATCHER, WEBHOOK_REDELIVERER, DEPLOYER, DEPLOYMENT_WATCHER, PREVIEW_TEARDOWN, RECONCILER, AUTO_SLEEP, WAKER,
            PREVIEW_CONTROLLER, API_AUTHORIZER, API_USERS, API_TEAMS, API_PROJECTS, API_PREVIEWS, API_ENV);

    private Topology() {
    }

    public static List<FunctionSpec> functions() {
        return FUNCTIONS;
    }

    public static Optional<FunctionSpec> function(String name) {
        return FUNCTIONS.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Every HTTP route of every function, webhook and REST API alike, as {@code METHOD path}. */
    public static List<String> httpRoutes() {
        return FUNCTIONS.stream()
                .flatMap(f -> switch (f.trigger()) {
                    case Trigger.HttpRoute route -> Stream.of(route.method() + " " + route.path());
                    case Trigger.ApiRoutes api -> api.routes().stream().map(route -> route.method() + " " + route.path());
                    default -> Stream.empty();
                })
                .toList();
    }

    /** Every queue that triggers a function or receives messages from one. */
    public static List<QueueSpec> queues() {
        return queuesOf(FUNCTIONS);
    }

    /** The queues these functions are triggered by or send to, each once. */
    public static List<QueueSpec> queuesOf(List<FunctionSpec> functions) {
        return functions.stream()
                .flatMap(f -> Stream.concat(
                        f.trigger() instanceof Trigger.QueueTrigger q ? Stream.of(q.queue()) : Stream.empty(),
                        f.grants().stream()
                                .flatMap(g -> g instanceof Grant.SendMessages s ? Stream.of(s.queue()) : Stream.empty())))
                .distinct()
                .toList();
    }
}
