package dev.platform.aws.github;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The App's key from both PEM forms, clear errors for bad ones, and the JWT it signs. */
class AppKeyTest {

    @Test
    void aPkcs1KeyWrappedByHandIsTheJdksOwnPkcs8Encoding() {
        assertArrayEquals(TestKeys.PKCS8, AppKey.wrapPkcs1(TestKeys.PKCS1));
        assertEquals(TestKeys.PAIR.getPrivate(), AppKey.parse(TestKeys.PKCS1_PEM));
        assertEquals(TestKeys.PAIR.getPrivate(), AppKey.parse(TestKeys.PKCS8_PEM));
    }

    @Test
    void keysWithCarriageReturnsOrEscapedNewlinesAreRead() {
        assertEquals(TestKeys.PAIR.getPrivate(), AppKey.parse(TestKeys.PKCS1_PEM.replace("\n", "\r\n")));
        assertEquals(TestKeys.PAIR.getPrivate(), AppKey.parse(TestKeys.PKCS1_PEM.replace("\n", "\\n")));
    }

    @Test
    void badKeysAreClearErrorsThatNeverQuoteTheKey() {
        String body = TestKeys.PKCS1_PEM.split("\n")[5];
        assertMessage("private key is missing", null);
        assertMessage("private key is missing", "  ");
        assertMessage("private key is not PEM", "not a key at all " + body);
        assertMessage("'PUBLIC KEY' block", TestKeys.PUBLIC_PEM);
        assertMessage("not valid base64", TestKeys.PKCS1_PEM.replace(body, body.substring(0, 30) + "!!" + body.substring(32)));
        String first = TestKeys.PKCS1_PEM.split("\n")[1];
        assertMessage("the RSA PRIVATE KEY block is not a valid RSA private key",
                TestKeys.PKCS1_PEM.replace(first, "AAAA" + first.substring(4)));
        assertMessage("the PRIVATE KEY block is not a valid RSA private key", TestKeys.pem("PRIVATE KEY", new byte[] {1, 2, 3}));
        assertMessage("encrypted", TestKeys.pem("ENCRYPTED PRIVATE KEY", TestKeys.PKCS8));
    }

    private static void assertMessage(String expected, String pem) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> AppKey.parse(pem));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
        assertEquals(null, error.getCause(), "no cause that could describe the key's bytes");
        if (pem != null && pem.length() > 80) {
            String body = TestKeys.PKCS1_PEM.split("\n")[5];
            assertFalse(error.getMessage().contains(body.substring(4, 24)), "the key is never quoted");
        }
    }

    @Test
    void theJwtIsRs256WithIssIatAMinuteAgoAndExpNineMinutesAhead() throws Exception {
        TestClock clock = new TestClock();
        String jwt = new AppJwt(GitHubAppSecrets.fixed(" 314159 ", TestKeys.PKCS8_PEM), clock).token();
        String[] parts = jwt.split("\\.");
        assertEquals(3, parts.length);
        Base64.Decoder base64url = Base64.getUrlDecoder();
        assertEquals(Json.MAPPER.readTree("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"), Json.MAPPER.readTree(base64url.decode(parts[0])));
        JsonNode claims = Json.MAPPER.readTree(base64url.decode(parts[1]));
        long now = clock.instant().getEpochSecond();
        assertEquals(314159, claims.get("iss").asLong());
        assertEquals(now - 60, claims.get("iat").asLong());
        assertEquals(now + 540, claims.get("exp").asLong());
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(TestKeys.PUBLIC);
        rs256.update((parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(base64url.decode(parts[2])));
        assertFalse(jwt.contains("="), "base64url without padding");
    }

    @Test
    void aClientIdIsIssuedAsAString() throws Exception {
        String jwt = new AppJwt(GitHubAppSecrets.fixed("Iv1.8a61f9b3a7aba766", TestKeys.PKCS1_PEM), new TestClock()).token();
        JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        assertEquals("Iv1.8a61f9b3a7aba766", claims.get("iss").textValue());
    }

    @Test
    void aMissingAppIdOrABadKeyFailsTheFirstJwtNamingTheApp() {
        var noId = new AppJwt(GitHubAppSecrets.fixed(" ", TestKeys.PKCS1_PEM), new TestClock());
        assertEquals("GitHub App id is missing", assertThrows(IllegalStateException.class, noId::token).getMessage());
        var badKey = new AppJwt(GitHubAppSecrets.fixed("314159", "garbage"), new TestClock());
        String message = assertThrows(IllegalStateException.class, badKey::token).getMessage();
        assertTrue(message.startsWith("GitHub App 314159: private key is not PEM"), message);
    }

    @Test
    void credentialsNeverPrintTheirKey() {
        assertFalse(new GitHubAppCredentials("1", TestKeys.PKCS1_PEM).toString().contains("PRIVATE KEY"));
    }
}
