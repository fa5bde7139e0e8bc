package dev.platform.aws;

import dev.platform.aws.dynamodb.DynamoApiStore;
import dev.platform.core.api.ApiContext;
import dev.platform.core.api.Bootstrap;
import dev.platform.core.api.Secrets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./dev bootstrap}: the deployed platform's first user, owner of a first team, and their API token, printed
 * once. Run once after {@code cdk deploy}, with the account's credentials (any the SDK finds: environment,
 * profile, SSO) and region; {@code AWS_ENDPOINT_URL} points it at an emulator. Running it again with the same
 * email adds a token for that user and changes nothing else.
 */
public final class BootstrapCommand {
    private BootstrapCommand() {
    }

    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--table", "platform", "--team", "My team",
                "--team-id", Secrets.newId("team_"), "--name", "Owner"));
        for (int i = 0; i < args.length; i++) {
            if (!options.containsKey(args[i]) && !args[i].equals("--email") || i + 1 >= args.length) {
                usage("unknown or incomplete option " + args[i]);
            }
            options.put(args[i], args[++i]);
        }
        String email = options.get("--email");
        if (email == null) {
            usage("--email is required");
        }
        String token = Secrets.newToken();
        try (DynamoDbClient dynamoDb = DynamoDbClient.builder()
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            Bootstrap.Result result = new Bootstrap(new ApiContext(new DynamoApiStore(dynamoDb, options.get("--table")),
                    Clock.systemUTC())).ensure(options.get("--team-id"), options.get("--team"), options.get("--name"), email, token);
            System.out.printf("User   %s (%s)%nTeam   %s (%s), owner%nToken  %s%n(shown once: keep it in a secret store)%n",
                    result.user().userId(), result.user().email(), result.team().teamId(), result.team().name(), token);
        }
    }

    private static void usage(String problem) {
        System.err.println("bootstrap: " + problem);
        System.err.println("usage: ./dev bootstrap --email you@example.com [--name \"Your Name\"] [--team \"My team\"] "
                + "[--team-id ID] [--table platform]");
        System.exit(2);
    }
}
