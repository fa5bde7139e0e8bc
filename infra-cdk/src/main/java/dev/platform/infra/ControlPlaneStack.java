package dev.platform.infra;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.platform.core.api.ApiProblem;
import dev.platform.core.json.Json;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Grant;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.GatewayResponseOptions;
import software.amazon.awscdk.services.apigateway.IdentitySource;
import software.amazon.awscdk.services.apigateway.JsonWithStandardFieldProps;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.RequestAuthorizer;
import software.amazon.awscdk.services.apigateway.ResponseType;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationLoadBalancerTarget;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.LoadBalancerTargetProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Match;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.CfnPermission;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The control plane, built from the topology: the shared layer, one function per topology entry
 * (published version, alias {@value #ALIAS}, least-privilege role), and each trigger pointed at the
 * alias: REST API routes (the token-checked ones through the API's Lambda authorizer), queue event source
 * mappings, event bus rules. Stateless: it can be
 * destroyed and redeployed without losing anything.
 */
public final class ControlPlaneStack extends Stack {
    /** The alias every trigger invokes: it always points at the latest published (SnapStart) version. */
    public static final String ALIAS = "live";
    /**
     * The stage is the first path segment of every URL on AWS ({@code <api>/api/v1/user}, {@code <api>/api/webhooks/github}).
     * Not {@code v1}: the REST routes carry their version themselves, and a {@code v1} stage would make them {@code /v1/v1/...}.
     */
    public static final String API_STAGE = "api";
    /** Webhooks arrive in bursts (a push fans out to several deliveries); well above GitHub's rate. */
    static final int API_RATE_LIMIT = 50;
    static final int API_BURST_LIMIT = 100;
    /** Rule targets: EventBridge retries delivery this often within {@link #RULE_MAX_EVENT_AGE}, then dead-letters. */
    static final int RULE_RETRY_ATTEMPTS = 8;
    static final Duration RULE_MAX_EVENT_AGE = Duration.hours(2);
    /** Asynchronous invocations that fail in the function are retried this often, then dead-lettered. */
    static final int ASYNC_RETRY_ATTEMPTS = 2;
    /** Who invokes the load balancers' Lambda target. */
    static final String LOAD_BALANCER_PRINCIPAL = "elasticloadbalancing.amazonaws.com";
    /** In a gateway response's template: API Gateway's own message for the error, already a quoted JSON string. */
    static final String MESSAGE_STRING = "$context.error.messageString";

    /** The resources of one function. */
    public record Deployed(FunctionSpec spec, Function function, Alias alias, Role role) {
    }

    private final DataStack data;
    private final MessagingStack messaging;
    private final ComputeStack compute;
    private final PlatformSettings settings;
    private final LayerVersion layer;
    private final Map<String, Deployed> functions = new LinkedHashMap<>();
    /** The Lambda target groups of the load balancers' target, one per preview shard, shard 0 first (none without one). */
    private final List<ApplicationTargetGroup> shardTargetGroups;
    private RestApi api;
    private RequestAuthorizer authorizer;

    public ControlPlaneStack(Construct scope, String id, StackProps props, List<FunctionSpec> specs,
                             Artifacts artifacts, DataStack data, MessagingStack messaging, ComputeStack compute,
                             PlatformSettings settings) {
        super(scope, id, props);
        this.data = data;
        this.messaging = messaging;
        this.compute = compute;
        this.settings = settings;
        layer = LayerVersion.Builder.create(this, "SharedLayer")
                .description("platform-core, platform-aws and every runtime dependency of the functions")
                .code(Code.fromAsset(artifacts.layerZip().toString()))
                .compatibleRuntimes(List.of(Runtime.JAVA_21))
                // Pure Java: the same jars run on either architecture.
                .compatibleArchitectures(List.of(Architecture.ARM_64, Architecture.X86_64))
                .build();
        // Made before the functions, so that the routing functions' environments can name them; the target is
        // registered when its function exists (LoadBalancerTarget below).
        shardTargetGroups = shardTargetGroups(specs, settings.previewShards());
        List<String> shardTargetGroupArns = shardTargetGroups.stream().map(ApplicationTargetGroup::getTargetGroupArn).toList();
        for (FunctionSpec spec : specs) {
            functions.put(spec.name(), function(spec, artifacts, shardTargetGroupArns));
        }
        // Triggers once every function exists: a route behind the authorizer needs the authorizer's function,
        // wherever the topology lists it.
        for (Deployed deployed : functions.values()) {
            switch (deployed.spec().trigger()) {
                case Trigger.HttpRoute route -> route(deployed, route);
                case Trigger.ApiRoutes routes -> routes.routes().forEach(route -> apiRoute(deployed, route));
                // Invoked by the authorizer made with the first route that needs it (CDK refuses one no method uses).
                case Trigger.ApiAuthorizer ignored -> {
                }
                case Trigger.QueueTrigger queue -> deployed.alias().addEventSource(
                        SqsEventSource.Builder.create(messaging.queue(queue.queue()))
                                .batchSize(queue.batchSize())
                                .reportBatchItemFailures(true)
                                .build());
                case Trigger.EventRule rule -> rule(deployed, messaging.bus(), rule.detailTypes().toString(), EventPattern.builder()
                        .source(List.of(Topology.EVENT_SOURCE))
                        .detailType(rule.detailTypes())
                        .build(), null);
                // ECS puts its events on the account's default bus: the platform cluster's tasks of one family
                case Trigger.EcsTaskStateChange rule -> rule(deployed, null, Trigger.EcsTaskStateChange.DETAIL_TYPE
                        + " of " + rule.taskFamily(), EventPattern.builder()
                        .source(List.of(Trigger.EcsTaskStateChange.SOURCE))
                        .detailType(List.of(Trigger.EcsTaskStateChange.DETAIL_TYPE))
                        .detail(Map.of(
                                "clusterArn", List.of(compute.cluster().getClusterArn()),
                                "group", List.of("family:" + rule.taskFamily()),
                                "lastStatus", rule.lastStatuses()))
                        .build(), null);
                // a deployment event names its service (service/<cluster>/<name>): the platform cluster's services only
                case Trigger.EcsDeploymentStateChange ignored -> rule(deployed, null,
                        Trigger.EcsDeploymentStateChange.DETAIL_TYPE, EventPattern.builder()
                        .source(List.of(Trigger.EcsDeploymentStateChange.SOURCE))
                        .detailType(List.of(Trigger.EcsDeploymentStateChange.DETAIL_TYPE))
                        .resources(Match.prefix(compute.formatArn(ArnComponents.builder()
                                .service("ecs").resource("service").resourceName(compute.cluster().getClusterName() + "/")
                                .build())))
                        .build(), null);
                case Trigger.Schedule schedule -> rule(deployed, null, "every " + schedule.everyMinutes() + " minutes", null,
                        Schedule.rate(Duration.minutes(schedule.everyMinutes())));
                case Trigger.LoadBalancerTarget ignored -> loadBalancerTarget(deployed);
            }
        }
    }

    /**
     * One Lambda target group per preview shard for the function whose trigger is {@link Trigger.LoadBalancerTarget}
     * (none if no function has it): a target group belongs to at most one load balancer, so each shard needs its own.
     * A sleeping preview's host rule forwards to its shard's group ({@code WAKER_TARGET_GROUP_ARNS}).
     *
     * <p>No listener rule of ours uses them, and none is needed: CDK and ELB accept a Lambda target group that no
     * listener forwards to (it needs no VPC and Lambda targets have no health check), and the first sleeping
     * preview's rule (ModifyRule) ties group k to shard k's load balancer. A placeholder rule would take one of the
     * listener's 100 rules and a priority beside the previews' own (1 to the shard's capacity) for nothing.
     *
     * <p>The names are fixed ({@code platform-<function>-<shard>}, outside the {@code e-} prefix the routing
     * functions may create and delete) so that the invoke permission can name its group before the group exists:
     * CloudFormation registers the function as the group's target when it creates the group, ELB refuses that
     * unless the permission is already there, and a permission naming the group's generated ARN would have to wait
     * for the group (a cycle). Lambda matches SourceArn as a pattern, so {@code targetgroup/<name>/*} names exactly
     * that group, whatever id AWS gives it.
     */
    private List<ApplicationTargetGroup> shardTargetGroups(List<FunctionSpec> specs, int shards) {
        List<FunctionSpec> targets = specs.stream().filter(s -> s.trigger() instanceof Trigger.LoadBalancerTarget).toList();
        if (targets.isEmpty()) {
            return List.of();
        }
        if (targets.size() > 1) {
            throw new IllegalArgumentException("at most one function can be the load balancers' target (its groups are "
                    + "WAKER_TARGET_GROUP_ARNS): " + targets.stream().map(FunctionSpec::name).toList());
        }
        FunctionSpec target = targets.getFirst();
        if (target.grants().contains(new Grant.ManageRouting())) {
            // its environment would name its own target groups, which wait for its alias: a cycle
            throw new IllegalArgumentException(target.name() + " is the load balancers' target: it cannot also have ManageRouting");
        }
        List<ApplicationTargetGroup> groups = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            ApplicationTargetGroup group = ApplicationTargetGroup.Builder.create(this,
                            Names.pascal(target.name()) + "TargetGroupShard" + shard)
                    .targetGroupName(shardTargetGroupName(target, shard))
                    .targetType(TargetType.LAMBDA)
                    .build();
            // single-value headers: the ALB request event's "headers" and "queryStringParameters" (the default, stated)
            group.setAttribute("lambda.multi_value_headers.enabled", "false");
            groups.add(group);
        }
        return List.copyOf(groups);
    }

    static String shardTargetGroupName(FunctionSpec target, int shard) {
        return "platform-" + target.name() + "-" + shard;
    }

    /**
     * Each shard's group targets the alias, and the load balancers may invoke the alias from that group only. Not
     * CDK's LambdaTarget: its permission names no source, so any target group of any account could invoke the alias.
     */
    private void loadBalancerTarget(Deployed deployed) {
        String id = Names.pascal(deployed.spec().name());
        for (int shard = 0; shard < shardTargetGroups.size(); shard++) {
            ApplicationTargetGroup group = shardTargetGroups.get(shard);
            CfnPermission invoke = CfnPermission.Builder.create(this, id + "InvokeFromShard" + shard)
                    .action("lambda:InvokeFunction")
                    .functionName(deployed.alias().getFunctionArn())
                    .principal(LOAD_BALANCER_PRINCIPAL)
                    .sourceArn(formatArn(ArnComponents.builder()
                            .service("elasticloadbalancing").resource("targetgroup")
                            .resourceName(shardTargetGroupName(deployed.spec(), shard) + "/*")
                            .build()))
                    .build();
            group.addTarget(new AliasTarget(deployed.alias()));
            group.getNode().addDependency(invoke);
        }
    }

    /** The alias as a Lambda target: its ARN in the group's targets, with the permission made above. */
    private record AliasTarget(Alias alias) implements IApplicationLoadBalancerTarget {
        @Override
        public LoadBalancerTargetProps attachToApplicationTargetGroup(IApplicationTargetGroup targetGroup) {
            return LoadBalancerTargetProps.builder()
                    .targetType(TargetType.LAMBDA)
                    .targetJson(Map.of("id", alias.getFunctionArn()))
                    .build();
        }
    }

    private Deployed function(FunctionSpec spec, Artifacts artifacts, List<String> shardTargetGroupArns) {
        String id = Names.pascal(spec.name());
        FunctionAccess access = FunctionAccess.of(spec, data, messaging, compute, settings, shardTargetGroupArns);
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // An explicit role without the managed basic-execution policy: it may write to its own log
        // group and reach what its grants declare (plus what its trigger needs), nothing more.
        Role role = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Execution role of " + spec.name())
                .build();
        logs.grantWrite(role);
        access.statements().forEach(role::addToPrincipalPolicy);

        Function function = Function.Builder.create(this, id)
                .description(spec.name() + " (" + spec.handlerClass() + ")")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(spec.handlerClass() + "::handleRequest")
                .code(Code.fromAsset(artifacts.jar(spec).toString()))
                .layers(List.of(layer))
                .memorySize(spec.memoryMb())
                .timeout(Duration.seconds(spec.timeoutSeconds()))
                .environment(access.environment())
                .role(role)
                .logGroup(logs)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .build();
        // currentVersion publishes a new version whenever code or configuration changes; SnapStart
        // snapshots published versions only, so triggers must go through the alias, never $LATEST.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "published through currentVersion; every trigger invokes the alias");
        Alias alias = Alias.Builder.create(this, id + "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
        return new Deployed(spec, function, alias, role);
    }

    private void route(Deployed deployed, Trigger.HttpRoute route) {
        api().getRoot().resourceForPath(route.path()).addMethod(route.method(), integration(deployed));
        CfnOutput.Builder.create(this, Names.pascal(deployed.spec().name()) + "Url")
                .description(route.method() + " " + route.path())
                .value(api().urlForPath(route.path()))
                .build();
    }

    /**
     * One route of an API function. Routes share resources ({@code resourceForPath} reuses a path's existing
     * resources, {@code {param}} segments included), so GET and PATCH of one path are two methods on one resource.
     */
    private void apiRoute(Deployed deployed, Trigger.ApiRoute route) {
        MethodOptions options = route.tokenRequired()
                ? MethodOptions.builder().authorizer(authorizer()).authorizationType(AuthorizationType.CUSTOM).build()
                : MethodOptions.builder().authorizationType(AuthorizationType.NONE).build();
        api().getRoot().resourceForPath(route.path()).addMethod(route.method(), integration(deployed), options);
    }

    /** Proxy integration with the alias; LambdaIntegration adds the alias's invoke permission for this method only. */
    private static LambdaIntegration integration(Deployed deployed) {
        return new LambdaIntegration(deployed.alias(), LambdaIntegrationOptions.builder()
                .proxy(true)
                .allowTestInvoke(false)
                .build());
    }

    /**
     * The REST API's Lambda authorizer: the alias of the one function whose trigger is {@link Trigger.ApiAuthorizer},
     * a REQUEST authorizer on the {@code Authorization} header, its answers cached per header value for the
     * trigger's seconds (with a cache, a request without the header gets 401 without an invocation). The construct
     * adds the alias's invoke permission for this authorizer.
     */
    private RequestAuthorizer authorizer() {
        if (authorizer == null) {
            List<Deployed> authorizers = functions.values().stream()
                    .filter(d -> d.spec().trigger() instanceof Trigger.ApiAuthorizer).toList();
            if (authorizers.size() != 1) {
                throw new IllegalArgumentException("routes that require a token need exactly one function with the "
                        + "ApiAuthorizer trigger, found " + authorizers.stream().map(d -> d.spec().name()).toList());
            }
            Deployed function = authorizers.getFirst();
            Trigger.ApiAuthorizer trigger = (Trigger.ApiAuthorizer) function.spec().trigger();
            authorizer = RequestAuthorizer.Builder.create(this, "ApiTokenAuthorizer")
                    .authorizerName(function.spec().name())
                    .handler(function.alias())
                    .identitySources(List.of(IdentitySource.header("Authorization")))
                    .resultsCacheTtl(Duration.seconds(trigger.cacheSeconds()))
                    .build();
        }
        return authorizer;
    }

    /**
     * The API exists once a function has an HTTP route. API Gateway REST refuses bodies over 10 MB
     * on its own; smaller limits are the functions' (the webhook answers 413 above 4 MiB).
     */
    private RestApi api() {
        if (api == null) {
            LogGroup accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs")
                    .retention(RetentionDays.THREE_MONTHS)
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            api = RestApi.Builder.create(this, "Api")
                    .restApiName("platform")
                    .description("Platform control plane: GitHub webhooks and the REST API")
                    .endpointTypes(List.of(EndpointType.REGIONAL))
                    // Access logging needs the account-level API Gateway role for CloudWatch Logs.
                    .cloudWatchRole(true)
                    .deployOptions(StageOptions.builder()
                            .stageName(API_STAGE)
                            .throttlingRateLimit(API_RATE_LIMIT)
                            .throttlingBurstLimit(API_BURST_LIMIT)
                            .metricsEnabled(true)
                            .accessLogDestination(new LogGroupLogDestination(accessLogs))
                            .accessLogFormat(AccessLogFormat.jsonWithStandardFields(JsonWithStandardFieldProps.builder()
                                    .caller(false).user(false).httpMethod(true).ip(true).protocol(true)
                                    .requestTime(true).resourcePath(true).responseLength(true).status(true)
                                    .build()))
                            .build())
                    .build();
            gatewayResponses(api);
            CfnOutput.Builder.create(this, "ApiUrl")
                    .description("Base URL of the REST API (stage " + API_STAGE + "); routes are paths under it")
                    .value(api.getUrl())
                    .build();
        }
        return api;
    }

    /**
     * Errors API Gateway answers itself carry the functions' error body, {@code {"error":{"code","message"}}}. A
     * denied token (the authorizer's Deny: unknown, revoked or expired) answers exactly as a missing one does, so
     * nothing tells them apart; an unknown route, which API Gateway reports as a missing token, is a 404.
     */
    private static void gatewayResponses(RestApi api) {
        ApiProblem unauthorized = ApiProblem.unauthorized();
        String unauthorizedMessage = Json.write(TextNode.valueOf(unauthorized.getMessage()));
        String status = Integer.toString(unauthorized.status());
        gatewayResponse(api, "Unauthorized", ResponseType.UNAUTHORIZED, status, unauthorized.code(), unauthorizedMessage);
        gatewayResponse(api, "AccessDenied", ResponseType.ACCESS_DENIED, status, unauthorized.code(), unauthorizedMessage);
        gatewayResponse(api, "RouteNotFound", ResponseType.MISSING_AUTHENTICATION_TOKEN, "404", "not_found",
                Json.write(TextNode.valueOf("no route for this method and path")));
        gatewayResponse(api, "RequestTooLarge", ResponseType.REQUEST_TOO_LARGE, "413", "payload_too_large",
                Json.write(TextNode.valueOf("the request is over API Gateway's 10 MB limit")));
        // the stage's throttle: its own code rather than DEFAULT_4XX's bad_request
        gatewayResponse(api, "Throttled", ResponseType.THROTTLED, "429", "too_many_requests", MESSAGE_STRING);
        // null status: each response type keeps its own code
        gatewayResponse(api, "Default4xx", ResponseType.DEFAULT_4_XX, null, "bad_request", MESSAGE_STRING);
        gatewayResponse(api, "Default5xx", ResponseType.DEFAULT_5_XX, null, "internal_error", MESSAGE_STRING);
    }

    /** @param message a JSON string, or {@link #MESSAGE_STRING} */
    private static void gatewayResponse(RestApi api, String id, ResponseType type, String status, String code, String message) {
        api.addGatewayResponse(id, GatewayResponseOptions.builder()
                .type(type)
                .statusCode(status)
                .templates(Map.of("application/json",
                        "{\"error\":{\"code\":" + Json.write(TextNode.valueOf(code)) + ",\"message\":" + message + "}}"))
                .build());
    }

    /**
     * A rule: on the platform bus, on the default bus (null), or a schedule. Delivery to the function is
     * retried by EventBridge and then dead-lettered; an invocation that fails inside the function is
     * retried by Lambda and then sent to the same dead-letter queue, which is alarmed like every other.
     */
    private void rule(Deployed deployed, IEventBus bus, String what, EventPattern pattern, Schedule schedule) {
        String id = Names.pascal(deployed.spec().name());
        Queue deadLetters = Queue.Builder.create(this, id + "RuleDeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .retentionPeriod(MessagingStack.DEAD_LETTER_RETENTION)
                .build();
        DeadLetterAlarms.watch(this, id + "RuleDeadLettersAlarm", deadLetters,
                "the bus rule of " + deployed.spec().name(), messaging.alarmTopic());
        Rule rule = Rule.Builder.create(this, id + "Rule")
                .description(deployed.spec().name() + " <- " + what)
                .eventBus(bus)
                .eventPattern(pattern)
                .schedule(schedule)
                .build();
        rule.addTarget(new LambdaFunction(deployed.alias(), LambdaFunctionProps.builder()
                .deadLetterQueue(deadLetters)
                .retryAttempts(RULE_RETRY_ATTEMPTS)
                .maxEventAge(RULE_MAX_EVENT_AGE)
                .build()));
        deployed.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(ASYNC_RETRY_ATTEMPTS)
                .onFailure(new SqsDestination(deadLetters))
                .build());
    }

    public Map<String, Deployed> functions() {
        return Map.copyOf(functions);
    }

    /** The load balancers' Lambda target groups, one per preview shard, shard 0 first; empty without such a function. */
    public List<ApplicationTargetGroup> shardTargetGroups() {
        return shardTargetGroups;
    }
}
