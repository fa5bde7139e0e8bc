package dev.platform.core.config;

import java.util.Arrays;
import java.util.Base64;

/**
 * An environment variable's value as stored: its AES-GCM ciphertext (tag included), the IV, and the data key
 * wrapped by the key service. Nothing in it is secret without the key service.
 *
 * <p>Storage form ({@link #encoded()}): {@code v1.<wrappedKey>.<iv>.<ciphertext>}, each part unpadded base64url,
 * so it is one string attribute and fits a URL, a header or a dotenv line unchanged. The version prefix lets a
 * later format be read beside this one.
 */
public final class SealedValue {
    static final String VERSION = "v1";
    static final int IV_BYTES = 12;
    static final int TAG_BYTES = 16;

    private final byte[] wrappedKey;
    private final byte[] iv;
    private final byte[] ciphertext;

    public SealedValue(byte[] wrappedKey, byte[] iv, byte[] ciphertext) {
        if (wrappedKey.length == 0 || iv.length != IV_BYTES || ciphertext.length < TAG_BYTES) {
            throw new IllegalArgumentException("a sealed value needs a wrapped key, a " + IV_BYTES + "-byte IV and a ciphertext with its tag");
        }
        // copies: the value is immutable whatever the caller does with its arrays
        this.wrappedKey = wrappedKey.clone();
        this.iv = iv.clone();
        this.ciphertext = ciphertext.clone();
    }

    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    public byte[] iv() {
        return iv.clone();
    }

    /** The AES-GCM output: the encrypted value followed by the 16-byte tag. */
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    public String encoded() {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return VERSION + "." + base64.encodeToString(wrappedKey) + "." + base64.encodeToString(iv) + "." + base64.encodeToString(ciphertext);
    }

    /** @throws DecryptionFailedException when {@code encoded} is not a sealed value of a known version */
    public static SealedValue decode(String encoded) {
        if (encoded == null) {
            throw new DecryptionFailedException("not a sealed value: null");
        }
        String[] parts = encoded.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals(VERSION)) {
            // the form only, never the input: it may be a plaintext stored by mistake
            throw new DecryptionFailedException("not a sealed value: expected " + VERSION + ".<wrappedKey>.<iv>.<ciphertext>");
        }
        try {
            Base64.Decoder base64 = Base64.getUrlDecoder();
            return new SealedValue(base64.decode(parts[1]), base64.decode(parts[2]), base64.decode(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new DecryptionFailedException("not a sealed value: a part is not base64url or has the wrong length");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedValue that && Arrays.equals(wrappedKey, that.wrappedKey) && Arrays.equals(iv, that.iv)
                && Arrays.equals(ciphertext, that.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(wrappedKey) + Arrays.hashCode(iv)) + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "SealedValue[" + ciphertext.length + " bytes]";
    }
}
