package dev.platform.aws.github;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The GitHub App's JWT (RS256), what {@code /app/...} calls are authenticated with. Written by hand, not
 * with nimbus-jose-jwt: reading GitHub's PKCS#1 PEM would need BouncyCastle besides, and the token is
 * three base64url parts and one {@code SHA256withRSA} signature.
 *
 * <p>The key is parsed at first use (a bad or missing one fails the first call, naming what is wrong)
 * and again only when the credentials change (a rotated secret).
 */
final class AppJwt {
    /** GitHub's advice: issued a minute in the past, against clock drift. */
    static final Duration BACKDATE = Duration.ofSeconds(60);
    /** GitHub refuses an expiry more than ten minutes ahead; nine keeps a margin for drift. */
    static final Duration LIFETIME = Duration.ofMinutes(9);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = BASE64URL.encodeToString(
            "{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private record Signer(GitHubAppCredentials credentials, String appId, RSAPrivateKey key) {
    }

    private final GitHubAppCredentialsSource source;
    private final Clock clock;
    private volatile Signer signer;

    AppJwt(GitHubAppCredentialsSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /** A fresh JWT; signing costs about a millisecond, so none is cached. */
    String token() {
        Signer current = signer();
        Instant now = clock.instant();
        ObjectNode claims = Json.object();
        claims.put("iat", now.minus(BACKDATE).getEpochSecond());
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        String appId = current.appId();
        // GitHub takes the App id as a number or the client id ("Iv1...") as a string.
        if (appId.chars().allMatch(Character::isDigit) && appId.length() < 19) {
            claims.put("iss", Long.parseLong(appId));
        } else {
            claims.put("iss", appId);
        }
        String signingInput = HEADER + "." + BASE64URL.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(current.key());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GitHub App " + appId + ": cannot sign a JWT with its private key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private Signer signer() {
        GitHubAppCredentials credentials = source.credentials();
        Signer current = signer;
        if (current != null && current.credentials().equals(credentials)) {
            return current;
        }
        if (credentials == null || credentials.appId() == null || credentials.appId().isBlank()) {
            throw new IllegalStateException("GitHub App id is missing");
        }
        String appId = credentials.appId().trim();
        RSAPrivateKey key;
        try {
            key = AppKey.parse(credentials.privateKeyPem());
        } catch (IllegalStateException e) {
            throw new IllegalStateException("GitHub App " + appId + ": " + e.getMessage());
        }
        current = new Signer(credentials, appId, key);
        signer = current;
        return current;
    }
}
