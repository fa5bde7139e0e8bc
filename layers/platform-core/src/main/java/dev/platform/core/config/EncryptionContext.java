package dev.platform.core.config;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one byte form of an encryption context, used as AES-GCM associated data (here and in the local KMS): entries
 * sorted by key, each key and value as a 4-byte big-endian length and its UTF-8 bytes. The lengths make the form
 * unambiguous ({@code {"a":"bc"}} and {@code {"ab":"c"}} differ); the sorting makes it independent of map order.
 */
public final class EncryptionContext {
    private EncryptionContext() {
    }

    public static byte[] canonical(Map<String, String> context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // String's natural order compares UTF-16 units; any fixed order will do, as long as both sides use this one
        new TreeMap<>(context).forEach((key, value) -> {
            field(out, key);
            field(out, value);
        });
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
