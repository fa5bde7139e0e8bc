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
 */
public record PlatformSettings(Optional<String> previewDomain, Optional<String> hostedZoneId,
                               Optional<String> certificateArn, String webhookSecretName,
                               Optional<String> alarmEmail) {

    public static final String PREVIEW_DOMAIN = "previewDomain";
    public static final String HOSTED_ZONE_ID = "hostedZoneId";
    public static final String CERTIFICATE_ARN = "certificateArn";
    public static final String WEBHOOK_SECRET_NAME = "webhookSecretName";
    public static final String ALARM_EMAIL = "alarmEmail";
    public static final String DEFAULT_WEBHOOK_SECRET_NAME = "platform/github-webhook-secret";

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
        if (previewDomain.isPresent() && hostedZoneId.isEmpty() && certificateArn.isEmpty()) {
            throw new IllegalArgumentException("context " + PREVIEW_DOMAIN + " needs " + HOSTED_ZONE_ID
                    + " (a certificate is requested and validated there, and the wildcard record is created) or "
                    + CERTIFICATE_ARN + " (an existing certificate for *." + previewDomain.get() + "; DNS is then yours)");
        }
    }

    /** No domain: plain HTTP previews, default secret name, no alarm subscription. */
    public static PlatformSettings defaults() {
        return new PlatformSettings(Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_WEBHOOK_SECRET_NAME, Optional.empty());
    }

    public static PlatformSettings fromContext(Node node) {
        return new PlatformSettings(
                text(node, PREVIEW_DOMAIN).map(d -> d.toLowerCase(java.util.Locale.ROOT)),
                text(node, HOSTED_ZONE_ID),
                text(node, CERTIFICATE_ARN),
                text(node, WEBHOOK_SECRET_NAME).orElse(DEFAULT_WEBHOOK_SECRET_NAME),
                text(node, ALARM_EMAIL));
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

    private static void check(Pattern pattern, String value, String key, String expected) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("context " + key + " must be " + expected + ", got '" + value + "'");
        }
    }
}
