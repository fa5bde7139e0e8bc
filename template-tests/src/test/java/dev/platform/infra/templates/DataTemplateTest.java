package dev.platform.infra.templates;

import static dev.platform.infra.templates.Cfn.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.aws.dynamodb.DynamoTables;
import dev.platform.topology.Topology;
import dev.platform.infra.PlatformSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/**
 * The table equals the one the local runtime creates (both come from {@code Topology.TABLE}; this
 * compares the results, not the source), and it is protected: PITR, TTL, encryption, retained.
 */
class DataTemplateTest {
    private static Synth.Result r;
    private static JsonNode table;
    private static CreateTableRequest local;

    @BeforeAll
    static void synth() {
        r = Synth.of(Synth.DEFAULT);
        table = r.json(DATA).path("Resources").path(table(r));
        local = DynamoTables.createRequest(Topology.TABLE, "platform");
    }

    @Test
    void keySchemaEqualsTheLocalRuntimes() {
        assertEquals(keys(local.keySchema()), keys(table.path("Properties").path("KeySchema")));
    }

    @Test
    void attributeDefinitionsEqualTheLocalRuntimes() {
        Set<String> expected = local.attributeDefinitions().stream()
                .map(a -> a.attributeName() + ":" + a.attributeTypeAsString()).collect(Collectors.toSet());
        Set<String> deployed = Cfn.list(table.path("Properties").path("AttributeDefinitions")).stream()
                .map(a -> a.path("AttributeName").asText() + ":" + a.path("AttributeType").asText()).collect(Collectors.toSet());
        assertEquals(expected, deployed);
    }

    @Test
    void globalIndexesEqualTheLocalRuntimes() {
        Map<String, String> expected = new TreeMap<>();
        local.globalSecondaryIndexes().forEach(i ->
                expected.put(i.indexName(), keys(i.keySchema()) + " " + i.projection().projectionTypeAsString()));
        Map<String, String> deployed = new TreeMap<>();
        Cfn.list(table.path("Properties").path("GlobalSecondaryIndexes")).forEach(i ->
                deployed.put(i.path("IndexName").asText(),
                        keys(i.path("KeySchema")) + " " + i.path("Projection").path("ProjectionType").asText()));
        assertEquals(expected, deployed);
        assertFalse(expected.isEmpty());
    }

    @Test
    void billingIsOnDemandLikeTheLocalTable() {
        assertEquals(local.billingModeAsString(), table.path("Properties").path("BillingMode").asText());
    }

    @Test
    void expiredItemsAreRemovedThroughTheTtlAttribute() {
        JsonNode ttl = table.path("Properties").path("TimeToLiveSpecification");
        assertEquals(Topology.TABLE.ttlAttribute(), ttl.path("AttributeName").asText());
        assertTrue(ttl.path("Enabled").asBoolean());
    }

    @Test
    void tableIsRecoverableEncryptedAndRetained() {
        JsonNode props = table.path("Properties");
        assertTrue(props.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean(), "PITR");
        assertTrue(props.path("SSESpecification").path("SSEEnabled").asBoolean(), "encryption with a KMS key");
        assertEquals("Retain", table.path("DeletionPolicy").asText());
        assertEquals("Retain", table.path("UpdateReplacePolicy").asText());
        assertTrue(props.path("DeletionProtectionEnabled").asBoolean());
    }

    @Test
    void theWebhookSecretIsGeneratedNeverWrittenInTheTemplate() {
        JsonNode secret = r.json(DATA).path("Resources").path(secret(r)).path("Properties");
        assertEquals(PlatformSettings.DEFAULT_WEBHOOK_SECRET_NAME, secret.path("Name").asText());
        assertTrue(secret.path("GenerateSecretString").path("PasswordLength").asInt() >= 32);
        assertFalse(secret.has("SecretString"), "no secret value in a template");
    }

    static String table(Synth.Result r) {
        return Cfn.single(r, DATA, "AWS::DynamoDB::Table", t -> true, "table");
    }

    static String secret(Synth.Result r) {
        return Cfn.single(r, DATA, "AWS::SecretsManager::Secret",
                s -> PlatformSettings.DEFAULT_WEBHOOK_SECRET_NAME.equals(s.path("Properties").path("Name").asText()), "webhook secret");
    }

    static String appSecret(Synth.Result r) {
        return Cfn.single(r, DATA, "AWS::SecretsManager::Secret",
                s -> PlatformSettings.DEFAULT_GITHUB_APP_SECRET_NAME.equals(s.path("Properties").path("Name").asText()), "GitHub App secret");
    }

    @Test
    void theGitHubAppSecretIsAPlaceholderTheOperatorReplacesNeverAKeyInTheTemplate() {
        JsonNode secret = r.json(DATA).path("Resources").path(appSecret(r)).path("Properties");
        assertFalse(secret.has("SecretString"), "no secret value in a template");
        assertEquals("privateKey", secret.path("GenerateSecretString").path("GenerateStringKey").asText());
        assertTrue(secret.path("GenerateSecretString").path("SecretStringTemplate").asText().contains("appId"));
    }

    private static List<String> keys(List<KeySchemaElement> schema) {
        return schema.stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList();
    }

    private static List<String> keys(JsonNode schema) {
        return Cfn.list(schema).stream().map(k -> k.path("AttributeName").asText() + ":" + k.path("KeyType").asText()).toList();
    }

    @Test
    void theEnvironmentKeyRotatesAndOutlivesTheStack() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        String key = Cfn.single(r, Cfn.DATA, "AWS::KMS::Key", k -> true, "environment key");
        JsonNode resource = r.json(Cfn.DATA).path("Resources").path(key);
        assertTrue(resource.path("Properties").path("EnableKeyRotation").asBoolean(), "yearly rotation");
        assertEquals("Retain", resource.path("DeletionPolicy").asText(), "without it no stored value opens again");
        assertEquals(1, r.resources(Cfn.DATA, "AWS::KMS::Alias").size());
    }
}
