package dev.platform.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as hex, for ids derived from other ids: the one place the platform hashes names. */
public final class Hashes {
    private Hashes() {
    }

    /** The first {@code hexDigits} hex digits of SHA-256 of the text's UTF-8 bytes (at most 64). */
    public static String sha256Hex(String text, int hexDigits) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, hexDigits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
