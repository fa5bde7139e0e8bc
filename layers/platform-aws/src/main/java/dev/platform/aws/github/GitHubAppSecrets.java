package dev.platform.aws.github;

import com.fasterxml.jackson.databind.JsonNode;
import dagger.Lazy;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Where the GitHub App's credentials come from: one Secrets Manager secret ({@code GITHUB_APP_SECRET_ARN},
 * deployed) holding {@code {"appId":"123","privateKey":"-----BEGIN ..."}}, or an id and key passed
 * directly (the local runtime, which makes its own key, and tests).
 */
public final class GitHubAppSecrets {
    /** A rotated key is picked up within this time; within it no call is made. */
    static final Duration CACHE_TTL = Duration.ofMinutes(5);

    private GitHubAppSecrets() {
    }

    /** The secret named by {@code GITHUB_APP_SECRET_ARN}, read on first use and cached. */
    public static GitHubAppCredentialsSource from(PlatformConfig config, Clock clock, Lazy<SecretsManagerClient> secretsManager) {
        String arn = config.require(PlatformConfig.GITHUB_APP_SECRET_ARN);
        return new SecretsManagerCredentials(arn,
                () -> secretsManager.get().getSecretValue(r -> r.secretId(arn)).secretString(), clock);
    }

    /** An App id and private key PEM given directly (local runtime, tests). */
    public static GitHubAppCredentialsSource fixed(String appId, String privateKeyPem) {
        GitHubAppCredentials credentials = new GitHubAppCredentials(appId, privateKeyPem);
        return () -> credentials;
    }

    /**
     * Drops a cached Secrets Manager value so the next call fetches it again (SnapStart restore: never
     * serve a key captured in a snapshot). Fixed credentials have no cache.
     */
    public static void forgetCached(GitHubAppCredentialsSource source) {
        if (source instanceof SecretsManagerCredentials secretsManager) {
            secretsManager.forget();
        }
    }

    /**
     * The secret's JSON. Errors name the secret and the field, never the value; the parser's own message
     * is not kept (it quotes the text around the error, which is the key).
     */
    static GitHubAppCredentials parse(String arn, String secretString) {
        if (secretString == null || secretString.isBlank()) {
            throw new IllegalStateException("GitHub App secret " + arn + " is empty");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(secretString);
        } catch (IOException e) {
            throw new IllegalStateException("GitHub App secret " + arn
                    + " is not JSON {\"appId\": ..., \"privateKey\": ...}");
        }
        if (json == null || !json.isObject()) {
            throw new IllegalStateException("GitHub App secret " + arn
                    + " is not a JSON object {\"appId\": ..., \"privateKey\": ...}");
        }
        JsonNode appId = json.get("appId");
        if (appId == null || !(appId.isTextual() || appId.isIntegralNumber()) || appId.asText().isBlank()) {
            throw new IllegalStateException("GitHub App secret " + arn + " has no \"appId\" (a string or a number)");
        }
        JsonNode privateKey = json.get("privateKey");
        if (privateKey == null || !privateKey.isTextual() || privateKey.asText().isBlank()) {
            throw new IllegalStateException("GitHub App secret " + arn + " has no \"privateKey\" (the App's PEM key, a string)");
        }
        return new GitHubAppCredentials(appId.asText().trim(), privateKey.asText());
    }

    /** Fetched on first use (never during SnapStart's init snapshot) and cached across invocations. */
    static final class SecretsManagerCredentials implements GitHubAppCredentialsSource {
        private record Cached(GitHubAppCredentials credentials, Instant fetchedAt) {
        }

        private final String arn;
        private final Supplier<String> fetch;
        private final Clock clock;
        private volatile Cached cached;

        SecretsManagerCredentials(String arn, Supplier<String> fetch, Clock clock) {
            this.arn = arn;
            this.fetch = fetch;
            this.clock = clock;
        }

        @Override
        public GitHubAppCredentials credentials() {
            Instant now = clock.instant();
            Cached current = cached;
            if (current == null || now.isAfter(current.fetchedAt().plus(CACHE_TTL))) {
                current = new Cached(parse(arn, fetch.get()), now);
                cached = current;
            }
            return current.credentials();
        }

        void forget() {
            cached = null;
        }
    }
}
