package dev.platform.core.build;

import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;

/**
 * One attempt of one build, as the builder runs it: the source snapshot to read, the build settings,
 * and the tag to push.
 *
 * @param pr the pull request it was first requested for, or null (production); a tag only
 * @param sourceLocation where the snapshot is ({@link SourceStore#locationOf})
 * @param sourceRoot the snapshot's top directory (GitHub's tarballs hold one): the build context is below it
 * @param image where to push: {@code <repository uri>:<tag>}
 * @param cacheRepository the registry layer cache ({@code --cache-repo})
 */
public record BuilderTask(BuildId buildId, int attempt, ProjectId projectId, CommitSha commitSha, PrNumber pr,
                          String sourceLocation, String sourceRoot, BuildSettings settings, String image,
                          String cacheRepository) {

    /**
     * The idempotency token of starting this attempt: the same attempt started twice is one task. At most
     * 64 characters (ECS {@code RunTask}).
     */
    public String clientToken() {
        return buildId.value() + "-" + attempt;
    }

    /** The build context inside the snapshot: its top directory, then the settings' context directory. */
    public String contextPath() {
        String context = settings.context();
        if (context.startsWith("./")) {
            context = context.substring(2);
        }
        if (context.endsWith("/")) {
            context = context.substring(0, context.length() - 1);
        }
        return context.isEmpty() || context.equals(".") ? sourceRoot : sourceRoot + "/" + context;
    }
}
