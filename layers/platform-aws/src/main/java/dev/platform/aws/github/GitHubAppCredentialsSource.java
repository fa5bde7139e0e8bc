package dev.platform.aws.github;

/** Where the GitHub App's credentials come from; asked before each JWT is signed, so it may cache. */
@FunctionalInterface
public interface GitHubAppCredentialsSource {
    GitHubAppCredentials credentials();
}
