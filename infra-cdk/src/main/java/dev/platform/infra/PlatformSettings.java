package dev.platform.infra;

import java.util.Optional;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * The deployment's settings, read from CDK context ({@code cdk.json}, {@code -c key=value} on the CDK
 * CLI, or the {@code CDK_CONTEXT_JSON} environment variable). Every value is optional; without a
 * domain the preview load balancer serves plain HTTP and no certificate or DNS record is created.
 *
 * @param previewDomain {@value #PREVIEW_DOMAIN}: previews are served at {@code <name>.<previewDomain>}
 * @param hostedZoneId {@value #HOSTED_ZONE_ID}: the Route 53 zone that holds {@code previewDomain}; the
 *     wildcard record (and, without {@code certificateArn}, the certificate's validation records) go there
 * @param certificateArn {@value #CERTIFICATE_ARN}: an existing ACM certificate for {@code *.previewDomain}
 *     in the deployment region; when absent one is requested and validated through {@code hostedZoneId}
 * @param webhookSecretName {@value #WEBHOOK_SECRET_NAME}: the Secrets Manager name of the generated
 *     GitHub webhook secret, default {@value #DEFAULT_WEBHOOK_SECRET_NAME}
 * @param alarmEmail {@value #ALARM_EMAIL}: subscribed to the alarm topic (dead-letter queues) when set
 * @param builds how builds run: the builder image, its size and timeout, the source cap, the GitHub App
 * @param previewShards {@value #PREVIEW_SHARDS}: how many preview load balancers (default 1, 1-20). An ALB
 *     holds at most 100 target groups, a hard quota, so each serves at most {@value #PREVIEW_SHARD_CAPACITY}
 *     previews; shard 0 serves {@code *.previewDomain}, shard k {@code *.s<k>.previewDomain}
 */
public record PlatformSettings(Optional<String> previewDomain, Optional<String> hostedZoneId,
                               Optional<String> certificateArn, String webhookSecretName,
                               Optional<String> alarmEmail, Builds builds, int previewShards) {

    /** Previews per load balancer shard: 100 target groups per ALB, less a margin for the waker's and spares. */
    public static final int PREVIEW_SHARD_CAPACITY = 95;

    /** One preview load balancer. */
    public PlatformSettings(Optional<String> previewDomain, Optional<String> hostedZoneId, Optional<String> certificateArn,
                            String webhookSecretName, Optional<String> alarmEmail, Builds builds) {
        this(previewDomain, hostedZoneId, certificateArn, webhookSecretName, alarmEmail, builds, 1);
    }

    /**
     * @param builderImage {@value #BUILDER_IMAGE}: the daemonless image builder, pinned by digest
     * @param cpu {@value #BUILD_CPU}: Fargate CPU units of a builder task (1024 = 1 vCPU)
     * @param memoryMiB {@value #BUILD_MEMORY_MIB}: its memory
     * @param timeoutMinutes {@value #BUILD_TIMEOUT_MINUTES}: a build running longer is stopped and fails
     * @param maxSourceMiB {@value #BUILD_MAX_SOURCE_MIB}: the cap on a commit's tarball
     * @param gitHubApiUrl {@value #GITHUB_API_URL}: GitHub's API (GitHub Enterprise Server: {@code https://HOST/api/v3})
     * @param gitHubAppSecretName {@value #GITHUB_APP_SECRET_NAME}: the secret holding the App's id and key
     */
    public record Builds(String builderImage, int cpu, int memoryMiB, int timeoutMinutes, int maxSourceMiB,
                         String gitHubApiUrl, String gitHubAppSecretName) {
        /**
         * osscontainertools/kaniko v1.26.1-debug (linux/amd64 manifest), a maintained fork of kaniko; the
         * debug variant has the busybox shell the build timeout runs under. Pinned by digest: check it with
         * {@code crane digest --platform linux/amd64 ghcr.io/osscontainertools/kaniko:v1.26.1-debug}.
         */
        public static final String DEFAULT_BUILDER_IMAGE =
                "ghcr.io/osscontainertools/kaniko@sha256:5403600dff8ed44de5d643b07e4962dfed1078d188dcc52f8719f79ae6a4d482";

        public static Builds defaults() {
            return new Builds(DEFAULT_BUILDER_IMAGE, 2048, 4096, 30, 500, "https://api.github.com", DEFAULT_GITHUB_APP_SECRET_NAME);
        }

        public Builds {
            if (!builderImage.matches("[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+@sha256:[0-9a-f]{64}")) {
                throw new IllegalArgumentException("context " + BUILDER_IMAGE + " must be an image pinned by digest "
                        + "(<registry>/<name>@sha256:<64 hex>), got '" + builderImage + "'");
            }
            // Fargate's valid pairs: 1 vCPU 2-8 GiB, 2 vCPU 4-16 GiB, 4 vCPU 8-30 GiB, 8 vCPU 16-60 GiB.
            boolean valid = switch (cpu) {
                case 1024 -> memoryMiB >= 2048 && memoryMiB <= 8192;
                case 2048 -> memoryMiB >= 4096 && memoryMiB <= 16384;
                case 4096 -> memoryMiB >= 8192 && memoryMiB <= 30720;
                case 8192 -> memoryMiB >= 16384 && memoryMiB <= 61440;
                default -> false;
            };
            if (!valid || memoryMiB % 1024 != 0) {
                throw new IllegalArgumentException("context " + BUILD_CPU + "/" + BUILD_MEMORY_MIB + " must be a Fargate size "
                        + "for a builder (1024, 2048, 4096 or 8192 CPU units with 2x-8x that in MiB, whole GiB), got "
                        + cpu + "/" + memoryMiB);
            }
            if (timeoutMinutes < 1 || timeoutMinutes > 240) {
                throw new IllegalArgumentException("context " + BUILD_TIMEOUT_MINUTES + " must be 1-240, got " + timeoutMinutes);
            }
            if (maxSourceMiB < 1 || maxSourceMiB > 10_240) {
                throw new IllegalArgumentException("context " + BUILD_MAX_SOURCE_MIB + " must be 1-10240, got " + maxSourceMiB);
            }
            if (!gitHubApiUrl.matches("https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._/-]*)?")) {
                throw new IllegalArgumentException("context " + GITHUB_API_URL + " must be an https URL, got '" + gitHubApiUrl + "'");
            }
            check(SECRET_NAME, gitHubAppSecretName, GITHUB_APP_SECRET_NAME, "a Secrets Manager name");
        }
    }

    public static final String PREVIEW_DOMAIN = "previewDomain";
    public static final String PREVIEW_SHARDS = "previewShards";
    public static final String HOSTED_ZONE_ID = "hostedZoneId";
    public static final String CERTIFICATE_ARN = "certificateArn";
    public static final String WEBHOOK_SECRET_NAME = "webhookSecretName";
    public static final String ALARM_EMAIL = "alarmEmail";
    public static final String DEFAULT_WEBHOOK_SECRET_NAME = "platform/github-webhook-secret";
    public static final String BUILDER_IMAGE = "builderImage";
    public static final String BUILD_CPU = "buildCpu";
    public static final String BUILD_MEMORY_MIB = "buildMemoryMiB";
    public static final String BUILD_TIMEOUT_MINUTES = "buildTimeoutMinutes";
    public static final String BUILD_MAX_SOURCE_MIB = "buildMaxSourceMiB";
    public static final String GITHUB_API_URL = "gitHubApiUrl";
    public static final String GITHUB_APP_SECRET_NAME = "gitHubAppSecretName";
    public static final String DEFAULT_GITHUB_APP_SECRET_NAME = "platform/github-app";

    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    private static final Pattern ZONE_ID = Pattern.compile("Z[A-Z0-9]{1,31}");
    private static final Pattern CERTIFICATE = Pattern.compile("arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]+");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");

    public PlatformSettings {
        previewDomain.ifPresent(d -> check(DOMAIN, d, PREVIEW_DOMAIN, "a lowercase DNS name such as previews.example.com"));
        hostedZoneId.ifPresent(z -> check(ZONE_ID, z, HOSTED_ZONE_ID, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ"));
        certificateArn.ifPresent(c -> check(CERTIFICATE, c, CERTIFICATE_ARN, "an ACM certificate ARN"));
        check(SECRET_NAME, webhookSecretName, WEBHOOK_SECRET_NAME, "a Secrets Manager name");
        alarmEmail.ifPresent(e -> check(Pattern.compile("[^@\\s]+@[^@\\s]+"), e, ALARM_EMAIL, "an email address"));
        if (previewDomain.isEmpty() && (hostedZoneId.isPresent() || certificateArn.isPresent())) {
            throw new IllegalArgumentException("context " + HOSTED_ZONE_ID + " and " + CERTIFICATE_ARN
                    + " only apply together with " + PREVIEW_DOMAIN + "; set " + PREVIEW_DOMAIN + " too");
        }
        if (previewShards < 1 || previewShards > 20) {
            throw new IllegalArgumentException("context " + PREVIEW_SHARDS + " must be 1-20, got " + previewShards);
        }
        if (previewShards > 1 && previewDomain.isPresent() && hostedZoneId.isEmpty()) {
            throw new IllegalArgumentException("context " + PREVIEW_SHARDS + " above 1 needs " + HOSTED_ZONE_ID
                    + ": the certificates and records of shards *.s<k>." + previewDomain.get() + " are made there");
        }
        if (previewDomain.isPresent() && hostedZoneId.isEmpty() && certificateArn.isEmpty()) {
            throw new IllegalArgumentException("context " + PREVIEW_DOMAIN + " needs " + HOSTED_ZONE_ID
                    + " (a certificate is requested and validated there, and the wildcard record is created) or "
                    + CERTIFICATE_ARN + " (an existing certificate for *." + previewDomain.get() + "; DNS is then yours)");
        }
    }

    /** No domain: plain HTTP previews, default secret name, no alarm subscription. */
    public static PlatformSettings defaults() {
        return new PlatformSettings(Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_WEBHOOK_SECRET_NAME, Optional.empty(), Builds.defaults());
    }

    public static PlatformSettings fromContext(Node node) {
        return new PlatformSettings(
                text(node, PREVIEW_DOMAIN).map(d -> d.toLowerCase(java.util.Locale.ROOT)),
                text(node, HOSTED_ZONE_ID),
                text(node, CERTIFICATE_ARN),
                text(node, WEBHOOK_SECRET_NAME).orElse(DEFAULT_WEBHOOK_SECRET_NAME),
                text(node, ALARM_EMAIL),
                new Builds(
                        text(node, BUILDER_IMAGE).orElse(Builds.DEFAULT_BUILDER_IMAGE),
                        number(node, BUILD_CPU).orElse(Builds.defaults().cpu()),
                        number(node, BUILD_MEMORY_MIB).orElse(Builds.defaults().memoryMiB()),
                        number(node, BUILD_TIMEOUT_MINUTES).orElse(Builds.defaults().timeoutMinutes()),
                        number(node, BUILD_MAX_SOURCE_MIB).orElse(Builds.defaults().maxSourceMiB()),
                        text(node, GITHUB_API_URL).orElse(Builds.defaults().gitHubApiUrl()),
                        text(node, GITHUB_APP_SECRET_NAME).orElse(DEFAULT_GITHUB_APP_SECRET_NAME)),
                number(node, PREVIEW_SHARDS).orElse(1));
    }

    /** Whether previews are served over HTTPS on {@code *.previewDomain}. */
    public boolean https() {
        return previewDomain.isPresent();
    }

    private static Optional<String> text(Node node, String key) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("context " + key + " must be a string, got " + value);
        }
        return Optional.of(s.trim()).filter(v -> !v.isEmpty());
    }

    /** A whole number, given as a number or as text (the CDK CLI's {@code -c key=value} gives text). */
    private static Optional<Integer> number(Node node, String key) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " must be a whole number, got " + value);
        }
    }

    private static void check(Pattern pattern, String value, String key, String expected) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("context " + key + " must be " + expected + ", got '" + value + "'");
        }
    }
}
