package dev.platform.core.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Sealing and opening values: the context binds, tampering fails, any value up to the limit round-trips. */
class EnvelopeCipherTest {

    /**
     * Data keys wrapped with AES key wrap (RFC 3394) under a key of the test. It ignores the encryption context on
     * purpose: every context failure below is then the cipher's own AAD check, not the key service's.
     */
    static final class KeyWrapDataKeys implements DataKeys {
        private final SecretKey master;
        private final SecureRandom random = new SecureRandom();
        /** Every plaintext key handed out, to check the cipher wipes them. */
        final List<byte[]> handedOut = new ArrayList<>();

        KeyWrapDataKeys() throws GeneralSecurityException {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            master = generator.generateKey();
        }

        @Override
        public DataKey generate(Map<String, String> encryptionContext) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            try {
                Cipher wrap = Cipher.getInstance("AESWrap");
                wrap.init(Cipher.WRAP_MODE, master);
                byte[] wrapped = wrap.wrap(new SecretKeySpec(key, "AES"));
                handedOut.add(key);
                return new DataKey(key, wrapped);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public byte[] unwrap(byte[] wrappedKey, Map<String, String> encryptionContext) {
            try {
                Cipher unwrap = Cipher.getInstance("AESWrap");
                unwrap.init(Cipher.UNWRAP_MODE, master);
                byte[] key = unwrap.unwrap(wrappedKey, "AES", Cipher.SECRET_KEY).getEncoded();
                handedOut.add(key);
                return key;
            } catch (GeneralSecurityException e) {
                throw new DecryptionFailedException("bad wrapped key", e);
            }
        }
    }

    private final KeyWrapDataKeys dataKeys;
    private final EnvelopeCipher cipher;

    EnvelopeCipherTest() throws GeneralSecurityException {
        dataKeys = new KeyWrapDataKeys();
        cipher = new EnvelopeCipher(dataKeys);
    }

    private static final Map<String, String> CONTEXT = Map.of("project", "p-123", "scope", "production", "name", "DATABASE_URL");

    @Test
    void aSealedValueOpensUnderItsContext() {
        SealedValue sealed = cipher.seal("postgres://user:pw@db/app", CONTEXT);
        assertEquals("postgres://user:pw@db/app", cipher.open(sealed, CONTEXT));
        assertEquals("postgres://user:pw@db/app", cipher.open(SealedValue.decode(sealed.encoded()), CONTEXT), "through its storage form");
    }

    @Test
    void theContextsEntryOrderDoesNotMatter() {
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("a", "1");
        forward.put("b", "2");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("b", "2");
        backward.put("a", "1");
        assertEquals("v", cipher.open(cipher.seal("v", forward), backward));
    }

    @Test
    void anotherContextDoesNotOpen() {
        SealedValue sealed = cipher.seal("secret", CONTEXT);
        Map<String, String> otherProject = Map.of("project", "p-456", "scope", "production", "name", "DATABASE_URL");
        assertThrows(DecryptionFailedException.class, () -> cipher.open(sealed, otherProject));
        assertThrows(DecryptionFailedException.class, () -> cipher.open(sealed, Map.of()));
        Map<String, String> extra = new LinkedHashMap<>(CONTEXT);
        extra.put("more", "");
        assertThrows(DecryptionFailedException.class, () -> cipher.open(sealed, extra));
    }

    @Test
    void theCanonicalEncodingTellsKeysFromValues() {
        Map<String, String> first = Map.of("a", "bc");
        Map<String, String> second = Map.of("ab", "c");
        assertFalse(java.util.Arrays.equals(EncryptionContext.canonical(first), EncryptionContext.canonical(second)));
        SealedValue sealed = cipher.seal("value", first);
        assertThrows(DecryptionFailedException.class, () -> cipher.open(sealed, second));
        // and a split between entries is not a split within one either
        assertFalse(java.util.Arrays.equals(EncryptionContext.canonical(Map.of("a", "b", "c", "d")),
                EncryptionContext.canonical(Map.of("a", "bcd"))));
    }

    @Test
    void aTamperedCiphertextIvOrWrappedKeyDoesNotOpen() {
        SealedValue sealed = cipher.seal("secret value", CONTEXT);
        byte[] ciphertext = sealed.ciphertext();
        ciphertext[0] ^= 1;
        assertThrows(DecryptionFailedException.class,
                () -> cipher.open(new SealedValue(sealed.wrappedKey(), sealed.iv(), ciphertext), CONTEXT));
        byte[] tag = sealed.ciphertext();
        tag[tag.length - 1] ^= 1;
        assertThrows(DecryptionFailedException.class, () -> cipher.open(new SealedValue(sealed.wrappedKey(), sealed.iv(), tag), CONTEXT));
        byte[] iv = sealed.iv();
        iv[5] ^= 1;
        assertThrows(DecryptionFailedException.class, () -> cipher.open(new SealedValue(sealed.wrappedKey(), iv, sealed.ciphertext()), CONTEXT));
        byte[] wrapped = sealed.wrappedKey();
        wrapped[3] ^= 1;
        assertThrows(DecryptionFailedException.class, () -> cipher.open(new SealedValue(wrapped, sealed.iv(), sealed.ciphertext()), CONTEXT));
    }

    @Test
    void unicodeEmptyAndLargestValuesRoundTrip() {
        for (String value : List.of("", "ünïcødé — 日本語 — 🔑🚀", "line\nbreaks\r\nand\ttabs\u0000nul")) {
            assertEquals(value, cipher.open(cipher.seal(value, CONTEXT), CONTEXT));
        }
        // 64 KiB of UTF-8 (the value limit), with multi-byte characters
        String large = "é".repeat(EnvVarNames.MAX_VALUE_BYTES / 2);
        assertEquals(EnvVarNames.MAX_VALUE_BYTES, large.getBytes(StandardCharsets.UTF_8).length);
        SealedValue sealed = cipher.seal(large, CONTEXT);
        assertEquals(large, cipher.open(SealedValue.decode(sealed.encoded()), CONTEXT));
    }

    @Test
    void everySealHasItsOwnKeyAndIv() {
        SealedValue one = cipher.seal("same", CONTEXT);
        SealedValue two = cipher.seal("same", CONTEXT);
        assertNotEquals(one, two);
        assertFalse(java.util.Arrays.equals(one.iv(), two.iv()));
        assertFalse(java.util.Arrays.equals(one.wrappedKey(), two.wrappedKey()));
    }

    @Test
    void thePlaintextKeysAreWipedAfterUse() {
        cipher.open(cipher.seal("value", CONTEXT), CONTEXT);
        assertEquals(2, dataKeys.handedOut.size());
        for (byte[] key : dataKeys.handedOut) {
            assertArrayEquals(new byte[32], key);
        }
    }

    @Test
    void theStorageFormIsVersionedAndValueBased() {
        SealedValue sealed = cipher.seal("value", CONTEXT);
        String encoded = sealed.encoded();
        assertTrue(encoded.startsWith("v1."), encoded);
        assertEquals(4, encoded.split("\\.").length);
        assertTrue(encoded.matches("[A-Za-z0-9._-]+"), "base64url, no padding: " + encoded);
        SealedValue decoded = SealedValue.decode(encoded);
        assertEquals(sealed, decoded);
        assertEquals(sealed.hashCode(), decoded.hashCode());
        assertEquals(encoded, decoded.encoded());
    }

    @Test
    void aBadStorageFormIsADecryptionFailure() {
        String good = cipher.seal("value", CONTEXT).encoded();
        String[] parts = good.split("\\.");
        for (String bad : List.of("", "value", "v2." + good.substring(3), "v1.a.b", good + ".extra",
                "v1." + parts[1] + "." + parts[2] + ".!!!", "v1." + parts[1] + ".AAAA." + parts[3], "v1.." + parts[2] + "." + parts[3])) {
            assertThrows(DecryptionFailedException.class, () -> SealedValue.decode(bad), bad);
        }
        assertThrows(DecryptionFailedException.class, () -> SealedValue.decode(null));
    }
}
