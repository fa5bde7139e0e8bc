package dev.platform.core.github.app;

import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import java.io.IOException;
import java.io.InputStream;

/** Port: a repository's files at a commit, as GitHub's gzipped tarball, read through the GitHub App. */
public interface CommitArchives {

    /** Reads an archive while it streams; the stream is closed when this returns. */
    @FunctionalInterface
    interface ArchiveReader<T> {
        T read(InputStream tarGz) throws IOException;
    }

    /**
     * Streams {@code GET /repos/{repository}/tarball/{commit}} to {@code reader}, never all of it in memory.
     *
     * @param repository {@code owner/name}
     * @throws GitHubException when GitHub refuses or fails ({@link GitHubException.Kind#NOT_FOUND}: the
     *     repository or commit is gone)
     * @throws IOException when reading the stream fails, or the reader fails
     */
    <T> T withTarball(InstallationId installation, String repository, CommitSha commit, ArchiveReader<T> reader)
            throws IOException;
}
