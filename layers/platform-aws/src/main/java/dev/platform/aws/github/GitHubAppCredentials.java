package dev.platform.aws.github;

/**
 * What the platform's GitHub App signs its JWTs with: the App's id (or client id) and its private key
 * as GitHub hands it out (PEM, PKCS#1 or PKCS#8). Neither is checked here: a missing or bad key is
 * reported when the first JWT is signed, naming what is wrong.
 */
public record GitHubAppCredentials(String appId, String privateKeyPem) {

    /** Never prints the key. */
    @Override
    public String toString() {
        return "GitHubAppCredentials[appId=" + appId + ", privateKeyPem=<redacted>]";
    }
}
