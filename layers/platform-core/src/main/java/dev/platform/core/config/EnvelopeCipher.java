package dev.platform.core.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of environment variable values: each value gets its own data key from {@link DataKeys}
 * (KMS on AWS), is encrypted with it by AES-256-GCM here, and is stored with the wrapped key. The encryption
 * context (the project, scope and name, say) is bound twice: to the wrapped key by the key service, and to the
 * ciphertext as GCM associated data, so a value copied to another variable or project does not open there even
 * with a key service that ignored the context.
 */
public final class EnvelopeCipher {
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int TAG_BITS = SealedValue.TAG_BYTES * 8;

    private final DataKeys dataKeys;
    private final SecureRandom random;

    public EnvelopeCipher(DataKeys dataKeys) {
        this(dataKeys, new SecureRandom());
    }

    EnvelopeCipher(DataKeys dataKeys, SecureRandom random) {
        this.dataKeys = dataKeys;
        this.random = random;
    }

    public SealedValue seal(String plaintext, Map<String, String> context) {
        DataKeys.DataKey key = dataKeys.generate(context);
        byte[] iv = new byte[SealedValue.IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key.plaintext(), iv, context);
            return new SealedValue(key.wrapped(), iv, cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        } finally {
            // the plaintext key should not outlive this call in the heap (heap dumps, SnapStart snapshots); the JCE's
            // own copies (SecretKeySpec, the cipher) are out of reach, this wipes the one we were handed
            Arrays.fill(key.plaintext(), (byte) 0);
        }
    }

    /** @throws DecryptionFailedException when {@code context} is not the one it was sealed under, or the value was altered */
    public String open(SealedValue sealed, Map<String, String> context) {
        byte[] key = dataKeys.unwrap(sealed.wrappedKey(), context);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, sealed.iv(), context);
            byte[] plaintext = cipher.doFinal(sealed.ciphertext());
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(plaintext)).toString();
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw new DecryptionFailedException("the sealed value does not open under this context, or was altered");
        } catch (CharacterCodingException e) {
            throw new DecryptionFailedException("the sealed value is not UTF-8 text");
        } catch (GeneralSecurityException e) {
            throw new DecryptionFailedException("the sealed value cannot be decrypted", e);
        } finally {
            // as in seal: wipe the plaintext key as soon as it has been used
            Arrays.fill(key, (byte) 0);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv, Map<String, String> context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(EncryptionContext.canonical(context));
        return cipher;
    }
}
