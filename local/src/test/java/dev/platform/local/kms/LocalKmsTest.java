package dev.platform.local.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.kms.KmsDataKeys;
import dev.platform.core.config.DataKeys;
import dev.platform.core.config.DecryptionFailedException;
import dev.platform.core.config.EnvelopeCipher;
import dev.platform.core.config.SealedValue;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** The platform's real KMS adapter against the local KMS: data keys bound to their context, a key kept in the data dir. */
class LocalKmsTest {
    private static final Map<String, String> CONTEXT = Map.of("project", "p-1", "scope", "preview", "name", "API_TOKEN");
    private static final Map<String, String> OTHER_PROJECT = Map.of("project", "p-2", "scope", "preview", "name", "API_TOKEN");

    @TempDir
    Path dataDir;

    private static KmsClient client(URI endpoint) {
        return KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @Test
    void aValueRoundTripsUnderTheKeysIdArnAndAlias() throws IOException {
        try (LocalKms kms = LocalKms.start(null); KmsClient client = client(kms.endpoint())) {
            for (String keyId : new String[] {kms.keyId(), LocalKms.KEY_ARN, LocalKms.ALIAS, LocalKms.ALIAS_ARN}) {
                EnvelopeCipher cipher = new EnvelopeCipher(new KmsDataKeys(client, keyId));
                SealedValue sealed = SealedValue.decode(cipher.seal("s3cr3t — ünïcødé", CONTEXT).encoded());
                assertEquals("s3cr3t — ünïcødé", cipher.open(sealed, CONTEXT), keyId);
            }
        }
    }

    @Test
    void anotherContextIsRefusedByTheKeyServiceItself() throws IOException {
        try (LocalKms kms = LocalKms.start(null); KmsClient client = client(kms.endpoint())) {
            DataKeys dataKeys = new KmsDataKeys(client, kms.keyId());
            EnvelopeCipher cipher = new EnvelopeCipher(dataKeys);
            SealedValue sealed = cipher.seal("value", CONTEXT);
            assertThrows(DecryptionFailedException.class, () -> cipher.open(sealed, OTHER_PROJECT));
            // the wrapped key alone: InvalidCiphertextException from the wire, mapped by the adapter
            assertThrows(DecryptionFailedException.class, () -> dataKeys.unwrap(sealed.wrappedKey(), OTHER_PROJECT));
            assertThrows(DecryptionFailedException.class, () -> dataKeys.unwrap(sealed.wrappedKey(), Map.of()));
            byte[] damaged = sealed.wrappedKey();
            damaged[damaged.length - 1] ^= 1;
            assertThrows(DecryptionFailedException.class, () -> dataKeys.unwrap(damaged, CONTEXT));
        }
    }

    @Test
    void aValueSealedBeforeARestartOpensAfterIt() throws IOException {
        String encoded;
        try (LocalKms kms = LocalKms.start(dataDir); KmsClient client = client(kms.endpoint())) {
            encoded = new EnvelopeCipher(new KmsDataKeys(client, kms.keyId())).seal("kept", CONTEXT).encoded();
        }
        try (LocalKms kms = LocalKms.start(dataDir); KmsClient client = client(kms.endpoint())) {
            assertEquals("kept", new EnvelopeCipher(new KmsDataKeys(client, kms.keyId())).open(SealedValue.decode(encoded), CONTEXT));
        }
        // and another key (an in-memory one) does not open it
        try (LocalKms kms = LocalKms.start(null); KmsClient client = client(kms.endpoint())) {
            EnvelopeCipher cipher = new EnvelopeCipher(new KmsDataKeys(client, kms.keyId()));
            assertThrows(DecryptionFailedException.class, () -> cipher.open(SealedValue.decode(encoded), CONTEXT));
        }
    }

    @Test
    void theKeyFileIsOwnerOnly() throws IOException {
        try (LocalKms kms = LocalKms.start(dataDir)) {
            Path file = dataDir.resolve("kms/master.key");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            assertEquals(32, Files.size(file));
            try (var listing = Files.list(file.getParent())) {
                assertEquals(1, listing.count(), "no temporary file left beside the key");
            }
        }
    }

    @Test
    void aKeyFileOthersMayReadIsRefused() throws IOException {
        Path file = dataDir.resolve("kms/master.key");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[32]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        LocalKms.KeyFileRefused refused = assertThrows(LocalKms.KeyFileRefused.class, () -> LocalKms.start(dataDir));
        assertTrue(refused.getMessage().contains(file.toString()) && refused.getMessage().contains("rw-r--r--")
                && refused.getMessage().contains("0600"), refused.getMessage());
        assertTrue(!refused.getMessage().contains("\n"), "one line");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), "left as it was");
    }

    @Test
    void aKeyFileOfTheWrongLengthIsRefused() throws IOException {
        Path file = dataDir.resolve("kms/master.key");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[31]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        LocalKms.KeyFileRefused refused = assertThrows(LocalKms.KeyFileRefused.class, () -> LocalKms.start(dataDir));
        assertTrue(refused.getMessage().contains("31 bytes"), refused.getMessage());
    }

    @Test
    void encryptAndDecryptAnswerTheSdk() throws IOException {
        try (LocalKms kms = LocalKms.start(null); KmsClient client = client(kms.endpoint())) {
            SdkBytes blob = client.encrypt(r -> r.keyId(LocalKms.ALIAS).plaintext(SdkBytes.fromUtf8String("hello"))
                    .encryptionContext(CONTEXT)).ciphertextBlob();
            var decrypted = client.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(CONTEXT));
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), decrypted.plaintext().asByteArray());
            assertEquals(LocalKms.KEY_ARN, decrypted.keyId());
        }
    }

    @Test
    void anUnknownKeyOrOperationIsAnError() throws IOException {
        try (LocalKms kms = LocalKms.start(null); KmsClient client = client(kms.endpoint())) {
            assertThrows(NotFoundException.class, () -> new KmsDataKeys(client, "alias/other").generate(CONTEXT));
            KmsException unknown = assertThrows(KmsException.class, () -> client.listKeys());
            assertEquals("UnknownOperationException", unknown.awsErrorDetails().errorCode());
            assertTrue(unknown.awsErrorDetails().errorMessage().contains("TrentService.ListKeys"), unknown.getMessage());
        }
    }
}
