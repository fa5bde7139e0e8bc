package dev.platform.core.config;

import java.util.Map;

/**
 * Data keys for envelope encryption, made and unwrapped by a key service (KMS on AWS) whose master key never
 * leaves it. The encryption context is bound to the wrapped key: unwrapping under any other context fails.
 */
public interface DataKeys {

    /** A fresh 32-byte data key and the same key wrapped (encrypted) by the key service under {@code encryptionContext}. */
    DataKey generate(Map<String, String> encryptionContext);

    /**
     * The plaintext of a key from {@link #generate}.
     *
     * @throws DecryptionFailedException when the context is not the one it was generated under, or the blob is bad
     */
    byte[] unwrap(byte[] wrappedKey, Map<String, String> encryptionContext);

    /**
     * A data key: {@code plaintext} is secret and to be wiped by its user; {@code wrapped} is safe to store.
     * Arrays are held as given, not copied, so that wiping {@code plaintext} wipes the only copy.
     */
    record DataKey(byte[] plaintext, byte[] wrapped) {
        public DataKey {
            if (plaintext == null || plaintext.length != 32) {
                throw new IllegalArgumentException("a data key is 32 bytes (AES-256)");
            }
            if (wrapped == null || wrapped.length == 0) {
                throw new IllegalArgumentException("a data key needs its wrapped form");
            }
        }

        @Override
        public String toString() {
            // never the key itself in a log line
            return "DataKey[wrapped=" + wrapped.length + " bytes]";
        }
    }
}
