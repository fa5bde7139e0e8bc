package dev.platform.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * The local runtime's settings, from environment variables (all optional).
 *
 * @param port {@code PORT}, default 8080 (0 picks a free port)
 * @param webhookSecret {@code GITHUB_WEBHOOK_SECRET}, default {@value #DEFAULT_WEBHOOK_SECRET}
 * @param dataDir {@code PLATFORM_DATA_DIR}, default {@code ./.platform}: holds events.jsonl
 * @param persistent true when {@code PLATFORM_DATA_DIR} was set: DynamoDB data is then kept there
 *     across restarts; otherwise the table lives in memory
 * @param demoRepository {@code PLATFORM_DEMO_REPO}, default {@code Codertocat/Hello-World}
 * @param demoBranch {@code PLATFORM_DEMO_BRANCH}, default {@code main}: the demo project's production branch
 * @param visibilityTimeoutSeconds {@code PLATFORM_QUEUE_VISIBILITY_SECONDS}, default 10: how soon a failed
 *     message is retried locally (deployed queues use 6 × the consumer's timeout)
 */
public record LocalSettings(int port, String webhookSecret, Path dataDir, boolean persistent,
                            String demoRepository, String demoBranch, int visibilityTimeoutSeconds) {

    public static final String DEFAULT_WEBHOOK_SECRET = "local-webhook-secret";
    public static final String DEMO_TEAM_ID = "demo-team";
    public static final String DEMO_PROJECT_ID = "hello-world";

    public static LocalSettings fromEnvironment(Map<String, String> env) {
        String dataDir = env.get("PLATFORM_DATA_DIR");
        return new LocalSettings(
                Integer.parseInt(env.getOrDefault("PORT", "8080")),
                env.getOrDefault("GITHUB_WEBHOOK_SECRET", DEFAULT_WEBHOOK_SECRET),
                Path.of(dataDir == null || dataDir.isBlank() ? ".platform" : dataDir).toAbsolutePath(),
                dataDir != null && !dataDir.isBlank(),
                env.getOrDefault("PLATFORM_DEMO_REPO", "Codertocat/Hello-World"),
                env.getOrDefault("PLATFORM_DEMO_BRANCH", "main"),
                Integer.parseInt(env.getOrDefault("PLATFORM_QUEUE_VISIBILITY_SECONDS", "10")));
    }

    public Path eventsFile() {
        return dataDir.resolve("events.jsonl");
    }
}
