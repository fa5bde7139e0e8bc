package dev.platform.core.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSignatureTest {
    // GitHub's published test vector (docs: "Validating webhook deliveries").
    private static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void githubsPublishedVectorVerifies() {
        assertTrue(WebhookSignature.verify(SECRET, BODY, SIGNATURE));
        assertEquals(SIGNATURE, WebhookSignature.sign(SECRET, BODY));
    }

    @Test
    void tamperedBodyFails() {
        assertFalse(WebhookSignature.verify(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), SIGNATURE));
    }

    @Test
    void tamperedSignatureFails() {
        String tampered = SIGNATURE.substring(0, SIGNATURE.length() - 1) + "f";
        assertFalse(WebhookSignature.verify(SECRET, BODY, tampered));
    }

    @Test
    void wrongSecretFails() {
        assertFalse(WebhookSignature.verify("another".getBytes(StandardCharsets.UTF_8), BODY, SIGNATURE));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", // wrong prefix
            "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",      // no prefix
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1", // short
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e170", // long
            "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", // not hex
            "sha256="})
    void malformedOrMissingHeaderFails(String header) {
        assertFalse(WebhookSignature.verify(SECRET, BODY, header));
    }

    @Test
    void emptyBodyDoesNotMatchASignatureOfAnotherBody() {
        assertFalse(WebhookSignature.verify(SECRET, new byte[0], SIGNATURE));
    }
}
