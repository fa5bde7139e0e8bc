package dev.platform.aws.github;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GitHub App's private key from its PEM, with the JDK only. GitHub hands out PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}); the JDK's {@code KeyFactory} reads PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * so a PKCS#1 key is wrapped in a PKCS#8 structure first (a few bytes of DER). Errors say what is
 * wrong with the key, never any of it; the caller prefixes the App.
 */
final class AppKey {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL } */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
        0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** INTEGER 0: PrivateKeyInfo's version */
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private AppKey() {
    }

    static RSAPrivateKey parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalStateException("private key is missing");
        }
        // A PEM pasted into an environment variable or JSON by hand often keeps "\n" as two characters.
        Matcher block = BLOCK.matcher(pem.replace("\\n", "\n"));
        if (!block.find()) {
            throw new IllegalStateException("private key is not PEM: expected -----BEGIN RSA PRIVATE KEY----- "
                    + "(PKCS#1, as GitHub hands it out) or -----BEGIN PRIVATE KEY----- (PKCS#8)");
        }
        String type = block.group(1);
        String body = block.group(2);
        if (type.equals("ENCRYPTED PRIVATE KEY") || body.contains("ENCRYPTED")) {
            throw new IllegalStateException("private key is encrypted; store it without a passphrase");
        }
        byte[] pkcs8 = switch (type) {
            case "RSA PRIVATE KEY" -> wrapPkcs1(decode(type, body));
            case "PRIVATE KEY" -> decode(type, body);
            default -> throw new IllegalStateException("private key is a PEM '" + type
                    + "' block; expected RSA PRIVATE KEY or PRIVATE KEY");
        };
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | ClassCastException e) {
            // The provider's message may describe the bytes; the type of failure is enough.
            throw new IllegalStateException("private key: the " + type + " block is not a valid RSA private key");
        }
    }

    private static byte[] decode(String type, String body) {
        try {
            return Base64.getDecoder().decode(body.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("private key: the " + type + " block is not valid base64");
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, rsaEncryption, OCTET STRING { RSAPrivateKey } } (RFC 5208). */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream content = new ByteArrayOutputStream(pkcs1.length + 32);
        content.writeBytes(VERSION_0);
        content.writeBytes(RSA_ALGORITHM);
        content.writeBytes(derValue(0x04, pkcs1));
        return derValue(0x30, content.toByteArray());
    }

    private static byte[] derValue(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
