package dev.platform.core.config;

import java.util.List;
import java.util.Map;

/**
 * Where an environment's sensitive variables are kept for its ECS tasks: encrypted parameters (SSM Parameter
 * Store SecureString on AWS) that a task definition references by ARN in its container's {@code secrets}, so no
 * plaintext is ever in a task definition, a log or an event.
 *
 * <p>A parameter is written once per variable version and never changed, under a name such as
 * {@code /platform/<projectId>/<environment>/<NAME>/v<version>}: a rollback to an older task definition still
 * reads the values it was deployed with, because a newer version is a new parameter rather than an overwrite.
 * An environment's parameters all live under its path, so its teardown removes them with one
 * {@link #deleteUnder} and leaves nothing behind.
 *
 * <p>Names are not secret (they appear in task definitions); values are, and no implementation puts one in an
 * exception message or a log.
 */
public interface SecretParameters {

    /**
     * Writes the parameter if it does not exist yet. Writing the same name with the same value again succeeds, so
     * a retried deploy is harmless; the same name with a different value is refused, because a version's value
     * never changes (an older task definition may still read it).
     *
     * @param name an absolute path, for example {@code /platform/p1/pr-1/DATABASE_URL/v3}
     * @param tags stored with the parameter (who owns it, for cleanup and cost reports); may be empty
     * @return the parameter's ARN, which a container definition's {@code secrets[].valueFrom} takes
     * @throws ParameterConflictException when the parameter exists with another value
     */
    String put(String name, String value, Map<String, String> tags);

    /**
     * Every parameter name under {@code path} (at any depth, all pages), sorted. A sibling whose name merely
     * starts with the same characters is not under it: {@code /platform/p1/pr-10/X} is not under
     * {@code /platform/p1/pr-1}.
     *
     * @param path an absolute path such as {@code /platform/p1/pr-1}, with or without a trailing slash
     */
    List<String> namesUnder(String path);

    /**
     * Deletes every parameter under {@code path}, as {@link #namesUnder} lists them: an environment's teardown.
     * Nothing to delete is not an error, so a repeated teardown succeeds.
     *
     * @return how many parameters were deleted (0 when there were none)
     */
    int deleteUnder(String path);

    /** A parameter already holds a different value: versions are immutable, so write a new version instead. */
    final class ParameterConflictException extends RuntimeException {
        private final String name;

        public ParameterConflictException(String name) {
            super("parameter " + name + " already exists with a different value; a version is never overwritten "
                    + "(an older task definition may still read it): write a new version instead");
            this.name = name;
        }

        public String name() {
            return name;
        }
    }
}
