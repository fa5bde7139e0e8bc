package dev.platform.topology;

/**
 * Names of the settings (environment variables) a deployed function reads. The CDK app sets them
 * from each function's grants and {@code dev.platform.aws.PlatformConfig} reads them; both refer to
 * these constants so a rename cannot leave one side behind. Queue URLs use
 * {@link QueueSpec#urlVariable()}.
 */
public final class Settings {
    /** The platform table's name ({@link Grant.ReadWriteTable}). */
    public static final String TABLE_NAME = "TABLE_NAME";
    /** The platform event bus's name ({@link Grant.PutPlatformEvents}). */
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    /** The webhook secret itself: local runtime and tests only. */
    public static final String GITHUB_WEBHOOK_SECRET = "GITHUB_WEBHOOK_SECRET";
    /** The Secrets Manager secret holding the webhook secret ({@link Grant.ReadWebhookSecret}). */
    public static final String GITHUB_WEBHOOK_SECRET_ARN = "GITHUB_WEBHOOK_SECRET_ARN";
    /**
     * The Secrets Manager secret holding the GitHub App's credentials, JSON
     * {@code {"appId":"123","privateKey":"-----BEGIN RSA PRIVATE KEY-----..."}}.
     */
    public static final String GITHUB_APP_SECRET_ARN = "GITHUB_APP_SECRET_ARN";
    /**
     * GitHub's REST API base URL: {@code https://api.github.com} when unset, {@code https://HOST/api/v3}
     * for GitHub Enterprise Server.
     */
    public static final String GITHUB_API_URL = "GITHUB_API_URL";
    /** The GitHub App's id and private key (PEM) themselves: local runtime and tests only (on AWS: the secret). */
    public static final String GITHUB_APP_ID = "GITHUB_APP_ID";
    public static final String GITHUB_APP_PRIVATE_KEY = "GITHUB_APP_PRIVATE_KEY";
    /**
     * The function's own timeout in seconds (every function): its AWS SDK calls give up well before it,
     * so a slow dependency becomes an answer the function chooses (a 503, a retried message), never a
     * timeout Lambda or API Gateway reports for it.
     */
    public static final String FUNCTION_TIMEOUT_SECONDS = "FUNCTION_TIMEOUT_SECONDS";
    /** The bucket build source snapshots wait in for the builder task. */
    public static final String SOURCE_BUCKET = "SOURCE_BUCKET";
    /**
     * The KMS key (key id, key ARN, alias name {@code alias/...} or alias ARN) that wraps the data keys of environment
     * variable values.
     */
    public static final String ENV_KEY_ID = "ENV_KEY_ID";
    /**
     * The KMS key (id, ARN or alias) that encrypts environments' sensitive variables in SSM Parameter Store;
     * unset: the account's AWS managed key {@code aws/ssm}. A customer managed key lets the key policy, not only
     * IAM, decide who reads them; the app tasks' execution role then needs {@code kms:Decrypt} on it.
     */
    public static final String ENV_PARAMETER_KEY_ID = "ENV_PARAMETER_KEY_ID";
    /** Largest webhook body accepted, in bytes; larger deliveries are answered 413. */
    public static final String WEBHOOK_MAX_BODY_BYTES = "WEBHOOK_MAX_BODY_BYTES";

    /** The ECS cluster builder tasks run in. */
    public static final String BUILD_CLUSTER = "BUILD_CLUSTER";
    /** The builder's task definition (family or ARN). */
    public static final String BUILDER_TASK_DEFINITION = "BUILDER_TASK_DEFINITION";
    /** Comma-separated private subnets builder tasks run in. */
    public static final String BUILDER_SUBNETS = "BUILDER_SUBNETS";
    /** The builder tasks' security group (egress only). */
    public static final String BUILDER_SECURITY_GROUP = "BUILDER_SECURITY_GROUP";
    /** The ECR repository images are pushed to ({@code <account>.dkr.ecr.<region>.amazonaws.com/<name>}). */
    public static final String IMAGE_REPOSITORY_URI = "IMAGE_REPOSITORY_URI";
    /** The ECR repository holding the builder's layer cache. */
    public static final String BUILD_CACHE_REPOSITORY_URI = "BUILD_CACHE_REPOSITORY_URI";
    /** Largest source snapshot (a commit's tarball) a build accepts, in bytes (default 500 MiB). */
    public static final String BUILD_MAX_SOURCE_BYTES = "BUILD_MAX_SOURCE_BYTES";
    /** Where a build's logs are, with {@code {taskId}} for the builder task's id (a check run links to it). */
    public static final String BUILD_LOGS_URL = "BUILD_LOGS_URL";

    private Settings() {
    }
    /** The ECS cluster previews and production services run in ({@link Grant.ManageServices}). */
    public static final String APP_CLUSTER = "APP_CLUSTER";
    /** Comma-separated private subnets app tasks run in. */
    public static final String APP_SUBNETS = "APP_SUBNETS";
    /** The app tasks' security group (ingress from the load balancers only). */
    public static final String APP_SECURITY_GROUP = "APP_SECURITY_GROUP";
    /** The role ECS pulls images and writes logs with for app tasks. */
    public static final String APP_EXECUTION_ROLE_ARN = "APP_EXECUTION_ROLE_ARN";
    /** The role app containers run as (no permissions by default). */
    public static final String APP_TASK_ROLE_ARN = "APP_TASK_ROLE_ARN";
    /** The CloudWatch log group app containers log to. */
    public static final String APP_LOG_GROUP = "APP_LOG_GROUP";
    /** Where an environment's logs are read, with {@code {serviceName}}: the log link of its GitHub deployment statuses. */
    public static final String APP_LOGS_URL = "APP_LOGS_URL";
    /** The VPC target groups are created in ({@link Grant.ManageRouting}). */
    public static final String APP_VPC_ID = "APP_VPC_ID";
    /** Comma-separated HTTPS listener ARNs of the preview load balancer shards, shard 0 first. */
    public static final String PREVIEW_LISTENER_ARNS = "PREVIEW_LISTENER_ARNS";
    /** The HTTPS listener ARN of the production load balancer. */
    public static final String PRODUCTION_LISTENER_ARN = "PRODUCTION_LISTENER_ARN";
    /** The domain previews are served under: shard 0 {@code *.<domain>}, shard k {@code *.s<k>.<domain>}. */
    public static final String PREVIEW_DOMAIN = "PREVIEW_DOMAIN";
    /** How many previews one load balancer shard holds (default 95: an ALB holds at most 100 target groups). */
    public static final String PREVIEW_SHARD_CAPACITY = "PREVIEW_SHARD_CAPACITY";
    /** Where a preview's URL scheme and port come from: {@code https://<host>} on AWS, {@code http://<host>:8080} locally. */
    public static final String PREVIEW_URL_TEMPLATE = "PREVIEW_URL_TEMPLATE";
    /** How old a tagged resource without a live environment must be before the reconciler removes it (ISO-8601, default {@code PT10M}). */
    public static final String RECONCILER_GRACE = "RECONCILER_GRACE";
    /** Comma-separated ARNs of the waker's Lambda target groups, one per preview shard, shard 0 first. */
    public static final String WAKER_TARGET_GROUP_ARNS = "WAKER_TARGET_GROUP_ARNS";
    /** How long a preview may go without an inbound request before it sleeps (ISO-8601, default {@code PT30M}). */
    public static final String DEFAULT_SLEEP_AFTER = "DEFAULT_SLEEP_AFTER";
    /** How long a preview lives without a new commit (ISO-8601, default {@code P7D}); notice is given 24 h before. */
    public static final String DEFAULT_EXPIRE_AFTER = "DEFAULT_EXPIRE_AFTER";
    /** How many previews of one project run at once (default 10); one more → the least recently requested sleeps. */
    public static final String DEFAULT_MAX_ACTIVE_PREVIEWS = "DEFAULT_MAX_ACTIVE_PREVIEWS";
}
