package dev.platform.local;

import static dev.platform.embedded.EmbeddedPlatform.EVENT_BUS_NAME;
import static dev.platform.embedded.EmbeddedPlatform.TABLE_NAME;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.dynamodb.DynamoApiStore;
import dev.platform.core.api.ApiContext;
import dev.platform.core.api.ApiStore;
import dev.platform.core.api.Bootstrap;
import dev.platform.core.api.Project;
import dev.platform.core.sleep.SleepPolicy;
import dev.platform.core.api.Secrets;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.embedded.EmbeddedDynamoDb;
import dev.platform.embedded.EmbeddedPlatform;
import dev.platform.embedded.EmbeddedSqs;
import dev.platform.embedded.FreePort;
import dev.platform.embedded.LocalClients;
import dev.platform.local.cloudwatch.LocalCloudWatch;
import dev.platform.local.ecr.LocalEcr;
import dev.platform.local.ecs.LocalEcs;
import dev.platform.local.elb.LambdaTargets;
import dev.platform.local.elb.LocalElb;
import dev.platform.local.elb.LocalRouter;
import dev.platform.local.eventbridge.EventPattern;
import dev.platform.local.eventbridge.LocalEventBus;
import dev.platform.local.github.LocalGitHub;
import dev.platform.local.kms.LocalKms;
import dev.platform.local.lambda.AsyncInvocations;
import dev.platform.local.lambda.LocalContext;
import dev.platform.local.lambda.LocalFunctions;
import dev.platform.local.lambda.QueueEventSource;
import dev.platform.local.s3.LocalS3;
import dev.platform.local.sqs.JournaledSqs;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.QueueSpec;
import dev.platform.topology.Settings;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole control plane in one JVM: embedded DynamoDB Local and ElasticMQ (behind its journaling
 * front, {@code sqs}), the platform bus ({@code eventbridge}: events.jsonl and stdout), the table and
 * queues of the topology, and every function of the topology wired to its trigger. Functions reach
 * each stand-in through their real AWS adapters, by endpoint.
 */
public final class LocalPlatform implements AutoCloseable {
    /** The stand-ins' resource names, as the CDK app would name them. */
    static final String SOURCE_BUCKET = "platform-sources";
    static final String BUILD_CLUSTER = "platform-local";
    static final String IMAGE_REPOSITORY = "platform-previews";
    static final String BUILD_CACHE_REPOSITORY = "platform-build-cache";
    static final String APP_LOG_GROUP = "/platform/apps";
    /** Held so the logger keeps its filter (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger SQLITE_LOG = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

    private final LocalSettings settings;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<QueueEventSource> queueTriggers = new ArrayList<>();
    private final Map<String, String> queueUrls = new HashMap<>();
    private LocalHttpServer http;
    private SqsClient sqs;
    private DynamoDbClient dynamoDb;
    private URI dynamoDbEndpoint;
    private URI sqsEndpoint;
    private JournaledSqs sqsFront;
    private LocalEventBus eventBus;
    private LocalS3 s3;
    private LocalEcr ecr;
    private LocalEcs ecs;
    private LocalElb elb;
    private LocalCloudWatch cloudWatch;
    private LocalKms kms;
    private LocalGitHub gitHub;
    /** The lambda target groups of each load balancer target function ({@link Trigger.LoadBalancerTarget}), shard 0 first. */
    private final Map<FunctionSpec, List<String>> lambdaTargetGroups = new HashMap<>();
    /** The load balancers' Lambda targets by function ARN: their handlers, invoked concurrently. */
    private final Map<String, LambdaTarget> lambdaTargets = new ConcurrentHashMap<>();

    private final LocalSchedules schedules = new LocalSchedules();

    private record LambdaTarget(FunctionSpec function,
                                RequestHandler<ApplicationLoadBalancerRequestEvent, ApplicationLoadBalancerResponseEvent> handler) {
    }

    private LocalPlatform(LocalSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        quietEmbeddedServices();
        // stdout carries the banner and the platform events; function logs go to stderr.
        JsonLog.redirect(System.err);
        LocalSettings settings;
        try {
            settings = LocalSettings.fromEnvironment(System.getenv());
        } catch (LocalSettings.InvalidSetting e) {
            System.err.println("platform-local: " + e.getMessage());
            System.exit(2);
            return;
        }
        LocalPlatform platform;
        try {
            platform = start(settings, System.out);
        } catch (StartupConflict e) {
            System.err.println("platform-local: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(platform::closeQuietly));
        System.out.print(platform.banner());
        System.out.flush();
        Thread.currentThread().join();
    }

    public static LocalPlatform start(LocalSettings settings, PrintStream console) throws IOException {
        LocalPlatform platform = new LocalPlatform(settings);
        try {
            platform.boot(console);
            return platform;
        } catch (IOException | RuntimeException e) {
            platform.closeQuietly();
            throw e;
        }
    }

    /**
     * The embedded services' own chatter stays out of the runtime's output: SQLite's "unknown jar
     * version" (the natives are unpacked from this jar), Pekko's notice that it cannot add a shutdown
     * hook while the runtime's own hook is stopping it, and any library INFO.
     */
    /** The shortest period auto-sleep runs at locally. */
    static final Duration MIN_LOCAL_SWEEP = Duration.ofSeconds(5);

    /**
     * A schedule's period locally: its rate, except auto-sleep's, which is at most a sixth of the shortest sleep
     * policy duration set (and at least {@link #MIN_LOCAL_SWEEP}): with short policies such as
     * {@code PLATFORM_DEFAULT_SLEEP_AFTER=PT1M}, a preview sleeps, gets notice and expires about when the policy
     * says, not at the next 5-minute tick.
     */
    static Duration localPeriod(FunctionSpec function, Trigger.Schedule schedule, LocalSettings.SleepPolicy policy) {
        Duration rate = Duration.ofMinutes(schedule.everyMinutes());
        if (!function.equals(Topology.AUTO_SLEEP)) {
            return rate;
        }
        Duration shortest = java.util.stream.Stream.of(policy.sleepAfter(), policy.expireAfter())
                .filter(java.util.Objects::nonNull).min(Duration::compareTo).orElse(null);
        if (shortest == null) {
            return rate;
        }
        Duration local = shortest.dividedBy(6);
        return local.compareTo(MIN_LOCAL_SWEEP) < 0 ? MIN_LOCAL_SWEEP : local.compareTo(rate) > 0 ? rate : local;
    }

    private static void quietEmbeddedServices() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
        // a filter, not a level: DynamoDB Local sets this logger's level itself when it starts
        SQLITE_LOG.setFilter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue());
    }

    /**
     * The port is bound first, then the data dir locked: a second start with the same port or data dir
     * stops there, having changed nothing. Only then are files and services touched.
     */
    private void boot(PrintStream console) throws IOException {
        http = new LocalHttpServer(settings.bindAddress(), settings.port());
        resources.add(DataDirLock.acquire(settings.dataDir(), settings.dataDirName()));
        EmbeddedDynamoDb embeddedDynamoDb = EmbeddedDynamoDb.start(
                settings.persistent() ? settings.dataDir().resolve("dynamodb") : null, settings.bindAddress());
        resources.add(embeddedDynamoDb);
        JournaledSqs sqsFront = JournaledSqs.bind(settings.bindAddress());
        EmbeddedSqs embeddedSqs = EmbeddedSqs.start(settings.bindAddress(), sqsFront.endpoint());
        resources.add(embeddedSqs);
        sqsFront.start(embeddedSqs.endpoint(), settings.persistent() ? settings.queueJournal() : null);
        resources.add(sqsFront);
        this.sqsFront = sqsFront;
        dynamoDbEndpoint = embeddedDynamoDb.endpoint();
        sqsEndpoint = sqsFront.endpoint();
        dynamoDb = LocalClients.dynamoDb(dynamoDbEndpoint);
        resources.add(dynamoDb);
        sqs = LocalClients.sqs(sqsEndpoint);
        resources.add(sqs);

        EmbeddedPlatform.createTable(dynamoDb, TABLE_NAME);
        for (QueueSpec queue : Topology.queues()) {
            createQueue(queue);
        }
        // Rules and schedules invoke their functions asynchronously, through a queue of each function's.
        for (FunctionSpec function : Topology.functions()) {
            if (!(function.trigger() instanceof Trigger.HttpRoute) && !(function.trigger() instanceof Trigger.QueueTrigger)
                    && !(function.trigger() instanceof Trigger.ApiRoutes) && !(function.trigger() instanceof Trigger.ApiAuthorizer)) {
                createQueue(AsyncInvocations.queueOf(function));
            }
        }
        int replayed = sqsFront.replay(queueUrls::get);
        if (replayed > 0) {
            console.printf("%d queued message(s) from the last run were journaled in %s and are queued again.%n",
                    replayed, settings.queueJournal());
        }
        if (!settings.persistent()) {
            System.err.println("platform-local: state is in memory only (table, queues, sources, images, tasks); "
                    + "set PLATFORM_DATA_DIR to keep it across restarts");
        }
        seedDemoProject(console);

        eventBus = LocalEventBus.start(settings.bindAddress(), EVENT_BUS_NAME, settings.eventsFile(), console, sqs);
        resources.add(eventBus);
        Path state = settings.persistent() ? settings.dataDir() : Files.createTempDirectory("platform-local-");
        s3 = LocalS3.start(settings.bindAddress(), 0, state.resolve("s3"));
        resources.add(s3);
        s3.createBucket(SOURCE_BUCKET);
        ecr = LocalEcr.start(settings.bindAddress(), settings.persistent() ? state.resolve("ecr.json") : null);
        resources.add(ecr);
        S3Client builderS3 = LocalClients.s3(s3.endpoint());
        resources.add(builderS3);
        ecs = LocalEcs.start(settings.bindAddress(), settings.persistent() ? state.resolve("ecs.json") : null, eventBus,
                builderS3, ecr, settings.buildSeconds(), settings.failShaPrefixes(),
                new LocalEcs.Deployments(settings.deploySeconds(), settings.failDeployShaPrefixes()));
        resources.add(ecs);
        elb = LocalElb.start(settings.bindAddress(), settings.persistent() ? state.resolve("elb.json") : null,
                settings.previewShards());
        resources.add(elb);
        createLambdaTargetGroups();
        cloudWatch = LocalCloudWatch.start(settings.bindAddress(), Clock.systemUTC());
        resources.add(cloudWatch);
        try {
            // the key that seals environment variables: kept in the data dir (0600), or in memory with the rest
            kms = LocalKms.start(settings.persistent() ? settings.dataDir() : null);
        } catch (LocalKms.KeyFileRefused refused) {
            throw new StartupConflict(refused.getMessage());
        }
        resources.add(kms);
        LocalRouter router = new LocalRouter(elb, ecs::serving, this::invokeLambdaTarget, settings.previewDomain(), Clock.systemUTC());
        router.onServed(cloudWatch::recordRequest);
        http.routeHosts(router);
        gitHub = LocalGitHub.start(settings.bindAddress(), settings.gitHubWriters());
        resources.add(gitHub);
        PlatformConfig config = new PlatformConfig(functionSettings());

        for (FunctionSpec function : Topology.functions()) {
            switch (function.trigger()) {
                case Trigger.HttpRoute route -> http.route(function, LocalFunctions.handler(function, config));
                case Trigger.ApiRoutes routes -> http.route(function, LocalFunctions.handler(function, config));
                // no cache locally: a revoked token is refused at once (API Gateway caches answers briefly)
                case Trigger.ApiAuthorizer authorizer -> http.authorizeWith(LocalFunctions.handler(function, config));
                case Trigger.QueueTrigger queue -> startQueueSource(function, queue.batchSize(),
                        queueUrls.get(queue.queue().name()), LocalFunctions.handler(function, config));
                case Trigger.EventRule rule -> invokedBy(function, config,
                        new LocalEventBus.Rule(function.name(), EVENT_BUS_NAME, EventPattern.of(rule), invocationQueue(function)));
                case Trigger.EcsTaskStateChange rule -> invokedBy(function, config,
                        new LocalEventBus.Rule(function.name(), LocalEventBus.DEFAULT_BUS, EventPattern.of(rule), invocationQueue(function)));
                case Trigger.EcsDeploymentStateChange rule -> invokedBy(function, config,
                        new LocalEventBus.Rule(function.name(), LocalEventBus.DEFAULT_BUS, EventPattern.of(rule), invocationQueue(function)));
                case Trigger.Schedule schedule -> schedules.add(function, localPeriod(function, schedule, settings.sleepPolicy()),
                        invokedBy(function, config, null), invocationQueue(function));
                case Trigger.LoadBalancerTarget target -> lambdaTargets.put(LocalContext.functionArn(function),
                        new LambdaTarget(function, LocalFunctions.loadBalancerHandler(function, config)));
            }
        }
        http.localEndpoint("/_local/state", new LocalState(dynamoDb, TABLE_NAME)::json);
        http.localEndpoint("/_local/resources", () -> LocalResources.json(ecs, elb, ecr, s3, gitHub, cloudWatch));
        http.localEndpoint("GET", "/_local/logs/", task -> LocalHttpServer.LocalAnswer.json(200,
                Json.write(Json.MAPPER.valueToTree(java.util.Map.of("taskId", task, "lines", ecs.logs(task))))));
        http.localEndpoint("POST", "/_local/schedules/", schedules::runNow);
        http.onAnswered((function, headers, body, status) -> {
            if (function.equals(Topology.GITHUB_WEBHOOK)) {
                gitHub.recorded(headers, body, status);
            }
        });
        gitHub.deliverTo(url().resolve(((Trigger.HttpRoute) Topology.GITHUB_WEBHOOK.trigger()).path()));
        http.start();
        schedules.start(sqs);
    }

    /**
     * One lambda target group per preview shard for each load balancer target function, {@code <function>-<shard>}
     * ({@code waker-0}, ...), with the function registered: the same groups (and ARNs) at every start.
     */
    private void createLambdaTargetGroups() throws IOException {
        for (FunctionSpec function : Topology.functions()) {
            if (function.trigger() instanceof Trigger.LoadBalancerTarget) {
                List<String> arns = new ArrayList<>();
                for (int shard = 0; shard < settings.previewShards(); shard++) {
                    arns.add(elb.ensureLambdaTargetGroup(function.name() + "-" + shard, LocalContext.functionArn(function)));
                }
                lambdaTargetGroups.put(function, List.copyOf(arns));
            }
        }
    }

    /** What Lambda's synchronous Invoke does for the load balancers: the function's handler, with a fresh context. */
    private ApplicationLoadBalancerResponseEvent invokeLambdaTarget(String functionArn, ApplicationLoadBalancerRequestEvent event) {
        LambdaTarget target = lambdaTargets.get(functionArn);
        if (target == null) {
            throw new LambdaTargets.NoSuchFunction(functionArn);
        }
        return target.handler().handleRequest(event, LocalContext.of(target.function()));
    }

    private void createQueue(QueueSpec queue) {
        EmbeddedPlatform.QueueUrls urls = EmbeddedPlatform.createQueue(sqs, queue, "", settings.visibilityTimeoutSeconds());
        queueUrls.put(queue.name(), urls.url());
        queueUrls.put(queue.deadLetterQueueName(), urls.deadLetterUrl());
    }

    private String invocationQueue(FunctionSpec function) {
        return queueUrls.get(AsyncInvocations.queueOf(function).name());
    }

    private void startQueueSource(FunctionSpec function, int batchSize, String queueUrl,
                                  RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        QueueEventSource source = new QueueEventSource(function, batchSize, handler, sqs, queueUrl, settings.queuePollers());
        queueTriggers.add(source);
        source.start();
    }

    /** The function invoked asynchronously from its invocation queue; a rule, if any, sends events there. */
    private RequestStreamHandler invokedBy(FunctionSpec function, PlatformConfig config, LocalEventBus.Rule rule) {
        RequestStreamHandler handler = LocalFunctions.streamHandler(function, config);
        startQueueSource(function, AsyncInvocations.BATCH_SIZE, invocationQueue(function),
                AsyncInvocations.asBatches(function, handler));
        if (rule != null) {
            eventBus.addRule(rule);
        }
        return handler;
    }

    /**
     * The settings every function reads (the CDK app sets the same names on AWS), pointing at the
     * stand-ins: DynamoDB Local, the SQS front, the event bus, S3, ECS, ECR, ELBv2, CloudWatch and GitHub. App
     * services run in the build cluster (the local ECS has one), behind the local ELBv2's listeners; the waker's
     * target groups are {@code waker-<shard>}. The sleep policy's defaults are passed only when set.
     */
    private Map<String, String> functionSettings() {
        Map<String, String> settings = new HashMap<>(EmbeddedPlatform.functionSettings(dynamoDbEndpoint, sqsEndpoint,
                eventBus.endpoint(), TABLE_NAME, this.settings.webhookSecret(), queueUrls));
        settings.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        settings.put("AWS_ENDPOINT_URL_ECS", ecs.endpoint().toString());
        settings.put("AWS_ENDPOINT_URL_ECR", ecr.endpoint().toString());
        settings.put(Settings.GITHUB_API_URL, gitHub.endpoint().toString());
        settings.put(Settings.GITHUB_APP_ID, LocalGitHub.APP_ID);
        settings.put(Settings.GITHUB_APP_PRIVATE_KEY, gitHub.privateKeyPem());
        settings.put(Settings.SOURCE_BUCKET, SOURCE_BUCKET);
        settings.put(Settings.BUILD_CLUSTER, BUILD_CLUSTER);
        settings.put(Settings.BUILDER_TASK_DEFINITION, Topology.BUILDER_FAMILY);
        settings.put(Settings.BUILDER_SUBNETS, "subnet-local-a,subnet-local-b");
        settings.put(Settings.BUILDER_SECURITY_GROUP, "sg-local-builder");
        settings.put(Settings.IMAGE_REPOSITORY_URI, LocalEcr.repositoryUri(IMAGE_REPOSITORY));
        settings.put(Settings.BUILD_CACHE_REPOSITORY_URI, LocalEcr.repositoryUri(BUILD_CACHE_REPOSITORY));
        settings.put(Settings.BUILD_LOGS_URL, url() + "/_local/logs/{taskId}");
        settings.put("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", elb.endpoint().toString());
        settings.put(Settings.APP_CLUSTER, BUILD_CLUSTER);
        settings.put(Settings.APP_SUBNETS, "subnet-local-a,subnet-local-b");
        settings.put(Settings.APP_SECURITY_GROUP, "sg-local-apps");
        settings.put(Settings.APP_EXECUTION_ROLE_ARN, "arn:aws:iam::000000000000:role/platform-app-execution");
        settings.put(Settings.APP_TASK_ROLE_ARN, "arn:aws:iam::000000000000:role/platform-app-task");
        settings.put(Settings.APP_LOG_GROUP, APP_LOG_GROUP);
        settings.put(Settings.APP_VPC_ID, "vpc-local");
        settings.put(Settings.PREVIEW_LISTENER_ARNS, String.join(",", elb.previewListenerArns()));
        settings.put(Settings.PRODUCTION_LISTENER_ARN, elb.productionListenerArn());
        settings.put(Settings.PREVIEW_DOMAIN, this.settings.previewDomain());
        settings.put(Settings.PREVIEW_URL_TEMPLATE, "http://{host}:" + http.port());
        settings.put(Settings.WAKER_TARGET_GROUP_ARNS, String.join(",", lambdaTargetGroups.getOrDefault(Topology.WAKER, List.of())));
        settings.put("AWS_ENDPOINT_URL_CLOUDWATCH", cloudWatch.endpoint().toString());
        settings.put("AWS_ENDPOINT_URL_KMS", kms.endpoint().toString());
        settings.put(Settings.ENV_KEY_ID, LocalKms.ALIAS);
        settings.putAll(this.settings.sleepPolicy().functionSettings());
        return settings;
    }

    /**
     * Seeds the demo project, or moves it when {@code PLATFORM_DEMO_REPO} / {@code PLATFORM_DEMO_BRANCH}
     * changed since the data dir was created, and says so.
     */
    private void seedDemoProject(PrintStream console) {
        ProjectLink wanted = demoProject();
        EmbeddedPlatform.seed(dynamoDb, TABLE_NAME, wanted, Clock.systemUTC().instant()).ifPresent(stored ->
                console.printf("Demo project %s now follows %s, production branch %s (the data dir had %s, branch %s).%n",
                        wanted.projectId(), wanted.repository(), wanted.productionBranch(), stored.repository(),
                        stored.productionBranch()));
        bootstrapUser(console);
    }

    /**
     * The first user of the REST API, owner of the demo team, with {@code PLATFORM_BOOTSTRAP_TOKEN} as their token;
     * without it, a token is made when the data dir has no bootstrap user yet, and the banner shows it once.
     */
    private void bootstrapUser(PrintStream console) {
        ApiStore store = new DynamoApiStore(dynamoDb, TABLE_NAME);
        ApiContext context = new ApiContext(store, Clock.systemUTC());
        Bootstrap bootstrap = new Bootstrap(context);
        listDemoProject(store, context, console);
        String token = settings.bootstrapToken();
        if (token == null && store.userByEmail(BOOTSTRAP_EMAIL).isPresent()) {
            bootstrapNotice = "printed at the first start of this data dir (set PLATFORM_BOOTSTRAP_TOKEN to choose one)";
            return;
        }
        String value = token == null ? Secrets.newToken() : token;
        bootstrap.ensure(EmbeddedPlatform.DEMO_TEAM_ID, "Demo team", "Local owner", BOOTSTRAP_EMAIL, value);
        bootstrapNotice = token == null ? value + "   (made now and shown once; set PLATFORM_BOOTSTRAP_TOKEN to choose one)"
                : "PLATFORM_BOOTSTRAP_TOKEN";
    }

    /**
     * The seeded demo project in its team's project list, written as the API writes projects (its slug claimed, listed,
     * counted), with the runtime's preview policy: the platform's defaults, or {@code PLATFORM_DEFAULT_*}, which also
     * replace what an existing data dir holds when they are set.
     */
    private void listDemoProject(ApiStore store, ApiContext context, PrintStream console) {
        Map<String, String> policySettings = settings.sleepPolicy().functionSettings();
        SleepPolicy wanted = SleepPolicy.of(policySettings.get(Settings.DEFAULT_SLEEP_AFTER),
                policySettings.get(Settings.DEFAULT_EXPIRE_AFTER), policySettings.get(Settings.DEFAULT_MAX_ACTIVE_PREVIEWS));
        store.project(EmbeddedPlatform.DEMO_PROJECT_ID).ifPresent(project -> {
            boolean listed = store.projects(project.teamId(), null, ApiContext.MAX_LIMIT).items().stream()
                    .anyMatch(p -> p.projectId().equals(project.projectId()));
            boolean differs = !project.previews().equals(wanted);
            if (listed && (!differs || policySettings.isEmpty())) {
                return;
            }
            Project seeded = new Project(project.projectId(), project.teamId(), project.name(), project.slug(), project.repository(),
                    project.productionBranch(), project.build(), project.deploy(), wanted, project.revision(), project.createdAt(),
                    context.now());
            store.updateProject(project, seeded, context.auditBy("local", null, "seed", project.teamId(), "project.seed",
                    "project:" + project.projectId().value(), "succeeded"));
            if (listed) {
                console.printf("Demo project %s now follows PLATFORM_DEFAULT_* (sleep after %s, expire after %s, at most %d running).%n",
                        project.projectId(), wanted.sleepAfter(), wanted.expireAfter(), wanted.maxActivePreviews());
            }
        });
    }

    /** The bootstrap user's email, which tells a data dir that has one. */
    static final String BOOTSTRAP_EMAIL = "owner@platform.localhost";
    private String bootstrapNotice = "";

    public ProjectLink demoProject() {
        return EmbeddedPlatform.demoProject(settings.demoRepository(), settings.demoBranch());
    }

    public URI url() {
        return FreePort.url(settings.bindAddress(), http.port());
    }

    public String queueUrl(String queueName) {
        return queueUrls.get(queueName);
    }

    public SqsClient sqs() {
        return sqs;
    }

    /** The local GitHub (its delivery log, say). */
    LocalGitHub gitHub() {
        return gitHub;
    }

    /** The local ECS's endpoint (builder tasks, task definitions, services). */
    URI ecsEndpoint() {
        return ecs.endpoint();
    }

    /** The local ELBv2 (its endpoint and listeners). */
    LocalElb elb() {
        return elb;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    String banner() {
        String url = url().toString();
        String credentials = "AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=" + LocalClients.REGION;
        return """

                Platform control plane, running locally
                  URL             %s
                  Webhook         POST %s/webhooks/github
                  Webhook secret  %s   (GITHUB_WEBHOOK_SECRET)
                  REST API        %s/v1/...   (Authorization: Bearer <token>; see api/openapi.yaml)
                  API token       %s
                  Demo project    %s <- %s, production branch %s
                  State           GET %s/_local/state
                  Resources       GET %s/_local/resources   (builder tasks, images, sources, GitHub check runs, deliveries, services, rules)
                  Builds          %d s each%s; build logs at GET %s/_local/logs/{taskId}
                  Previews        http://<host>.%s:%d/   (routed by the local ELBv2's host rules to ECS services; deployments %d s each)
                  Schedules       POST %s/_local/schedules/{function}   (%s)
                  GitHub          %s   (the platform's GitHub App, locally: tarballs, permissions, check runs)
                  Data dir        %s
                                  %s
                  Events          %s   (also printed below, one JSON line each)
                  DynamoDB        %s   table %s
                  SQS             %s   queues %s
                  EventBridge     %s   bus %s (PutEvents; events land in events.jsonl)

                Send a signed example delivery (from the repository root):
                  PLATFORM_URL=%s GITHUB_WEBHOOK_SECRET='%s' events/send pull_request events/github/pull_request.opened.json
                Look inside with the AWS CLI (any credentials work; these are the ones the functions use):
                  %s aws dynamodb scan --table-name %s --endpoint-url %s
                  %s aws sqs list-queues --endpoint-url %s

                """.formatted(url, url, settings.webhookSecret(), url, bootstrapNotice, demoProject().projectId(),
                settings.demoRepository(), settings.demoBranch(), url, url, settings.buildSeconds(),
                settings.failShaPrefixes().isEmpty() ? "" : ", commits starting with " + String.join(" or ",
                        settings.failShaPrefixes()) + " fail", url, settings.previewDomain(), http.port(),
                settings.deploySeconds(), url, String.join(", ", schedules.names()),
                gitHub.endpoint(), settings.dataDir(),
                settings.persistent()
                        ? "kept across restarts, kill -9 included: the table, queued messages (queues.journal), events.jsonl, sources, images, tasks"
                        : "in memory: table and queues are gone when this process stops; events.jsonl is kept (set PLATFORM_DATA_DIR to keep all)",
                settings.eventsFile(), dynamoDbEndpoint, TABLE_NAME, sqsEndpoint, String.join(", ", new java.util.TreeSet<>(queueUrls.keySet())),
                eventBus.endpoint(), EVENT_BUS_NAME,
                url, settings.webhookSecret(),
                credentials, TABLE_NAME, dynamoDbEndpoint, credentials, sqsEndpoint);
    }

    /** Waits until the queues are empty and no batch is running, or the timeout passes. */
    public boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
        List<String> triggering = new ArrayList<>(Topology.queues().stream().map(queue -> queueUrls.get(queue.name())).toList());
        for (FunctionSpec function : Topology.functions()) {
            String invocations = queueUrls.get(AsyncInvocations.queueOf(function).name());
            if (invocations != null) {
                triggering.add(invocations);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (queueTriggers.stream().noneMatch(QueueEventSource::busy) && EmbeddedPlatform.queued(sqs, triggering) == 0) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * Stops taking requests, then: with a data dir, lets running batches finish and leaves what is still
     * queued in the journal for the next start; without one, first drains the queues completely, since
     * in-memory queues die with the process.
     */
    @Override
    public void close() throws Exception {
        schedules.close();
        if (http != null) {
            http.close();
        }
        if (sqs != null && !queueTriggers.isEmpty() && !settings.persistent()) {
            System.err.println("platform-local: stopping; processing the messages still queued (queues are in memory)");
            while (!awaitIdle(java.time.Duration.ofSeconds(5))) {
                System.err.println("platform-local: still draining the queues...");
            }
        }
        for (QueueEventSource runner : queueTriggers) {
            runner.close();
        }
        if (sqsFront != null && sqsFront.pendingCount() > 0) {
            System.err.printf("platform-local: %d queued message(s) kept in %s; they are processed at the next start%n",
                    sqsFront.pendingCount(), sqsFront.journalFile());
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("shutdown: " + e);
        }
    }
}
