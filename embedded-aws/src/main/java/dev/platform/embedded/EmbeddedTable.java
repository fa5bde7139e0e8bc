package dev.platform.embedded;

import dev.platform.aws.PlatformConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A function's table on DynamoDB Local, in memory, for handler tests: the platform table ({@link EmbeddedPlatform#TABLE_NAME}),
 * a client on it, and the settings a handler needs to reach it.
 */
public final class EmbeddedTable implements AutoCloseable {
    private static final URI NOTHING = URI.create("http://127.0.0.1:9");
    private final EmbeddedDynamoDb embedded;
    private final DynamoDbClient client;

    private EmbeddedTable(EmbeddedDynamoDb embedded) {
        this.embedded = embedded;
        this.client = LocalClients.dynamoDb(embedded.endpoint());
        EmbeddedPlatform.createTable(client, EmbeddedPlatform.TABLE_NAME);
    }

    public static EmbeddedTable start() {
        return new EmbeddedTable(EmbeddedDynamoDb.inMemory());
    }

    public DynamoDbClient client() {
        return client;
    }

    public String name() {
        return EmbeddedPlatform.TABLE_NAME;
    }

    /**
     * Function settings with this table, every other service on a closed port (what a table-only handler test must not
     * reach) and placeholder names for the rest ({@link EmbeddedPlatform#loopbackConfig}); {@code extra} adds to or
     * replaces them.
     */
    public PlatformConfig config(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(EmbeddedPlatform.loopbackConfig(NOTHING).settings());
        settings.put("AWS_ACCESS_KEY_ID", "local");
        settings.put("AWS_SECRET_ACCESS_KEY", "local");
        settings.put("AWS_ENDPOINT_URL_DYNAMODB", embedded.endpoint().toString());
        settings.putAll(extra);
        return new PlatformConfig(settings);
    }

    @Override
    public void close() {
        client.close();
        embedded.close();
    }
}
