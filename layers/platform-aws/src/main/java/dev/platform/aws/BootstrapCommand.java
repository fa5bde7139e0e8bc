package dev.platform.aws;

import dev.platform.aws.dynamodb.DynamoApiStore;
import dev.platform.core.api.ApiContext;
import dev.platform.core.api.Bootstrap;
import dev.platform.core.api.ProjectsApi;
import dev.platform.core.api.Secrets;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./dev bootstrap}: the deployed platform's first user, owner of a first team, and their API token, printed
 * once. Run once after {@code cdk deploy}, with the account's credentials (any the SDK finds: environment,
 * profile, SSO) and region; {@code AWS_ENDPOINT_URL} points it at an emulator. The table is the data stack's
 * {@code TableName} output. Running it again with the same email and team adds a token for that user and changes
 * nothing else: the team id defaults to the team name's slug, so a repeat finds the team it made.
 */
public final class BootstrapCommand {
    static final String USAGE = "usage: ./dev bootstrap --table TABLE --email you@example.com [--name \"Your Name\"] "
            + "[--team \"My team\"] [--team-id ID]   (TABLE: the PlatformData stack's TableName output)";

    /** A bad command line: its message is one line for the operator. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private BootstrapCommand() {
    }

    public static void main(String[] args) {
        Map<String, String> options;
        try {
            options = options(args);
        } catch (UsageException e) {
            System.err.println("bootstrap: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try (DynamoDbClient dynamoDb = DynamoDbClient.builder()
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            run(options, dynamoDb, Clock.systemUTC(), System.out);
        }
    }

    /** The options, with their defaults; a missing {@code --table} or {@code --email} or an unknown option is a usage error. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--team", "My team", "--name", "Owner"));
        for (int i = 0; i < args.length; i += 2) {
            if (!Map.of("--table", 1, "--email", 1, "--team", 1, "--team-id", 1, "--name", 1).containsKey(args[i])) {
                throw new UsageException("unknown option " + args[i]);
            }
            if (i + 1 >= args.length || args[i + 1].isBlank()) {
                throw new UsageException(args[i] + " needs a value");
            }
            options.put(args[i], args[i + 1]);
        }
        for (String required : new String[] {"--table", "--email"}) {
            if (!options.containsKey(required)) {
                throw new UsageException(required + " is required");
            }
        }
        options.putIfAbsent("--team-id", teamId(options.get("--team")));
        return options;
    }

    /** Makes (or finds) the user and team, and prints the new token once. */
    static Bootstrap.Result run(Map<String, String> options, DynamoDbClient dynamoDb, Clock clock, PrintStream out) {
        String token = Secrets.newToken();
        Bootstrap.Result result = new Bootstrap(new ApiContext(new DynamoApiStore(dynamoDb, options.get("--table")), clock))
                .ensure(options.get("--team-id"), options.get("--team"), options.get("--name"), options.get("--email"), token);
        out.printf("User   %s (%s)%nTeam   %s (%s), owner%nToken  %s%n(shown once: keep it in a secret store)%n",
                result.user().userId(), result.user().email(), result.team().teamId(), result.team().name(), token);
        return result;
    }

    /** A team name's slug: lower case, runs of anything else as one dash ("My team" → {@code my-team}). */
    static String teamId(String teamName) {
        if (!teamName.toLowerCase(Locale.ROOT).matches(".*[a-z0-9].*")) {
            throw new UsageException("--team needs a letter or digit (or give --team-id)");
        }
        return ProjectsApi.slugOf(teamName);
    }
}
