package dev.platform.aws.kms;

import dev.platform.core.config.DataKeys;
import dev.platform.core.config.DecryptionFailedException;
import java.util.Arrays;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * Data keys from KMS: {@code GenerateDataKey} (AES-256) and {@code Decrypt}, both under the platform's key and the
 * caller's encryption context, which KMS binds to the wrapped key (and records in CloudTrail: ids only, never
 * values). Any other KMS failure (key disabled, access denied, throttling) is not a bad blob and is left as the
 * SDK's exception.
 */
public final class KmsDataKeys implements DataKeys {
    private final KmsClient kms;
    private final String keyId;

    /** @param keyId the key id, key ARN, alias name or alias ARN ({@code ENV_KEY_ID}) */
    public KmsDataKeys(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public DataKey generate(Map<String, String> encryptionContext) {
        GenerateDataKeyResponse response = kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                .encryptionContext(encryptionContext));
        // the SDK's own array, not a copy: when the caller wipes the key, no second copy is left in SdkBytes
        return new DataKey(response.plaintext().asByteArrayUnsafe(), response.ciphertextBlob().asByteArray());
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey, Map<String, String> encryptionContext) {
        try {
            // KeyId too: a blob of another key is refused (IncorrectKeyException) instead of decrypted with it
            byte[] key = kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrappedKey))
                    .encryptionContext(encryptionContext)).plaintext().asByteArrayUnsafe();
            if (key.length != 32) {
                // not a key this cipher can use, but still key material: wipe it like any other
                int length = key.length;
                Arrays.fill(key, (byte) 0);
                throw new DecryptionFailedException("the wrapped key is not an AES-256 data key (" + length + " bytes)");
            }
            return key;
        } catch (InvalidCiphertextException e) {
            // KMS answers this for a wrong encryption context as well as for a damaged blob
            throw new DecryptionFailedException("KMS refused the wrapped key: wrong encryption context or a damaged blob", e);
        } catch (IncorrectKeyException e) {
            throw new DecryptionFailedException("the wrapped key was made by another KMS key than " + keyId, e);
        }
    }
}
