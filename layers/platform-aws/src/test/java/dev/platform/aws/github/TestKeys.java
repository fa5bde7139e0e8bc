package dev.platform.aws.github;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/** One RSA key pair for the tests, as the App's private key PEM in both of GitHub's forms. */
final class TestKeys {
    static final KeyPair PAIR = generate();
    static final RSAPublicKey PUBLIC = (RSAPublicKey) PAIR.getPublic();
    /** PKCS#8: what the JDK encodes. */
    static final byte[] PKCS8 = PAIR.getPrivate().getEncoded();
    /** PKCS#1: the RSAPrivateKey inside the PKCS#8 structure, as GitHub hands keys out. */
    static final byte[] PKCS1 = innerRsaPrivateKey(PKCS8);
    static final String PKCS8_PEM = pem("PRIVATE KEY", PKCS8);
    static final String PKCS1_PEM = pem("RSA PRIVATE KEY", PKCS1);
    static final String PUBLIC_PEM = pem("PUBLIC KEY", PUBLIC.getEncoded());

    private TestKeys() {
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * PrivateKeyInfo ::= SEQUENCE { INTEGER version, SEQUENCE algorithm, OCTET STRING privateKey }: skips
     * the first two elements and returns the octet string's content. Just enough DER to read one structure.
     */
    static byte[] innerRsaPrivateKey(byte[] pkcs8) {
        int[] at = {0};
        expect(pkcs8, at, 0x30);
        length(pkcs8, at);
        skip(pkcs8, at, 0x02);
        skip(pkcs8, at, 0x30);
        expect(pkcs8, at, 0x04);
        int length = length(pkcs8, at);
        return Arrays.copyOfRange(pkcs8, at[0], at[0] + length);
    }

    private static void skip(byte[] der, int[] at, int tag) {
        expect(der, at, tag);
        int length = length(der, at);  // read first: it moves at[0]
        at[0] += length;
    }

    private static void expect(byte[] der, int[] at, int tag) {
        if ((der[at[0]] & 0xff) != tag) {
            throw new IllegalArgumentException("DER tag " + der[at[0]] + " at " + at[0] + ", expected " + tag);
        }
        at[0]++;
    }

    private static int length(byte[] der, int[] at) {
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        return length;
    }
}
