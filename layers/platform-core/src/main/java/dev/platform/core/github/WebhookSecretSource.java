package dev.platform.core.github;

/** Port: where the webhook secret comes from (an environment variable locally, Secrets Manager on AWS). */
public interface WebhookSecretSource {
    /** The secret's bytes; implementations cache across invocations. */
    byte[] secret();
}
