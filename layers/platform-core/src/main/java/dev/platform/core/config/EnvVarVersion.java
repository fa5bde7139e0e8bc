package dev.platform.core.config;

import java.time.Instant;

/**
 * One change of a variable, kept for its history and for rollback: who, when, and the sealed value it set (none
 * for a delete); never the plaintext.
 *
 * @param action {@code set} or {@code delete}
 */
public record EnvVarVersion(EnvVarKey key, long version, String action, boolean sensitive, String valueHash, String sealed,
                            Instant at, String actor, String tokenId) {
    public static final String SET = "set";
    public static final String DELETE = "delete";
}
