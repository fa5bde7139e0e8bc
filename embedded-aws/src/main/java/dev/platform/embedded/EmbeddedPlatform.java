package dev.platform.embedded;

import dev.platform.aws.PlatformConfig;
import dev.platform.aws.dynamodb.DynamoTables;
import dev.platform.aws.dynamodb.ProjectRegistry;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.topology.QueueSpec;
import dev.platform.topology.Settings;
import dev.platform.topology.Topology;
import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The platform's resources on the embedded services, set up the way the CDK app sets them up on AWS:
 * the table, the queues with their dead-letter queues and redrive policies, the demo project, the
 * settings every function reads, and whether the queues are drained. One place for the local
 * runtime, the tests and the bench.
 */
public final class EmbeddedPlatform {
    public static final String TABLE_NAME = "platform";
    public static final String EVENT_BUS_NAME = "platform-local";
    public static final String DEMO_TEAM_ID = "demo-team";
    public static final ProjectId DEMO_PROJECT_ID = ProjectId.of("hello-world");

    private EmbeddedPlatform() {
    }

    /** A queue's URL and its dead-letter queue's. */
    public record QueueUrls(String url, String deadLetterUrl) {
    }

    /**
     * A function's settings with every client on one endpoint (a test's loopback) and placeholder names for the
     * table, the bus, the app cluster, its network and the load balancers, so any function's graph can be built.
     */
    public static PlatformConfig loopbackConfig(URI endpoint) {
        return new PlatformConfig(Map.ofEntries(
                Map.entry("AWS_REGION", LocalClients.REGION), Map.entry("AWS_ACCESS_KEY_ID", "test"),
                Map.entry("AWS_SECRET_ACCESS_KEY", "test"), Map.entry("AWS_ENDPOINT_URL", endpoint.toString()),
                Map.entry(PlatformConfig.TABLE_NAME, TABLE_NAME), Map.entry(PlatformConfig.EVENT_BUS_NAME, EVENT_BUS_NAME),
                Map.entry(Settings.APP_CLUSTER, "platform"), Map.entry(Settings.APP_SUBNETS, "subnet-1,subnet-2"),
                Map.entry(Settings.APP_SECURITY_GROUP, "sg-1"),
                Map.entry(Settings.APP_EXECUTION_ROLE_ARN, "arn:aws:iam::000000000000:role/app-execution"),
                Map.entry(Settings.APP_TASK_ROLE_ARN, "arn:aws:iam::000000000000:role/app-task"),
                Map.entry(Settings.APP_LOG_GROUP, "/platform/apps"), Map.entry(Settings.APP_VPC_ID, "vpc-1"),
                Map.entry(Settings.PREVIEW_LISTENER_ARNS,
                        "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/previews-0/1/2"),
                Map.entry(Settings.PRODUCTION_LISTENER_ARN,
                        "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/production/1/2"),
                Map.entry(Settings.PREVIEW_DOMAIN, "preview.example.com"), Map.entry(Settings.ENV_KEY_ID, "alias/platform-env")));
    }

    /** The seeded demo project, linked to {@code repository} with {@code productionBranch}. */
    public static ProjectLink demoProject(String repository, String productionBranch) {
        return new ProjectLink(DEMO_PROJECT_ID, DEMO_TEAM_ID, repository, productionBranch);
    }

    /** The table of the topology, unless it exists (a persistent data dir keeps it). */
    public static void createTable(DynamoDbClient dynamoDb, String tableName) {
        DynamoTables.createIfMissing(dynamoDb, Topology.TABLE, tableName);
    }

    /**
     * Registers the project, or points the stored one at {@code wanted}'s repository and branch.
     *
     * @return what was stored before, when it was moved
     */
    public static Optional<ProjectLink> seed(DynamoDbClient dynamoDb, String tableName, ProjectLink wanted, Instant now) {
        ProjectRegistry registry = new ProjectRegistry(dynamoDb, tableName);
        if (registry.register("Demo team", wanted, now)) {
            return Optional.empty();
        }
        ProjectLink stored = registry.project(wanted.projectId()).orElseThrow(
                () -> new IllegalStateException("the repository link of " + wanted.projectId() + " exists without the project"));
        if (stored.repository().equals(wanted.repository()) && stored.productionBranch().equals(wanted.productionBranch())) {
            return Optional.empty();
        }
        registry.relink(stored, wanted.repository(), wanted.productionBranch(), now);
        return Optional.of(stored);
    }

    /**
     * A queue of the topology with its dead-letter queue and redrive policy (maxReceiveCount from the
     * topology), as on AWS.
     *
     * @param suffix appended to the names (before {@code .fifo}) for a separate copy, or empty
     */
    public static QueueUrls createQueue(SqsClient sqs, QueueSpec queue, String suffix, int visibilityTimeoutSeconds) {
        Map<QueueAttributeName, String> kind = new HashMap<>();
        if (queue.fifo()) {
            kind.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        String dlqUrl = sqs.createQueue(r -> r.queueName(named(queue.deadLetterQueueName(), suffix)).attributes(kind)).queueUrl();
        String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        Map<QueueAttributeName, String> attributes = new HashMap<>(kind);
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds));
        attributes.put(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + queue.maxReceiveCount() + "\"}");
        String url = sqs.createQueue(r -> r.queueName(named(queue.name(), suffix)).attributes(attributes)).queueUrl();
        return new QueueUrls(url, dlqUrl);
    }

    private static String named(String name, String suffix) {
        if (suffix.isEmpty()) {
            return name;
        }
        return name.endsWith(".fifo") ? name.substring(0, name.length() - ".fifo".length()) + "-" + suffix + ".fifo"
                : name + "-" + suffix;
    }

    /**
     * What every function reads from its environment (the CDK app sets the same names on AWS),
     * pointing at these endpoints.
     *
     * @param queueUrls URL per topology queue name (queues missing here are left out)
     */
    public static Map<String, String> functionSettings(URI dynamoDb, URI sqs, URI eventBridge, String tableName,
                                                       String webhookSecret, Map<String, String> queueUrls) {
        Map<String, String> settings = new HashMap<>(LocalClients.settings(dynamoDb, sqs));
        settings.put("AWS_ENDPOINT_URL_EVENTBRIDGE", eventBridge.toString());
        settings.put(PlatformConfig.TABLE_NAME, tableName);
        settings.put(PlatformConfig.EVENT_BUS_NAME, EVENT_BUS_NAME);
        settings.put(PlatformConfig.GITHUB_WEBHOOK_SECRET, webhookSecret);
        for (QueueSpec queue : Topology.queues()) {
            String url = queueUrls.get(queue.name());
            if (url != null) {
                settings.put(queue.urlVariable(), url);
            }
        }
        return settings;
    }

    /** Messages waiting or in flight in these queues (0: drained). */
    public static long queued(SqsClient sqs, Collection<String> queueUrls) {
        long total = 0;
        for (String queueUrl : queueUrls) {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            total += Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        }
        return total;
    }
}
