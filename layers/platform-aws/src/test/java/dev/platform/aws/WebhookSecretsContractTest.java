package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.platform.aws.secrets.WebhookSecrets;
import dev.platform.core.github.WebhookSecretSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The deployed secret source against the AWS API emulator: read once, cached, rotation picked up. */
class WebhookSecretsContractTest {

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theSecretIsReadFromSecretsManagerCachedAndRefreshedAfterRotation() {
        MovableClock clock = new MovableClock();
        PlatformConfig bootstrap = AwsEmulator.config(Map.of());
        SecretsManagerClient secretsManager = AwsModule.secretsManager(bootstrap, AwsModule.credentials(bootstrap));
        String arn = secretsManager.createSecret(r -> r.name("webhook-" + UUID.randomUUID()).secretString("first")).arn();

        PlatformConfig config = AwsEmulator.config(Map.of(PlatformConfig.GITHUB_WEBHOOK_SECRET_ARN, arn));
        WebhookSecretSource source = WebhookSecrets.from(config, clock, () -> secretsManager);
        assertArrayEquals(bytes("first"), source.secret());

        secretsManager.putSecretValue(r -> r.secretId(arn).secretString("second"));
        assertArrayEquals(bytes("first"), source.secret(), "cached within the TTL: no call per delivery");
        clock.advance(Duration.ofMinutes(6));
        assertArrayEquals(bytes("second"), source.secret(), "a rotated secret is picked up after the TTL");
    }

    @Test
    void aMissingSecretFailsLoudly() {
        PlatformConfig bootstrap = AwsEmulator.config(Map.of());
        SecretsManagerClient secretsManager = AwsModule.secretsManager(bootstrap, AwsModule.credentials(bootstrap));
        PlatformConfig config = AwsEmulator.config(Map.of(PlatformConfig.GITHUB_WEBHOOK_SECRET_ARN,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf"));
        WebhookSecretSource source = WebhookSecrets.from(config, Clock.systemUTC(), () -> secretsManager);
        assertThrows(RuntimeException.class, source::secret);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
