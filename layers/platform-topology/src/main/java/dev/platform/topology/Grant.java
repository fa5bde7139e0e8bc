package dev.platform.topology;

/**
 * What a function may reach. The CDK app turns each grant into least-privilege IAM statements and
 * the environment variables that name the resource; nothing else is granted.
 */
public sealed interface Grant {

    /** Send messages to a queue (its URL arrives in {@link QueueSpec#urlVariable()}). */
    record SendMessages(QueueSpec queue) implements Grant {
    }

    /** Read and write items of the platform table ({@code TABLE_NAME}). */
    record ReadWriteTable() implements Grant {
    }

    /** Put events on the platform event bus ({@code EVENT_BUS_NAME}). */
    record PutPlatformEvents() implements Grant {
    }

    /** Read the GitHub webhook secret. */
    record ReadWebhookSecret() implements Grant {
    }

    /**
     * Start and stop builder tasks ({@code BUILD_CLUSTER}, {@code BUILDER_TASK_DEFINITION}, its subnets and
     * security group, the layer cache repository, where build logs are).
     */
    record RunBuilderTasks() implements Grant {
    }

    /** Write source snapshots to the source bucket ({@code SOURCE_BUCKET}, {@code BUILD_MAX_SOURCE_BYTES}). */
    record WriteSources() implements Grant {
    }

    /** Read which images the platform's repository holds ({@code IMAGE_REPOSITORY_URI}). */
    record DescribeImages() implements Grant {
    }

    /** Act as the platform's GitHub App: read its id and key ({@code GITHUB_APP_SECRET_ARN}, {@code GITHUB_API_URL}). */
    record ActAsGitHubApp() implements Grant {
    }

    /**
     * Register and deregister app task definitions and create, update and delete the app services in the
     * platform cluster, passing the app execution and task roles ({@code APP_CLUSTER}, {@code APP_SUBNETS},
     * {@code APP_SECURITY_GROUP}, {@code APP_EXECUTION_ROLE_ARN}, {@code APP_TASK_ROLE_ARN}, {@code APP_LOG_GROUP}), and
     * apply the sleep policy ({@code DEFAULT_SLEEP_AFTER}, {@code DEFAULT_EXPIRE_AFTER}, {@code DEFAULT_MAX_ACTIVE_PREVIEWS}).
     */
    record ManageServices() implements Grant {
    }

    /**
     * Create and delete the apps' target groups and their host rules on the preview shards' and the production
     * listeners ({@code APP_VPC_ID}, {@code PREVIEW_LISTENER_ARNS}, {@code PRODUCTION_LISTENER_ARN},
     * {@code PREVIEW_DOMAIN}, {@code PREVIEW_SHARD_CAPACITY}, {@code PREVIEW_URL_TEMPLATE}), and point a sleeping
     * preview's rule at its shard's waker target group ({@code WAKER_TARGET_GROUP_ARNS}).
     */
    record ManageRouting() implements Grant {
    }

    /**
     * Read the preview load balancers' per-target-group {@code RequestCount} ({@code cloudwatch:GetMetricData},
     * which IAM cannot narrow to a resource), to tell when a preview was last requested ({@code PREVIEW_LISTENER_ARNS}:
     * each shard's load balancer).
     */
    record ReadTraffic() implements Grant {
    }

    /**
     * Seal and open environment variable values with the platform's key ({@code ENV_KEY_ID}): {@code kms:GenerateDataKey}
     * and {@code kms:Decrypt} on that key only, with an encryption context (every value is sealed under its team,
     * project, scope and name).
     */
    record SealEnvironmentValues() implements Grant {
    }
}
