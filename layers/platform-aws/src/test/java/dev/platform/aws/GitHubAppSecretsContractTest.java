package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.github.GitHubAppCredentials;
import dev.platform.aws.github.GitHubAppCredentialsSource;
import dev.platform.aws.github.GitHubAppSecrets;
import dev.platform.core.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The GitHub App's credentials from Secrets Manager, against the AWS API emulator. */
class GitHubAppSecretsContractTest {
    private static final String PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAtest\n-----END RSA PRIVATE KEY-----\n";

    private final PlatformConfig bootstrap = AwsEmulator.config(Map.of());
    private final SecretsManagerClient secretsManager = AwsModule.secretsManager(bootstrap, AwsModule.credentials(bootstrap));

    private String secret(String value) {
        return secretsManager.createSecret(r -> r.name("github-app-" + UUID.randomUUID()).secretString(value)).arn();
    }

    private static String json(Object appId, String privateKey) {
        var node = Json.object();
        if (appId instanceof Integer number) {
            node.put("appId", number);
        } else if (appId != null) {
            node.put("appId", (String) appId);
        }
        if (privateKey != null) {
            node.put("privateKey", privateKey);
        }
        return Json.write(node);
    }

    private GitHubAppCredentialsSource source(String arn, Clock clock) {
        return GitHubAppSecrets.from(AwsEmulator.config(Map.of(PlatformConfig.GITHUB_APP_SECRET_ARN, arn)), clock,
                () -> secretsManager);
    }

    @Test
    void theJsonSecretIsReadCachedAndRefreshedAfterRotation() {
        WebhookSecretsContractTest.MovableClock clock = new WebhookSecretsContractTest.MovableClock();
        String arn = secret(json("123", PEM));
        GitHubAppCredentialsSource source = source(arn, clock);
        assertEquals(new GitHubAppCredentials("123", PEM), source.credentials());

        secretsManager.putSecretValue(r -> r.secretId(arn).secretString(json(456, PEM)));
        assertEquals("123", source.credentials().appId(), "cached within the TTL: no call per JWT");
        clock.advance(Duration.ofMinutes(6));
        assertEquals(new GitHubAppCredentials("456", PEM), source.credentials(), "a numeric appId, picked up after the TTL");

        secretsManager.putSecretValue(r -> r.secretId(arn).secretString(json("789", PEM)));
        GitHubAppSecrets.forgetCached(source);
        assertEquals("789", source.credentials().appId(), "forgotten (SnapStart restore): read again");
    }

    @Test
    void aMissingFieldIsAClearErrorNamingItAndTheSecret() {
        String noKey = secret(json("123", null));
        IllegalStateException missingKey = assertThrows(IllegalStateException.class, () -> source(noKey, Clock.systemUTC()).credentials());
        assertEquals("GitHub App secret " + noKey + " has no \"privateKey\" (the App's PEM key, a string)", missingKey.getMessage());

        String noId = secret(json(null, PEM));
        IllegalStateException missingId = assertThrows(IllegalStateException.class, () -> source(noId, Clock.systemUTC()).credentials());
        assertEquals("GitHub App secret " + noId + " has no \"appId\" (a string or a number)", missingId.getMessage());
    }

    @Test
    void aSecretThatIsNotJsonNeverQuotesIt() {
        String arn = secret(PEM);
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> source(arn, Clock.systemUTC()).credentials());
        assertTrue(error.getMessage().contains("is not JSON"), error.getMessage());
        assertFalse(error.getMessage().contains("MIIE"), error.getMessage());
        assertEquals(null, error.getCause(), "the parser's message would quote the secret");
    }

    @Test
    void aMissingSecretOrSettingFailsLoudly() {
        assertThrows(RuntimeException.class, () -> source(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf", Clock.systemUTC()).credentials());
        IllegalStateException noSetting = assertThrows(IllegalStateException.class,
                () -> GitHubAppSecrets.from(AwsEmulator.config(Map.of()), Clock.systemUTC(), () -> secretsManager));
        assertEquals("missing setting GITHUB_APP_SECRET_ARN", noSetting.getMessage());
    }
}
