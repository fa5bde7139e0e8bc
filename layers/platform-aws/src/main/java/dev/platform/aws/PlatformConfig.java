package dev.platform.aws;

import dev.platform.topology.Settings;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a function reads from its environment, in one place, and nothing else. On Lambda it is
 * the process environment; the local runtime and tests pass their own settings (the endpoints of
 * their stand-ins). Tests that need other ports use the handlers' port-taking constructors.
 *
 * <p>Endpoints: {@code AWS_ENDPOINT_URL_<SERVICE>} (for example {@code AWS_ENDPOINT_URL_DYNAMODB})
 * wins over {@code AWS_ENDPOINT_URL}, as in the AWS SDKs and CLI; neither set means the real AWS
 * endpoint of {@code AWS_REGION}.
 */
public record PlatformConfig(Map<String, String> settings) {

    // The names live in the topology package so the CDK app can set them without this layer.
    public static final String TABLE_NAME = Settings.TABLE_NAME;
    public static final String EVENT_BUS_NAME = Settings.EVENT_BUS_NAME;
    public static final String GITHUB_WEBHOOK_SECRET = Settings.GITHUB_WEBHOOK_SECRET;
    public static final String GITHUB_WEBHOOK_SECRET_ARN = Settings.GITHUB_WEBHOOK_SECRET_ARN;
    public static final String GITHUB_APP_SECRET_ARN = Settings.GITHUB_APP_SECRET_ARN;
    public static final String GITHUB_API_URL = Settings.GITHUB_API_URL;
    public static final String WEBHOOK_MAX_BODY_BYTES = Settings.WEBHOOK_MAX_BODY_BYTES;
    public static final String FUNCTION_TIMEOUT_SECONDS = Settings.FUNCTION_TIMEOUT_SECONDS;
    public static final String SOURCE_BUCKET = Settings.SOURCE_BUCKET;

    public PlatformConfig {
        settings = Map.copyOf(settings);
    }

    public static PlatformConfig fromEnvironment() {
        return new PlatformConfig(System.getenv());
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(settings.get(name)).filter(v -> !v.isBlank());
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException("missing setting " + name));
    }

    public int intSetting(String name, int defaultValue) {
        return get(name).map(v -> {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException(name + " must be an integer, got '" + v + "'");
            }
        }).orElse(defaultValue);
    }

    public String region() {
        return get("AWS_REGION").or(() -> get("AWS_DEFAULT_REGION")).orElse("us-east-1");
    }

    /** @param service the SDK's service id, for example {@code DynamoDB}, {@code SQS}, {@code EventBridge} */
    public Optional<URI> endpoint(String service) {
        String specific = "AWS_ENDPOINT_URL_" + service.toUpperCase(Locale.ROOT).replace(' ', '_');
        return get(specific).or(() -> get("AWS_ENDPOINT_URL")).map(URI::create);
    }
}
