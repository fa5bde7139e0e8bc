package dev.platform.infra;

import dev.platform.infra.PlatformSettings.Builds;
import dev.platform.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.certificatemanager.ICertificate;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.RepositoryEncryption;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.amazon.awscdk.services.ecr.TagStatus;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.FixedResponseOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.route53.ARecord;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.route53.RecordTarget;
import software.amazon.awscdk.services.route53.targets.LoadBalancerTarget;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.constructs.Construct;

/**
 * Where previews run (used by the build and deploy functions of later issues): a VPC, an ECS
 * cluster, the ECR repository for preview images, and the public load balancer that routes
 * {@code <preview>.<previewDomain>} to preview services.
 *
 * <p>Network cost: one NAT gateway shared by both private subnets (not one per zone): previews are
 * disposable, so a zone outage taking egress down is acceptable, and a second gateway would double
 * the largest idle cost. Free gateway endpoints for S3 and DynamoDB keep image layer pulls (ECR
 * stores them in S3) off the NAT's per-GB charge. Interface endpoints would cost more than the NAT
 * gateway they replace (about $7 a month each per zone, and ECR alone needs two).
 */
public final class ComputeStack extends Stack {
    static final String NO_PREVIEW_MESSAGE = "No preview is deployed at this address.";
    /** App containers' log group: a deployment's logs are the stream {@code <family>/app/<task id>}. */
    public static final String APP_LOG_GROUP = "/platform/apps";

    /**
     * The CloudWatch console page of the app log group, filtered to one environment's streams (the deployer
     * names them {@code <serviceName>/<container>/<taskId>}), {@code {serviceName}} standing for the service.
     */
    static String appLogsUrl(Stack stack) {
        String region = stack.getRegion();
        return "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region
                + "#logsV2:log-groups/log-group/" + APP_LOG_GROUP.replace("/", "$252F")
                + "$3FlogStreamNameFilter$3D{serviceName}";
    }

    private final Vpc vpc;
    private final Cluster cluster;
    private final Repository repository;
    private final ApplicationLoadBalancer loadBalancer;
    private final ApplicationListener listener;
    private final List<ApplicationListener> previewListeners;
    private final ApplicationListener productionListener;
    private final LogGroup appLogs;
    private final Role appExecutionRole;
    private final Role appTaskRole;
    private final SecurityGroup previewTasks;
    private final Builder builder;

    public ComputeStack(Construct scope, String id, StackProps props, PlatformSettings settings) {
        super(scope, id, props);
        vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(2)
                .natGateways(1)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(20).build()))
                .gatewayEndpoints(Map.of(
                        "S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build(),
                        "DynamoDB", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.DYNAMODB).build()))
                // Nothing uses the default security group; restricting it would add a custom-resource Lambda.
                .restrictDefaultSecurityGroup(false)
                .build();

        cluster = Cluster.Builder.create(this, "Cluster")
                .vpc(vpc)
                .enableFargateCapacityProviders(true)
                // Container Insights bills per metric; previews rely on ALB and service metrics.
                .containerInsightsV2(ContainerInsights.DISABLED)
                .build();

        repository = Repository.Builder.create(this, "PreviewImages")
                .imageScanOnPush(true)
                // Images are deployed by digest; immutable tags keep "what ran" answerable.
                .imageTagMutability(TagMutability.IMMUTABLE)
                .encryption(RepositoryEncryption.AES_256)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().rulePriority(1).description("Untagged layers of failed builds")
                                .tagStatus(TagStatus.UNTAGGED).maxImageAge(Duration.days(7)).build(),
                        LifecycleRule.builder().rulePriority(2).description("Keep storage bounded")
                                .tagStatus(TagStatus.ANY).maxImageCount(1000).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        SecurityGroup albSecurityGroup = SecurityGroup.Builder.create(this, "LoadBalancerSecurityGroup")
                .vpc(vpc)
                .description("Public preview and production load balancers")
                .allowAllOutbound(true)
                .build();
        previewTasks = SecurityGroup.Builder.create(this, "PreviewTasksSecurityGroup")
                .vpc(vpc)
                .description("Preview tasks: reachable from the load balancer only")
                .allowAllOutbound(true)
                .build();
        previewTasks.addIngressRule(albSecurityGroup, Port.allTcp(), "from the preview load balancer");

        IHostedZone zone = settings.hostedZoneId()
                .map(zoneId -> HostedZone.fromHostedZoneId(this, "Zone", zoneId))
                .orElse(null);
        // Shard 0 keeps the construct ids of the single load balancer it was, so existing stacks update in place.
        List<ApplicationListener> shards = new ArrayList<>();
        ApplicationLoadBalancer first = null;
        for (int shard = 0; shard < settings.previewShards(); shard++) {
            String suffix = shard == 0 ? "" : "Shard" + shard;
            String label = shard == 0 ? "" : "s" + shard + ".";
            String wildcard = settings.previewDomain().map(d -> "*." + label + d).orElse(null);
            ApplicationLoadBalancer shardBalancer = ApplicationLoadBalancer.Builder.create(this, "PreviewLoadBalancer" + suffix)
                    .vpc(vpc)
                    .internetFacing(true)
                    .securityGroup(albSecurityGroup)
                    .dropInvalidHeaderFields(true)
                    .build();
            ICertificate certificate = wildcard == null ? null : shard == 0 && settings.certificateArn().isPresent()
                    ? Certificate.fromCertificateArn(this, "PreviewCertificate", settings.certificateArn().get())
                    : Certificate.Builder.create(this, "PreviewCertificate" + suffix)
                            .domainName(wildcard)
                            .validation(CertificateValidation.fromDns(zone))
                            .build();
            shards.add(listener(shardBalancer, suffix, certificate, zone, wildcard, "Preview"));
            first = first == null ? shardBalancer : first;
        }
        loadBalancer = first;
        previewListeners = List.copyOf(shards);
        listener = shards.getFirst();
        String productionHosts = settings.previewDomain().map(d -> "*.prod." + d).orElse(null);
        ApplicationLoadBalancer production = ApplicationLoadBalancer.Builder.create(this, "ProductionLoadBalancer")
                .vpc(vpc)
                .internetFacing(true)
                .securityGroup(albSecurityGroup)
                .dropInvalidHeaderFields(true)
                .build();
        productionListener = listener(production, "", productionHosts == null ? null
                : Certificate.Builder.create(this, "ProductionCertificate")
                        .domainName(productionHosts)
                        .validation(CertificateValidation.fromDns(zone))
                        .build(), zone, productionHosts, "Production");
        settings.previewDomain().ifPresent(domain ->
                CfnOutput.Builder.create(this, "PreviewUrlPattern").value("https://<preview>." + domain).build());

        appLogs = LogGroup.Builder.create(this, "AppLogs")
                .logGroupName(APP_LOG_GROUP)
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        appExecutionRole = Role.Builder.create(this, "AppExecutionRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("Pulls app images from the platform's repository and writes their logs")
                .build();
        repository.grantPull(appExecutionRole);
        appLogs.grantWrite(appExecutionRole);
        appTaskRole = Role.Builder.create(this, "AppTaskRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("What app containers run as: no permissions")
                .build();

        builder = new Builder(this, settings.builds(), vpc, cluster, repository);

        CfnOutput.Builder.create(this, "LoadBalancerDnsName").value(loadBalancer.getLoadBalancerDnsName()).build();
        CfnOutput.Builder.create(this, "ClusterName").value(cluster.getClusterName()).build();
        CfnOutput.Builder.create(this, "PreviewImageRepositoryUri").value(repository.getRepositoryUri()).build();
    }

    /**
     * HTTPS on 443 with the certificate (port 80 redirecting to it) and the wildcard record when there is a zone;
     * plain HTTP on 80 without a domain. Unknown hosts get a 404 that names nothing internal.
     */
    private ApplicationListener listener(ApplicationLoadBalancer balancer, String suffix, ICertificate certificate,
                                         IHostedZone zone, String wildcard, String kind) {
        ListenerAction noPreview = ListenerAction.fixedResponse(404, FixedResponseOptions.builder()
                .contentType("text/plain").messageBody(NO_PREVIEW_MESSAGE).build());
        if (certificate == null) {
            return balancer.addListener("Http", BaseApplicationListenerProps.builder()
                    .port(80)
                    .protocol(ApplicationProtocol.HTTP)
                    .defaultAction(noPreview)
                    .open(true)
                    .build());
        }
        ApplicationListener https = balancer.addListener("Https", BaseApplicationListenerProps.builder()
                .port(443)
                .protocol(ApplicationProtocol.HTTPS)
                .certificates(List.of(ListenerCertificate.fromCertificateManager(certificate)))
                .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                .defaultAction(noPreview)
                .open(true)
                .build());
        balancer.addRedirect(); // port 80 answers with a redirect to 443
        if (zone != null) {
            ARecord.Builder.create(this, kind + "WildcardRecord" + suffix)
                    .zone(zone)
                    .recordName(wildcard + ".")
                    .target(RecordTarget.fromAlias(new LoadBalancerTarget(balancer)))
                    .build();
        }
        return https;
    }

    public Vpc vpc() {
        return vpc;
    }

    public Cluster cluster() {
        return cluster;
    }

    public Repository repository() {
        return repository;
    }

    public ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }

    /** HTTPS on 443 with a domain, otherwise HTTP on 80: where preview host rules go. */
    public ApplicationListener listener() {
        return listener;
    }

    /** Each preview shard's listener, shard 0 first: where preview host rules go. */
    public List<ApplicationListener> previewListeners() {
        return previewListeners;
    }

    /** Where production host rules ({@code <project>.prod.<previewDomain>}) go. */
    public ApplicationListener productionListener() {
        return productionListener;
    }

    public LogGroup appLogs() {
        return appLogs;
    }

    /** What ECS pulls app images and writes their logs with. */
    public Role appExecutionRole() {
        return appExecutionRole;
    }

    /** What app containers run as. */
    public Role appTaskRole() {
        return appTaskRole;
    }

    public SecurityGroup previewTasks() {
        return previewTasks;
    }

    public Builder builder() {
        return builder;
    }

    /**
     * Where and how builds run: one Fargate task per build, from the builder's task definition (family
     * {@value Topology#BUILDER_FAMILY}), in the private subnets behind an egress-only security group. The
     * task reads its source snapshot from the source bucket and pushes to the image repository, keeping
     * kaniko's layer cache in a repository of its own; its role may do that and nothing else (no platform
     * secret, no table). Each task is its own micro-VM: kaniko runs build steps without container isolation
     * inside its container, so the task is the sandbox.
     */
    public static final class Builder {
        /** The builder's log group; a build's logs are the stream {@code build/builder/<task id>}. */
        public static final String LOG_GROUP = "/platform/builds";
        static final String STREAM_PREFIX = "build";
        /** Source snapshots are kept for a week, for looking back at a build; unfinished uploads a day. */
        static final Duration SOURCE_RETENTION = Duration.days(7);

        private final Bucket sources;
        private final Repository cache;
        private final SecurityGroup securityGroup;
        private final FargateTaskDefinition taskDefinition;
        private final LogGroup logs;
        private final List<String> subnetIds;
        private final Cluster cluster;
        private final Builds settings;

        Builder(ComputeStack stack, Builds settings, Vpc vpc, Cluster cluster, Repository images) {
            this.cluster = cluster;
            this.settings = settings;
            sources = Bucket.Builder.create(stack, "BuildSources")
                    .encryption(BucketEncryption.S3_MANAGED)
                    .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                    .enforceSsl(true)
                    .versioned(false)
                    .lifecycleRules(List.of(software.amazon.awscdk.services.s3.LifecycleRule.builder()
                            .id("expire-snapshots")
                            .expiration(SOURCE_RETENTION)
                            .abortIncompleteMultipartUploadAfter(Duration.days(1))
                            .build()))
                    // Deleting the stack keeps the bucket: emptying it would take a custom resource Lambda.
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            cache = Repository.Builder.create(stack, "BuildCache")
                    .encryption(RepositoryEncryption.AES_256)
                    .imageTagMutability(TagMutability.MUTABLE)
                    .lifecycleRules(List.of(LifecycleRule.builder().rulePriority(1).description("Layer cache entries age out")
                            .tagStatus(TagStatus.ANY).maxImageAge(Duration.days(14)).build()))
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .emptyOnDelete(false)
                    .build();
            securityGroup = SecurityGroup.Builder.create(stack, "BuilderSecurityGroup")
                    .vpc(vpc)
                    .description("Builder tasks: egress only (GitHub is not reached: the source comes from S3)")
                    .allowAllOutbound(true)
                    .build();
            logs = LogGroup.Builder.create(stack, "BuildLogs")
                    .logGroupName(LOG_GROUP)
                    .retention(RetentionDays.ONE_MONTH)
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            taskDefinition = FargateTaskDefinition.Builder.create(stack, "BuilderTaskDefinition")
                    .family(Topology.BUILDER_FAMILY)
                    .cpu(settings.cpu())
                    .memoryLimitMiB(settings.memoryMiB())
                    // kaniko unpacks base images on the task's disk
                    .ephemeralStorageGiB(50)
                    // the pinned builder image is the linux/amd64 one
                    .runtimePlatform(RuntimePlatform.builder()
                            .cpuArchitecture(CpuArchitecture.X86_64)
                            .operatingSystemFamily(OperatingSystemFamily.LINUX)
                            .build())
                    .build();
            int timeoutSeconds = settings.timeoutMinutes() * 60;
            taskDefinition.addContainer(Topology.BUILDER_CONTAINER, ContainerDefinitionOptions.builder()
                    .image(ContainerImage.fromRegistry(settings.builderImage()))
                    .essential(true)
                    // The build's flags arrive as the command; the timeout is the builder's own, as ECS has none.
                    .entryPoint(List.of("/busybox/sh", "-c", TIMEOUT_SCRIPT, "builder"))
                    .environment(Map.of(
                            "BUILD_TIMEOUT_SECONDS", Integer.toString(timeoutSeconds),
                            "AWS_REGION", stack.getRegion(),
                            "AWS_SDK_LOAD_CONFIG", "true"))
                    .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix(STREAM_PREFIX).build()))
                    .build());
            // explicit actions: CDK's grantRead would allow s3:GetObject* and s3:List* wildcards
            taskDefinition.getTaskRole().addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .actions(List.of("s3:GetObject"))
                    .resources(List.of(sources.arnForObjects("sources/*")))
                    .build());
            images.grantPullPush(taskDefinition.getTaskRole());
            cache.grantPullPush(taskDefinition.getTaskRole());
            subnetIds = vpc.getPrivateSubnets().stream().map(ISubnet::getSubnetId).toList();
        }

        /**
         * Runs kaniko under the build timeout; past it the build exits 124 (what the watcher reports as a
         * timeout) with a line saying so, whatever signal ended kaniko.
         */
        static final String TIMEOUT_SCRIPT = "started=$(date +%s); "
                + "timeout \"$BUILD_TIMEOUT_SECONDS\" /kaniko/executor \"$@\"; code=$?; "
                + "if [ $(( $(date +%s) - started )) -ge \"$BUILD_TIMEOUT_SECONDS\" ]; then "
                + "echo \"the build timed out after $BUILD_TIMEOUT_SECONDS seconds\" >&2; exit 124; fi; exit $code";

        public Bucket sources() {
            return sources;
        }

        public Repository cache() {
            return cache;
        }

        public SecurityGroup securityGroup() {
            return securityGroup;
        }

        public FargateTaskDefinition taskDefinition() {
            return taskDefinition;
        }

        public List<String> subnetIds() {
            return subnetIds;
        }

        public Cluster cluster() {
            return cluster;
        }

        public Builds settings() {
            return settings;
        }

        /** The CloudWatch console page of a build's log stream, {@code {taskId}} standing for the task's id. */
        public String logsUrl(Stack stack) {
            String region = stack.getRegion();
            return "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region
                    + "#logsV2:log-groups/log-group/" + LOG_GROUP.replace("/", "$252F") + "/log-events/"
                    + STREAM_PREFIX + "$252F" + Topology.BUILDER_CONTAINER + "$252F{taskId}";
        }
    }
}
