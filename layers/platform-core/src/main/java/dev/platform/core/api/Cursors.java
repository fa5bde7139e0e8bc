package dev.platform.core.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pagination cursors a client cannot read or forge: the store's position and the list it belongs to,
 * signed with HMAC-SHA256 under the platform's cursor key. A changed or foreign cursor is a 400.
 */
public final class Cursors {
    private final byte[] key;

    public Cursors(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the cursor key needs at least 256 bits");
        }
        this.key = key.clone();
    }

    /** The opaque cursor for a store position of one list (the list's name binds it to that list). */
    public String sign(String list, String after) {
        if (after == null) {
            return null;
        }
        byte[] position = after.getBytes(StandardCharsets.UTF_8);
        byte[] mac = mac(list, position);
        byte[] token = new byte[16 + position.length];
        System.arraycopy(mac, 0, token, 0, 16);
        System.arraycopy(position, 0, token, 16, position.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /**
     * The store position in a cursor (null for none).
     *
     * @throws ApiProblem 400 on {@code cursor} when it was not made by {@link #sign} for this list
     */
    public String verify(String list, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        byte[] token;
        try {
            token = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException notBase64) {
            throw ApiProblem.invalid("cursor", "is not a cursor this API gave");
        }
        if (token.length <= 16) {
            throw ApiProblem.invalid("cursor", "is not a cursor this API gave");
        }
        byte[] position = java.util.Arrays.copyOfRange(token, 16, token.length);
        byte[] expected = java.util.Arrays.copyOf(mac(list, position), 16);
        if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOf(token, 16))) {
            throw ApiProblem.invalid("cursor", "is not a cursor this API gave");
        }
        return new String(position, StandardCharsets.UTF_8);
    }

    private byte[] mac(String list, byte[] position) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(list.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(position);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
