package dev.platform.aws.secrets;

import dagger.Lazy;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.github.WebhookSecretSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Where the GitHub webhook secret comes from: {@code GITHUB_WEBHOOK_SECRET_ARN} (Secrets Manager,
 * deployed) or {@code GITHUB_WEBHOOK_SECRET} (plain value, local runtime and tests).
 */
public final class WebhookSecrets {
    /** Rotated secrets are picked up within this time; within it no call is made. */
    static final Duration CACHE_TTL = Duration.ofMinutes(5);

    private WebhookSecrets() {
    }

    public static WebhookSecretSource from(PlatformConfig config, Clock clock, Lazy<SecretsManagerClient> secretsManager) {
        var arn = config.get(PlatformConfig.GITHUB_WEBHOOK_SECRET_ARN);
        if (arn.isPresent()) {
            return new SecretsManagerSecret(() -> secretsManager.get().getSecretValue(r -> r.secretId(arn.get())).secretString(),
                    clock);
        }
        byte[] value = config.require(PlatformConfig.GITHUB_WEBHOOK_SECRET).getBytes(StandardCharsets.UTF_8);
        return () -> value;
    }

    /**
     * Drops a cached Secrets Manager value so the next delivery fetches it again (SnapStart restore:
     * never serve a value captured in a snapshot). Plain values from the environment have no cache.
     */
    public static void forgetCached(WebhookSecretSource source) {
        if (source instanceof SecretsManagerSecret secretsManager) {
            secretsManager.forget();
        }
    }

    /**
     * Fetched on first use (never during SnapStart's init snapshot) and cached across invocations.
     */
    static final class SecretsManagerSecret implements WebhookSecretSource {
        private final java.util.function.Supplier<String> fetch;
        private final Clock clock;
        private volatile byte[] cached;
        private volatile Instant fetchedAt = Instant.MIN;

        SecretsManagerSecret(java.util.function.Supplier<String> fetch, Clock clock) {
            this.fetch = fetch;
            this.clock = clock;
        }

        @Override
        public byte[] secret() {
            Instant now = clock.instant();
            if (cached == null || now.isAfter(fetchedAt.plus(CACHE_TTL))) {
                String value = fetch.get();
                if (value == null || value.isEmpty()) {
                    throw new IllegalStateException("webhook secret is empty in Secrets Manager");
                }
                cached = value.getBytes(StandardCharsets.UTF_8);
                fetchedAt = now;
            }
            return cached;
        }

        /** Forget the cached value (SnapStart restore: never serve a secret captured in a snapshot). */
        void forget() {
            cached = null;
        }
    }
}
