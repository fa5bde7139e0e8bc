package dev.platform.core.api;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Bearer secrets (API tokens, invitation tokens) and opaque ids. A secret is a prefix and 43 base62
 * characters of {@link SecureRandom} (256 bits); only its SHA-256 is stored. A new generator per call, so
 * no random state is captured in a SnapStart snapshot.
 */
public final class Secrets {
    public static final String TOKEN_PREFIX = "plat_";
    public static final String INVITATION_PREFIX = "pinv_";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** 62^43 > 2^256: 43 characters carry all 256 random bits. */
    private static final int SECRET_CHARS = 43;

    private Secrets() {
    }

    public static String newToken() {
        return TOKEN_PREFIX + base62(random(32), SECRET_CHARS);
    }

    public static String newInvitationToken() {
        return INVITATION_PREFIX + base62(random(32), SECRET_CHARS);
    }

    /** An opaque id: a prefix and 22 base62 characters (128 random bits). */
    public static String newId(String prefix) {
        return prefix + base62(random(16), 22);
    }

    /** The stored form of a secret: SHA-256 of its UTF-8 bytes, as hex. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** True when the text has the form of one of our secrets (so a lookup is worth making). */
    public static boolean looksLike(String prefix, String text) {
        if (text == null || text.length() != prefix.length() + SECRET_CHARS || !text.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < text.length(); i++) {
            if (BASE62.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return value;
    }

    private static String base62(byte[] bytes, int chars) {
        BigInteger value = new BigInteger(1, bytes);
        BigInteger base = BigInteger.valueOf(62);
        char[] out = new char[chars];
        for (int i = chars - 1; i >= 0; i--) {
            BigInteger[] qr = value.divideAndRemainder(base);
            out[i] = BASE62.charAt(qr[1].intValue());
            value = qr[0];
        }
        return new String(out);
    }
}
