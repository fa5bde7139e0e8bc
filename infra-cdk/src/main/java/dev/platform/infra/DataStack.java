package dev.platform.infra;

import dev.platform.topology.DataTable;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * State that outlives any redeploy: the single table, the GitHub webhook secret, the GitHub App's
 * credentials and the key that seals environment variables.
 */
public final class DataStack extends Stack {
    static final String ENV_KEY_ALIAS = "alias/platform-env";
    private final DataTable spec;
    private final Table table;
    private final Secret webhookSecret;
    private final Secret gitHubAppSecret;
    private final Key envKey;

    public DataStack(Construct scope, String id, StackProps props, DataTable spec, PlatformSettings settings) {
        super(scope, id, props);
        this.spec = spec;
        // Keys and indexes come from the same DataTable the local runtime creates its table from.
        table = Table.Builder.create(this, "Table")
                .partitionKey(stringKey(spec.partitionKey()))
                .sortKey(stringKey(spec.sortKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(spec.ttlAttribute())
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        for (DataTable.GlobalIndex index : spec.globalIndexes()) {
            table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(stringKey(index.partitionKey()))
                    .sortKey(stringKey(index.sortKey()))
                    .projectionType(ProjectionType.valueOf(index.projection().name()))
                    .build());
        }

        // Generated here, never in a template or a log: paste it into the GitHub webhook settings.
        webhookSecret = Secret.Builder.create(this, "GitHubWebhookSecret")
                .secretName(settings.webhookSecretName())
                .description("GitHub webhook secret: signs deliveries to POST /webhooks/github")
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(48)
                        .excludePunctuation(true)
                        .build())
                .build();

        // The App's id and private key are GitHub's to issue: the operator puts them in after deploying
        // (infra-cdk/README.md). Until then the generated placeholder is not a key, and builds fail saying so.
        gitHubAppSecret = Secret.Builder.create(this, "GitHubAppSecret")
                .secretName(settings.builds().gitHubAppSecretName())
                .description("GitHub App credentials: {\"appId\":\"<app id>\",\"privateKey\":\"<PEM>\"}")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"appId\":\"not set\"}")
                        .generateStringKey("privateKey")
                        .build())
                .build();

        // Seals every environment variable value (envelope encryption: a data key per value, under this key).
        // Retained: without it no stored value opens again.
        envKey = Key.Builder.create(this, "EnvironmentKey")
                .description("Platform: environment variable values (data keys with their team, project, scope, name)")
                .alias(ENV_KEY_ALIAS)
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        CfnOutput.Builder.create(this, "TableName").value(table.getTableName()).build();
        CfnOutput.Builder.create(this, "GitHubAppSecretName")
                .description("aws secretsmanager put-secret-value --secret-id <this> --secret-string file://github-app.json")
                .value(settings.builds().gitHubAppSecretName()).build();
        CfnOutput.Builder.create(this, "WebhookSecretName")
                .description("aws secretsmanager get-secret-value --secret-id <this> --query SecretString")
                .value(settings.webhookSecretName()).build();
    }

    private static Attribute stringKey(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }

    public DataTable spec() {
        return spec;
    }

    public Table table() {
        return table;
    }

    public Secret webhookSecret() {
        return webhookSecret;
    }

    public Secret gitHubAppSecret() {
        return gitHubAppSecret;
    }

    public Key envKey() {
        return envKey;
    }
}
