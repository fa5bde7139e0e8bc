package dev.platform.infra.templates;

import static dev.platform.infra.templates.Cfn.CONTROL_PLANE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.topology.DataTable;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Grant;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Least privilege: no wildcard action in any policy of any stack, and each function's role allows
 * exactly the (action, resource) pairs its topology entry implies: its grants, what its trigger
 * needs to deliver to it, and writing its own logs. The expected actions are spelled out here, not
 * taken from the app.
 */
class IamTemplateTest {
    private static final List<String> TABLE_ITEM_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:BatchGetItem",
            "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem");
    /** Actions IAM grants only on every resource (their requests name none it can check). */
    private static final Set<String> ON_EVERY_RESOURCE = Set.of("ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition",
            "ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions", "ecs:ListServices",
            "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags",
            "cloudwatch:GetMetricData");
    private static final List<String> QUEUE_CONSUMER_ACTIONS = List.of("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility",
            "sqs:GetQueueUrl", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
    private static final List<String> FAILURE_DESTINATION_ACTIONS = List.of("sqs:SendMessage", "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl");

    static Stream<Synth.Result> synths() {
        return Stream.of(Synth.of(Synth.DEFAULT), Synth.of(TestTopology.EXTENDED), Synth.of(ComputeTemplateTest.WITH_ZONE));
    }

    static Stream<Synth.Result> topologies() {
        return Stream.of(Synth.of(Synth.DEFAULT), Synth.of(TestTopology.EXTENDED));
    }

    @ParameterizedTest
    @MethodSource("synths")
    void noPolicyInAnyStackAllowsAWildcardAction(Synth.Result r) {
        int statements = 0;
        for (String stack : r.templates().keySet()) {
            JsonNode resources = r.json(stack).path("Resources");
            assertTrue(Cfn.valuesOf(resources, "NotAction").isEmpty(), stack + ": NotAction grants everything else");
            for (JsonNode statement : Cfn.valuesOf(resources, "Statement").stream().flatMap(s -> Cfn.list(s).stream()).toList()) {
                if ("Deny".equals(statement.path("Effect").asText())) {
                    continue; // a denial may cover every action (the source bucket refuses anything not over TLS)
                }
                if (Cfn.list(statement.path("Action")).stream().allMatch(a -> "kms:*".equals(a.asText()))
                        && statement.path("Principal").path("AWS").toString().contains(":root")) {
                    // a key's default policy: the account administers its key (IAM decides who uses it), so that
                    // no key can become unmanageable
                    continue;
                }
                for (JsonNode action : Cfn.list(statement.path("Action"))) {
                    statements++;
                    assertTrue(action.isTextual() && !action.asText().contains("*"), stack + ": wildcard action " + action);
                }
            }
        }
        assertTrue(statements > 0, "policies were found to check");
    }

    @ParameterizedTest
    @MethodSource("topologies")
    void eachFunctionReachesExactlyWhatItsTopologyEntryDeclares(Synth.Result r) {
        for (FunctionSpec spec : r.functions()) {
            assertEquals(expected(r, spec), granted(r, spec), spec.name());
        }
    }

    @ParameterizedTest
    @MethodSource("topologies")
    void functionRolesHaveNoManagedOrInlinePolicies(Synth.Result r) {
        for (FunctionSpec spec : r.functions()) {
            JsonNode role = r.json(CONTROL_PLANE).path("Resources").path(role(r, spec)).path("Properties");
            assertFalse(role.has("ManagedPolicyArns"), spec.name() + ": no managed policy (they grant on every resource)");
            assertFalse(role.has("Policies"), spec.name());
            assertEquals("lambda.amazonaws.com",
                    role.path("AssumeRolePolicyDocument").path("Statement").path(0).path("Principal").path("Service").asText());
        }
    }

    @Test
    void theWebhookSendsToItsQueueAndReadsItsSecretButCannotTouchTheTable() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        Set<String> granted = granted(r, Topology.GITHUB_WEBHOOK);
        assertTrue(granted.contains("sqs:SendMessage on " + queueArn(r, Topology.REPO_EVENTS.name())), granted.toString());
        assertTrue(granted.contains("secretsmanager:GetSecretValue on " + Cfn.DATA + "/" + DataTemplateTest.secret(r)),
                granted.toString());
        String table = Cfn.DATA + "/" + DataTemplateTest.table(r);
        assertTrue(granted.stream().noneMatch(g -> g.startsWith("dynamodb:") || g.contains(table)), granted.toString());
    }

    @Test
    void autoSleepReadsTheLoadBalancersTrafficAndTheWebhookCannot() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        assertTrue(granted(r, Topology.AUTO_SLEEP).contains("cloudwatch:GetMetricData on *"), granted(r, Topology.AUTO_SLEEP).toString());
        for (FunctionSpec spec : List.of(Topology.GITHUB_WEBHOOK, Topology.WAKER, Topology.PREVIEW_CONTROLLER)) {
            assertTrue(granted(r, spec).stream().noneMatch(g -> g.startsWith("cloudwatch:")), spec.name() + ": " + granted(r, spec));
        }
    }

    @Test
    void routingFunctionsMayPointASleepingPreviewsRuleAtTheWakerButNotDeleteItsTargetGroups() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        for (FunctionSpec spec : List.of(Topology.AUTO_SLEEP, Topology.PREVIEW_CONTROLLER, Topology.DEPLOYER)) {
            Set<String> granted = granted(r, spec);
            assertTrue(granted.contains("elasticloadbalancing:ModifyRule on arn:${AWS::Partition}:elasticloadbalancing:"
                    + "${AWS::Region}:${AWS::AccountId}:listener-rule/app/*"), spec.name() + ": " + granted);
            // the apps' groups are e-*; the waker's are platform-waker-<shard>
            assertTrue(granted.stream().filter(g -> g.startsWith("elasticloadbalancing:DeleteTargetGroup on "))
                    .allMatch(g -> g.endsWith(":targetgroup/e-*/*")), spec.name() + ": " + granted);
        }
    }

    @Test
    void theApiFunctionsReachTheTableAndOnlyProjectsAndPreviewsPutEventsAndOnlyPreviewsReachEcs() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        String table = Cfn.DATA + "/" + DataTemplateTest.table(r) + ".Arn";
        String bus = Cfn.MESSAGING + "/" + MessagingTemplateTest.bus(r) + ".Arn";
        for (FunctionSpec spec : List.of(Topology.API_AUTHORIZER, Topology.API_USERS, Topology.API_TEAMS, Topology.API_PROJECTS,
                Topology.API_PREVIEWS, Topology.API_ENV)) {
            Set<String> granted = granted(r, spec);
            boolean previews = spec == Topology.API_PREVIEWS;
            assertTrue(granted.contains("dynamodb:GetItem on " + table), spec.name() + ": " + granted);
            assertEquals(spec == Topology.API_PROJECTS || previews, granted.contains("events:PutEvents on " + bus),
                    spec.name() + ": " + granted);
            assertEquals(previews, granted.stream().anyMatch(g -> g.startsWith("ecs:")), spec.name() + ": " + granted);
            // only the environment variables' function holds the key that seals their values, and only to seal and open
            Set<String> kms = granted.stream().filter(g -> g.startsWith("kms:")).collect(java.util.stream.Collectors.toSet());
            assertEquals(spec == Topology.API_ENV ? Set.of("kms:GenerateDataKey on " + envKey(r), "kms:Decrypt on " + envKey(r))
                    : Set.of(), kms, spec.name() + ": " + granted);
            assertTrue(granted.stream().noneMatch(g -> g.startsWith("secretsmanager:")
                    || g.startsWith("elasticloadbalancing:") || g.startsWith("lambda:")), spec.name() + ": " + granted);
        }
    }

    /** The environment variables' key, as {@link #granted} names resources. */
    static String envKey(Synth.Result r) {
        return Cfn.DATA + "/" + Cfn.single(r, Cfn.DATA, "AWS::KMS::Key", k -> true, "environment key") + ".Arn";
    }

    /** Every "action on resource" the function's role allows. */
    static Set<String> granted(Synth.Result r, FunctionSpec spec) {
        String role = CONTROL_PLANE + "/" + role(r, spec);
        Set<String> granted = new TreeSet<>();
        for (String stack : r.templates().keySet()) {
            r.resources(stack, "AWS::IAM::Policy").values().forEach(policy -> {
                boolean attached = Cfn.list(policy.path("Properties").path("Roles")).stream()
                        .anyMatch(attachedRole -> role.equals(Cfn.resolve(r, stack, attachedRole)));
                if (!attached) {
                    return;
                }
                for (JsonNode statement : Cfn.list(policy.path("Properties").path("PolicyDocument").path("Statement"))) {
                    assertEquals("Allow", statement.path("Effect").asText());
                    for (JsonNode action : Cfn.list(statement.path("Action"))) {
                        for (JsonNode resource : Cfn.list(statement.path("Resource"))) {
                            assertFalse("*".equals(resource.asText()) && !ON_EVERY_RESOURCE.contains(action.asText()),
                                    spec.name() + ": " + action + " on every resource");
                            if (action.asText().equals("ecs:ListServices")) {
                                assertEquals(1, statement.path("Condition").path("ArnEquals").size(),
                                        spec.name() + ": ListServices only of the platform cluster");
                            }
                            if (action.asText().equals("iam:PassRole") && spec.grants().contains(new Grant.ManageServices())
                                    && !spec.grants().contains(new Grant.RunBuilderTasks())) {
                                assertEquals("ecs-tasks.amazonaws.com", statement.path("Condition").path("StringEquals")
                                        .path("iam:PassedToService").asText(), spec.name() + ": roles passed to ECS tasks only");
                            }
                            granted.add(action.asText() + " on " + Cfn.resolve(r, stack, resource));
                        }
                    }
                }
            });
        }
        return granted;
    }

    /** What the topology entry implies, in the same "action on resource" form. */
    private static Set<String> expected(Synth.Result r, FunctionSpec spec) {
        Set<String> expected = new TreeSet<>();
        JsonNode function = r.json(CONTROL_PLANE).path("Resources").path(Cfn.function(r, spec)).path("Properties");
        String logGroup = Cfn.resolve(r, CONTROL_PLANE, function.path("LoggingConfig").path("LogGroup"));
        add(expected, List.of("logs:CreateLogStream", "logs:PutLogEvents"), logGroup + ".Arn");
        for (Grant grant : spec.grants()) {
            switch (grant) {
                case Grant.SendMessages send -> add(expected, List.of("sqs:SendMessage"), queueArn(r, send.queue().name()));
                case Grant.ReadWriteTable ignored -> {
                    String table = Cfn.DATA + "/" + DataTemplateTest.table(r) + ".Arn";
                    add(expected, TABLE_ITEM_ACTIONS, table);
                    for (DataTable.GlobalIndex index : Topology.TABLE.globalIndexes()) {
                        add(expected, List.of("dynamodb:Query"), table + "/index/" + index.name());
                    }
                }
                case Grant.PutPlatformEvents ignored ->
                        add(expected, List.of("events:PutEvents"), Cfn.MESSAGING + "/" + MessagingTemplateTest.bus(r) + ".Arn");
                case Grant.ReadWebhookSecret ignored ->
                        add(expected, List.of("secretsmanager:GetSecretValue"), Cfn.DATA + "/" + DataTemplateTest.secret(r));
                case Grant.ActAsGitHubApp ignored ->
                        add(expected, List.of("secretsmanager:GetSecretValue"), Cfn.DATA + "/" + DataTemplateTest.appSecret(r));
                case Grant.WriteSources ignored -> add(expected, List.of("s3:PutObject", "s3:AbortMultipartUpload"),
                        Cfn.COMPUTE + "/" + BuilderTemplateTest.bucket(r) + ".Arn/sources/*");
                case Grant.DescribeImages ignored -> add(expected, List.of("ecr:DescribeImages"),
                        Cfn.COMPUTE + "/" + BuilderTemplateTest.imageRepository(r) + ".Arn");
                case Grant.ManageServices ignored -> {
                    add(expected, List.of("ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition",
                            "ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions", "ecs:ListServices"), "*");
                    add(expected, List.of("ecs:TagResource"),
                            "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/*");
                    add(expected, List.of("ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:DescribeServices",
                            "ecs:TagResource"), "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/"
                            + Cfn.COMPUTE + "/" + BuilderTemplateTest.cluster(r) + "/*");
                    add(expected, List.of("iam:PassRole"), Cfn.COMPUTE + "/" + role(r, "AppExecutionRole") + ".Arn");
                    add(expected, List.of("iam:PassRole"), Cfn.COMPUTE + "/" + role(r, "AppTaskRole") + ".Arn");
                }
                case Grant.ManageRouting ignored -> {
                    add(expected, List.of("elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteTargetGroup",
                            "elasticloadbalancing:AddTags"), "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:"
                            + "${AWS::AccountId}:targetgroup/e-*/*");
                    for (String listener : r.resources(Cfn.COMPUTE, "AWS::ElasticLoadBalancingV2::Listener").entrySet().stream()
                            .filter(l -> !l.getValue().path("Properties").path("DefaultActions").path(0).path("Type").asText()
                                    .equals("redirect"))
                            .map(Map.Entry::getKey).toList()) {
                        add(expected, List.of("elasticloadbalancing:CreateRule", "elasticloadbalancing:AddTags"),
                                Cfn.COMPUTE + "/" + listener);
                    }
                    add(expected, List.of("elasticloadbalancing:ModifyRule", "elasticloadbalancing:DeleteRule",
                            "elasticloadbalancing:AddTags"), "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:"
                            + "${AWS::AccountId}:listener-rule/app/*");
                    add(expected, List.of("elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeRules",
                            "elasticloadbalancing:DescribeTags"), "*");
                }
                case Grant.ReadTraffic ignored -> add(expected, List.of("cloudwatch:GetMetricData"), "*");
                case Grant.SealEnvironmentValues ignored -> add(expected, List.of("kms:GenerateDataKey", "kms:Decrypt"), envKey(r));
                case Grant.RunBuilderTasks ignored -> {
                    add(expected, List.of("ecs:RunTask", "ecs:TagResource"),
                            "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/" + Topology.BUILDER_FAMILY + ":*");
                    add(expected, List.of("ecs:StopTask", "ecs:DescribeTasks"), "arn:${AWS::Partition}:ecs:${AWS::Region}:"
                            + "${AWS::AccountId}:task/" + Cfn.COMPUTE + "/" + BuilderTemplateTest.cluster(r) + "/*");
                    JsonNode task = BuilderTemplateTest.taskDefinition(r).path("Properties");
                    add(expected, List.of("iam:PassRole"), Cfn.resolve(r, Cfn.COMPUTE, task.path("TaskRoleArn")));
                    add(expected, List.of("iam:PassRole"), Cfn.resolve(r, Cfn.COMPUTE, task.path("ExecutionRoleArn")));
                }
            }
        }
        switch (spec.trigger()) {
            case Trigger.HttpRoute ignored -> {
                // API Gateway invokes through a resource policy on the alias, not through this role.
            }
            case Trigger.ApiRoutes ignored -> {
                // API Gateway invokes through a resource policy on the alias, not through this role.
            }
            case Trigger.ApiAuthorizer ignored -> {
                // The authorizer invokes through a resource policy on the alias (no authorizer credentials role).
            }
            case Trigger.QueueTrigger queue -> add(expected, QUEUE_CONSUMER_ACTIONS, queueArn(r, queue.queue().name()));
            case Trigger.EventRule ignored -> add(expected, FAILURE_DESTINATION_ACTIONS,
                    Cfn.resolve(r, CONTROL_PLANE, RulesTemplateTest.target(r, spec).path("DeadLetterConfig").path("Arn")));
            case Trigger.EcsTaskStateChange ignored -> add(expected, FAILURE_DESTINATION_ACTIONS,
                    Cfn.resolve(r, CONTROL_PLANE, RulesTemplateTest.target(r, spec).path("DeadLetterConfig").path("Arn")));
            case Trigger.EcsDeploymentStateChange ignored -> add(expected, FAILURE_DESTINATION_ACTIONS,
                    Cfn.resolve(r, CONTROL_PLANE, RulesTemplateTest.target(r, spec).path("DeadLetterConfig").path("Arn")));
            case Trigger.Schedule ignored -> add(expected, FAILURE_DESTINATION_ACTIONS,
                    Cfn.resolve(r, CONTROL_PLANE, RulesTemplateTest.target(r, spec).path("DeadLetterConfig").path("Arn")));
            case Trigger.LoadBalancerTarget ignored -> {
                // The load balancers invoke through a resource policy on the alias, not through this role.
            }
        }
        return expected;
    }

    /** The logical id of the compute stack's role whose id starts so. */
    private static String role(Synth.Result r, String idPrefix) {
        return r.resources(Cfn.COMPUTE, "AWS::IAM::Role").keySet().stream().filter(id -> id.startsWith(idPrefix))
                .findFirst().orElseThrow(() -> new AssertionError("no role " + idPrefix));
    }

    private static String role(Synth.Result r, FunctionSpec spec) {
        JsonNode role = r.json(CONTROL_PLANE).path("Resources").path(Cfn.function(r, spec)).path("Properties").path("Role");
        return role.path("Fn::GetAtt").path(0).asText();
    }

    private static String queueArn(Synth.Result r, String queueName) {
        return Cfn.MESSAGING + "/" + Cfn.queue(r, queueName) + ".Arn";
    }

    private static void add(Set<String> into, List<String> actions, String resource) {
        actions.forEach(action -> into.add(action + " on " + resource));
    }
}
