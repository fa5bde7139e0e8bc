package dev.platform.core.api;

/**
 * Who makes a request: the user the token belongs to, and the token.
 *
 * @param tokenId the id of the API token used (never its value)
 */
public record Caller(String userId, String tokenId) {
}
