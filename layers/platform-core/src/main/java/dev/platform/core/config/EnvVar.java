package dev.platform.core.config;

import java.time.Instant;

/**
 * A variable's current version. {@code sealed} is its value as {@link EnvelopeCipher} stores it (never plaintext);
 * a deleted variable stays as a tombstone ({@code deleted}, no value), so its versions keep counting up.
 *
 * @param valueHash a keyed hash of the value: tells versions apart without revealing or confirming a value
 */
public record EnvVar(EnvVarKey key, String sealed, boolean sensitive, long version, String valueHash, Instant updatedAt,
                     String updatedBy, boolean deleted) {
}
