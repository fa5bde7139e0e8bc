package dev.platform.infra;

import dev.platform.core.github.AcceptGitHubDelivery;
import dev.platform.topology.DataTable;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Grant;
import dev.platform.topology.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.sqs.IQueue;

/**
 * What a function may reach, derived only from its {@link FunctionSpec#grants()}: the IAM
 * statements (explicit actions on named resources, never a wildcard action) and the environment
 * variables that name those resources. Nothing else is granted here.
 */
record FunctionAccess(Map<String, String> environment, List<PolicyStatement> statements) {

    /**
     * The item-level actions the adapters use (transactions are authorized per contained action).
     * No Scan: the design reaches every item through a key or an index.
     */
    static final List<String> TABLE_ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem");
    static final List<String> INDEX_ACTIONS = List.of("dynamodb:Query");
    static final List<String> SEND_ACTIONS = List.of("sqs:SendMessage");
    static final List<String> PUT_EVENTS_ACTIONS = List.of("events:PutEvents");
    static final List<String> READ_SECRET_ACTIONS = List.of("secretsmanager:GetSecretValue");
    /** RunTask with tags needs the right to tag what it creates. */
    static final List<String> RUN_TASK_ACTIONS = List.of("ecs:RunTask", "ecs:TagResource");
    static final List<String> TASK_ACTIONS = List.of("ecs:StopTask", "ecs:DescribeTasks");
    static final List<String> PASS_ROLE_ACTIONS = List.of("iam:PassRole");
    static final List<String> WRITE_SOURCE_ACTIONS = List.of("s3:PutObject", "s3:AbortMultipartUpload");
    static final List<String> DESCRIBE_IMAGES_ACTIONS = List.of("ecr:DescribeImages");
    /** The actions IAM grants only on every resource: their requests name no resource (or none IAM can check). */
    static final List<String> TASK_DEFINITION_ACTIONS = List.of("ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition",
            "ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions");
    static final List<String> TAG_ACTIONS = List.of("ecs:TagResource");
    static final List<String> SERVICE_ACTIONS = List.of("ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService",
            "ecs:DescribeServices", "ecs:TagResource");
    static final List<String> LIST_SERVICES_ACTIONS = List.of("ecs:ListServices");
    static final List<String> TARGET_GROUP_ACTIONS = List.of("elasticloadbalancing:CreateTargetGroup",
            "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:AddTags");
    static final List<String> CREATE_RULE_ACTIONS = List.of("elasticloadbalancing:CreateRule", "elasticloadbalancing:AddTags");
    static final List<String> RULE_ACTIONS = List.of("elasticloadbalancing:ModifyRule", "elasticloadbalancing:DeleteRule",
            "elasticloadbalancing:AddTags");
    static final List<String> DESCRIBE_ROUTING_ACTIONS = List.of("elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags");
    /** CloudWatch has no resource-level permission for reading metrics: it is granted on every resource. */
    static final List<String> READ_TRAFFIC_ACTIONS = List.of("cloudwatch:GetMetricData");
    static final List<String> SEAL_ACTIONS = List.of("kms:GenerateDataKey", "kms:Decrypt");
    /**
     * The sleep policy's defaults, stated in the environment as the webhook's size limit and the shard capacity are
     * (the code falls back to the same values, {@code SleepPolicy.DEFAULTS}): idle previews sleep after 30 minutes,
     * previews without a new commit expire after 7 days, 10 previews of a project run at once.
     */
    static final String DEFAULT_SLEEP_AFTER = "PT30M";
    static final String DEFAULT_EXPIRE_AFTER = "P7D";
    static final int DEFAULT_MAX_ACTIVE_PREVIEWS = 10;
    /** Every app target group's name starts so ({@code EnvironmentRef.targetGroupName}). */
    static final String TARGET_GROUP_PREFIX = "e-";
    /** The preview domain without a configured one: reserved, never resolvable (RFC 2606). */
    static final String NO_DOMAIN = "preview.invalid";

    /**
     * @param shardTargetGroupArns the load balancers' Lambda target groups, one per preview shard, shard 0 first
     *     ({@code WAKER_TARGET_GROUP_ARNS} of the routing functions); empty when no function is that target
     */
    static FunctionAccess of(FunctionSpec function, DataStack data, MessagingStack messaging, ComputeStack compute,
                             PlatformSettings settings, List<String> shardTargetGroupArns) {
        ComputeStack.Builder builder = compute.builder();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(Settings.FUNCTION_TIMEOUT_SECONDS, Integer.toString(function.timeoutSeconds()));
        List<PolicyStatement> statements = new ArrayList<>();
        for (Grant grant : function.grants()) {
            switch (grant) {
                case Grant.SendMessages send -> {
                    IQueue queue = messaging.queue(send.queue());
                    environment.put(send.queue().urlVariable(), queue.getQueueUrl());
                    // The queues use SQS-managed encryption: no KMS permission is needed to send.
                    statements.add(allow(SEND_ACTIONS, List.of(queue.getQueueArn())));
                }
                case Grant.ReadWriteTable ignored -> {
                    environment.put(Settings.TABLE_NAME, data.table().getTableName());
                    statements.add(allow(TABLE_ACTIONS, List.of(data.table().getTableArn())));
                    List<String> indexes = data.spec().globalIndexes().stream()
                            .map(DataTable.GlobalIndex::name)
                            .map(name -> data.table().getTableArn() + "/index/" + name)
                            .toList();
                    if (!indexes.isEmpty()) {
                        statements.add(allow(INDEX_ACTIONS, indexes));
                    }
                }
                case Grant.PutPlatformEvents ignored -> {
                    environment.put(Settings.EVENT_BUS_NAME, messaging.bus().getEventBusName());
                    statements.add(allow(PUT_EVENTS_ACTIONS, List.of(messaging.bus().getEventBusArn())));
                }
                case Grant.SealEnvironmentValues ignored -> {
                    environment.put(Settings.ENV_KEY_ID, data.envKey().getKeyArn());
                    statements.add(allow(SEAL_ACTIONS, List.of(data.envKey().getKeyArn())));
                }
                case Grant.ReadWebhookSecret ignored -> {
                    environment.put(Settings.GITHUB_WEBHOOK_SECRET_ARN, data.webhookSecret().getSecretArn());
                    // Whoever reads the webhook secret receives deliveries: state their size limit
                    // explicitly (API Gateway's own limit is 10 MB, Lambda's request limit 6 MB).
                    environment.put(Settings.WEBHOOK_MAX_BODY_BYTES,
                            Integer.toString(AcceptGitHubDelivery.DEFAULT_MAX_BODY_BYTES));
                    statements.add(allow(READ_SECRET_ACTIONS, List.of(data.webhookSecret().getSecretArn())));
                }
                case Grant.ActAsGitHubApp ignored -> {
                    environment.put(Settings.GITHUB_APP_SECRET_ARN, data.gitHubAppSecret().getSecretArn());
                    environment.put(Settings.GITHUB_API_URL, settings.builds().gitHubApiUrl());
                    statements.add(allow(READ_SECRET_ACTIONS, List.of(data.gitHubAppSecret().getSecretArn())));
                }
                case Grant.WriteSources ignored -> {
                    environment.put(Settings.SOURCE_BUCKET, builder.sources().getBucketName());
                    environment.put(Settings.BUILD_MAX_SOURCE_BYTES, Long.toString(settings.builds().maxSourceMiB() * 1024L * 1024L));
                    statements.add(allow(WRITE_SOURCE_ACTIONS, List.of(builder.sources().arnForObjects("sources/*"))));
                }
                case Grant.RunBuilderTasks ignored -> {
                    var task = builder.taskDefinition();
                    environment.put(Settings.BUILD_CLUSTER, builder.cluster().getClusterName());
                    environment.put(Settings.BUILDER_TASK_DEFINITION, task.getFamily());
                    environment.put(Settings.BUILDER_SUBNETS, String.join(",", builder.subnetIds()));
                    environment.put(Settings.BUILDER_SECURITY_GROUP, builder.securityGroup().getSecurityGroupId());
                    environment.put(Settings.BUILD_CACHE_REPOSITORY_URI, builder.cache().getRepositoryUri());
                    environment.put(Settings.BUILD_LOGS_URL, builder.logsUrl(compute));
                    // every revision of the builder's family, and only the platform cluster's tasks
                    statements.add(allow(RUN_TASK_ACTIONS, List.of(familyArn(compute, task.getFamily()))));
                    statements.add(allow(TASK_ACTIONS, List.of(compute.formatArn(ArnComponents.builder()
                            .service("ecs").resource("task").resourceName(builder.cluster().getClusterName() + "/*").build()))));
                    statements.add(allow(PASS_ROLE_ACTIONS, List.of(task.getTaskRole().getRoleArn(),
                            task.obtainExecutionRole().getRoleArn())));
                }
                case Grant.ManageServices ignored -> {
                    environment.put(Settings.APP_CLUSTER, compute.cluster().getClusterName());
                    environment.put(Settings.APP_SUBNETS, String.join(",", builder.subnetIds()));
                    environment.put(Settings.APP_SECURITY_GROUP, compute.previewTasks().getSecurityGroupId());
                    environment.put(Settings.APP_EXECUTION_ROLE_ARN, compute.appExecutionRole().getRoleArn());
                    environment.put(Settings.APP_TASK_ROLE_ARN, compute.appTaskRole().getRoleArn());
                    environment.put(Settings.APP_LOG_GROUP, ComputeStack.APP_LOG_GROUP);
                    environment.put(Settings.APP_LOGS_URL, ComputeStack.appLogsUrl(compute));
                    // whoever starts and stops previews may apply the sleep policy: its defaults, as the code has them
                    environment.put(Settings.DEFAULT_SLEEP_AFTER, DEFAULT_SLEEP_AFTER);
                    environment.put(Settings.DEFAULT_EXPIRE_AFTER, DEFAULT_EXPIRE_AFTER);
                    environment.put(Settings.DEFAULT_MAX_ACTIVE_PREVIEWS, Integer.toString(DEFAULT_MAX_ACTIVE_PREVIEWS));
                    // task definition actions have no resource-level permissions; tagging a new revision has
                    statements.add(allow(TASK_DEFINITION_ACTIONS, List.of("*")));
                    statements.add(allow(TAG_ACTIONS, List.of(compute.formatArn(ArnComponents.builder()
                            .service("ecs").resource("task-definition").resourceName("*").build()))));
                    statements.add(allow(SERVICE_ACTIONS, List.of(compute.formatArn(ArnComponents.builder()
                            .service("ecs").resource("service").resourceName(compute.cluster().getClusterName() + "/*").build()))));
                    statements.add(PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(LIST_SERVICES_ACTIONS)
                            .resources(List.of("*"))
                            .conditions(Map.of("ArnEquals", Map.of("ecs:cluster", compute.cluster().getClusterArn())))
                            .build());
                    statements.add(PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(PASS_ROLE_ACTIONS)
                            .resources(List.of(compute.appExecutionRole().getRoleArn(), compute.appTaskRole().getRoleArn()))
                            .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")))
                            .build());
                }
                case Grant.ManageRouting ignored -> {
                    environment.put(Settings.APP_VPC_ID, compute.vpc().getVpcId());
                    environment.put(Settings.PREVIEW_LISTENER_ARNS, previewListenerArns(compute));
                    if (!shardTargetGroupArns.isEmpty()) {
                        // a sleeping preview's rule forwards to its shard's group (ModifyRule, allowed below)
                        environment.put(Settings.WAKER_TARGET_GROUP_ARNS, Fn.join(",", shardTargetGroupArns));
                    }
                    environment.put(Settings.PRODUCTION_LISTENER_ARN, compute.productionListener().getListenerArn());
                    // without a domain previews answer only to an explicit Host header on the load balancer's name
                    environment.put(Settings.PREVIEW_DOMAIN, settings.previewDomain().orElse(NO_DOMAIN));
                    environment.put(Settings.PREVIEW_SHARD_CAPACITY, Integer.toString(PlatformSettings.PREVIEW_SHARD_CAPACITY));
                    environment.put(Settings.PREVIEW_URL_TEMPLATE, settings.https() ? "https://{host}" : "http://{host}");
                    statements.add(allow(TARGET_GROUP_ACTIONS, List.of(compute.formatArn(ArnComponents.builder()
                            .service("elasticloadbalancing").resource("targetgroup").resourceName(TARGET_GROUP_PREFIX + "*/*")
                            .build()))));
                    List<String> listeners = new ArrayList<>(compute.previewListeners().stream()
                            .map(ApplicationListener::getListenerArn).toList());
                    listeners.add(compute.productionListener().getListenerArn());
                    statements.add(allow(CREATE_RULE_ACTIONS, listeners));
                    statements.add(allow(RULE_ACTIONS, List.of(compute.formatArn(ArnComponents.builder()
                            .service("elasticloadbalancing").resource("listener-rule").resourceName("app/*").build()))));
                    // describe actions have no resource-level permissions
                    statements.add(allow(DESCRIBE_ROUTING_ACTIONS, List.of("*")));
                }
                case Grant.ReadTraffic ignored -> {
                    // each shard's LoadBalancer dimension comes from its listener's ARN (CloudWatchInboundTraffic)
                    environment.put(Settings.PREVIEW_LISTENER_ARNS, previewListenerArns(compute));
                    statements.add(allow(READ_TRAFFIC_ACTIONS, List.of("*")));
                }
                case Grant.DescribeImages ignored -> {
                    environment.put(Settings.IMAGE_REPOSITORY_URI, compute.repository().getRepositoryUri());
                    statements.add(allow(DESCRIBE_IMAGES_ACTIONS, List.of(compute.repository().getRepositoryArn())));
                }
            }
        }
        return new FunctionAccess(environment, statements);
    }

    /** The preview shards' listeners, shard 0 first, comma-separated. */
    private static String previewListenerArns(ComputeStack compute) {
        return Fn.join(",", compute.previewListeners().stream().map(ApplicationListener::getListenerArn).toList());
    }

    private static String familyArn(ComputeStack compute, String family) {
        return compute.formatArn(ArnComponents.builder()
                .service("ecs").resource("task-definition").resourceName(family + ":*").build());
    }

    private static PolicyStatement allow(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build();
    }
}
