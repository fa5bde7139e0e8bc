package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.kms.KmsDataKeys;
import dev.platform.core.config.DataKeys;
import dev.platform.core.config.DecryptionFailedException;
import dev.platform.core.config.EnvelopeCipher;
import dev.platform.core.config.SealedValue;
import dev.platform.topology.Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/**
 * Envelope encryption through KMS against the AWS API emulator: the data keys of {@code ENV_KEY_ID} (a key id or an
 * alias), values that open under their own context only, and a storage form without a secret in it.
 */
class KmsDataKeysContractTest {
    private static final Map<String, String> CONTEXT = Map.of("project", "p-1", "scope", "production", "name", "API_TOKEN");
    private static final Map<String, String> OTHER_PROJECT = Map.of("project", "p-2", "scope", "production", "name", "API_TOKEN");

    private final PlatformConfig bootstrap = AwsEmulator.config(Map.of());
    private final KmsClient kms = AwsModule.kms(bootstrap, AwsModule.credentials(bootstrap));

    private String newKey() {
        return kms.createKey(r -> r.description("platform env test " + UUID.randomUUID())).keyMetadata().keyId();
    }

    private DataKeys dataKeys(String keyId) {
        return AwsModule.dataKeys(kms, AwsEmulator.config(Map.of(Settings.ENV_KEY_ID, keyId)));
    }

    /** Keeps a copy of every plaintext data key handed out, before the cipher wipes it. */
    private static final class Recording implements DataKeys {
        private final DataKeys delegate;
        final List<byte[]> keys = new ArrayList<>();

        Recording(DataKeys delegate) {
            this.delegate = delegate;
        }

        @Override
        public DataKey generate(Map<String, String> encryptionContext) {
            DataKey key = delegate.generate(encryptionContext);
            keys.add(key.plaintext().clone());
            return key;
        }

        @Override
        public byte[] unwrap(byte[] wrappedKey, Map<String, String> encryptionContext) {
            return delegate.unwrap(wrappedKey, encryptionContext);
        }
    }

    @Test
    void aValueSealedWithAKmsDataKeyOpensUnderItsContextOnly() {
        EnvelopeCipher cipher = new EnvelopeCipher(dataKeys(newKey()));
        SealedValue sealed = SealedValue.decode(cipher.seal("s3cr3t-token", CONTEXT).encoded());
        assertEquals("s3cr3t-token", cipher.open(sealed, CONTEXT));
        assertThrows(DecryptionFailedException.class, () -> cipher.open(sealed, OTHER_PROJECT));
    }

    @Test
    void kmsItselfRefusesTheWrappedKeyUnderAnotherContext() {
        // the KMS side of the binding, without the cipher's own AAD check
        DataKeys dataKeys = dataKeys(newKey());
        DataKeys.DataKey key = dataKeys.generate(CONTEXT);
        assertEquals(32, dataKeys.unwrap(key.wrapped(), CONTEXT).length);
        assertThrows(DecryptionFailedException.class, () -> dataKeys.unwrap(key.wrapped(), OTHER_PROJECT));
        assertThrows(DecryptionFailedException.class, () -> dataKeys.unwrap(key.wrapped(), Map.of()));
    }

    @Test
    void aDamagedWrappedKeyIsADecryptionFailure() {
        DataKeys dataKeys = dataKeys(newKey());
        byte[] wrapped = dataKeys.generate(CONTEXT).wrapped();
        wrapped[wrapped.length - 1] ^= 1;
        assertThrows(DecryptionFailedException.class, () -> dataKeys.unwrap(wrapped, CONTEXT));
    }

    @Test
    void aTamperedCiphertextOrIvIsADecryptionFailure() {
        EnvelopeCipher cipher = new EnvelopeCipher(dataKeys(newKey()));
        SealedValue sealed = cipher.seal("value", CONTEXT);
        // the wrapped key is intact here, so KMS unwraps it: the refusal is the cipher's GCM tag check
        byte[] ciphertext = sealed.ciphertext();
        ciphertext[0] ^= 1;
        SealedValue tamperedValue = new SealedValue(sealed.wrappedKey(), sealed.iv(), ciphertext);
        assertThrows(DecryptionFailedException.class, () -> cipher.open(tamperedValue, CONTEXT));
        byte[] iv = sealed.iv();
        iv[0] ^= 1;
        SealedValue tamperedIv = new SealedValue(sealed.wrappedKey(), iv, sealed.ciphertext());
        assertThrows(DecryptionFailedException.class, () -> cipher.open(tamperedIv, CONTEXT));
    }

    @Test
    void contextsThatOnlyDifferInWhereAKeyEndsAreStillApart() {
        // moto 5.1 serializes a context as its keys and values concatenated, so to its own check {"a":"bc"} and
        // {"ab":"c"} are one context; the cipher's length-prefixed AAD tells them apart whatever the key service does
        EnvelopeCipher cipher = new EnvelopeCipher(dataKeys(newKey()));
        SealedValue sealed = cipher.seal("value", Map.of("a", "bc"));
        assertThrows(DecryptionFailedException.class, () -> cipher.open(sealed, Map.of("ab", "c")));
        assertEquals("value", cipher.open(sealed, Map.of("a", "bc")));
    }

    @Test
    void aWrappedKeyThatIsNotAnAes256KeyIsRefused() {
        String keyId = newKey();
        byte[] shortKey = kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_128).encryptionContext(CONTEXT))
                .ciphertextBlob().asByteArray();
        DecryptionFailedException refused = assertThrows(DecryptionFailedException.class,
                () -> dataKeys(keyId).unwrap(shortKey, CONTEXT));
        assertTrue(refused.getMessage().contains("16 bytes"), refused.getMessage());
    }

    @Test
    void anAliasServesAsTheKeyId() {
        String alias = "alias/platform-env-" + UUID.randomUUID();
        String keyId = newKey();
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyId));
        EnvelopeCipher cipher = new EnvelopeCipher(dataKeys(alias));
        assertEquals("value", cipher.open(cipher.seal("value", CONTEXT), CONTEXT));
    }

    @Test
    void theStorageFormHoldsNeitherTheValueNorTheDataKey() {
        Recording dataKeys = new Recording(dataKeys(newKey()));
        EnvelopeCipher cipher = new EnvelopeCipher(dataKeys);
        String value = "postgres://admin:hunter2-" + UUID.randomUUID() + "@db.internal/app";
        String encoded = cipher.seal(value, CONTEXT).encoded();

        byte[] dataKey = dataKeys.keys.get(0);
        for (String secret : List.of(value, "hunter2", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
                Base64.getUrlEncoder().withoutPadding().encodeToString(dataKey), Base64.getEncoder().encodeToString(dataKey),
                HexFormat.of().formatHex(dataKey))) {
            assertFalse(encoded.contains(secret), "the storage form holds " + secret);
        }
        SealedValue sealed = SealedValue.decode(encoded);
        for (byte[] part : List.of(sealed.wrappedKey(), sealed.iv(), sealed.ciphertext())) {
            assertFalse(contains(part, dataKey), "a part holds the raw data key");
            assertFalse(contains(part, "hunter2".getBytes(StandardCharsets.UTF_8)), "a part holds the raw value");
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
