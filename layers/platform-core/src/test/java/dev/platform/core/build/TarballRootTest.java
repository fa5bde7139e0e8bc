package dev.platform.core.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitHub's tarballs are {@code git archive} output: a pax global header, then one top directory. */
class TarballRootTest {
    @TempDir
    Path repo;

    private void git(String... args) throws Exception {
        Process process = new ProcessBuilder(java.util.stream.Stream.concat(java.util.stream.Stream.of("git", "-C",
                repo.toString(), "-c", "user.name=t", "-c", "user.email=t@example.com"), java.util.Arrays.stream(args)).toList())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("git " + List.of(args) + ": " + output);
        }
    }

    @Test
    void theTopDirectoryOfAGitArchiveIsFoundAndTheStreamIsUntouched() throws Exception {
        git("init", "-q");
        Files.writeString(repo.resolve("Dockerfile"), "FROM scratch\n");
        Files.createDirectories(repo.resolve("web"));
        Files.write(repo.resolve("web/big.bin"), new byte[300_000]);
        git("add", ".");
        git("commit", "-q", "-m", "first");
        Path archive = repo.resolve("archive.tar.gz");
        git("archive", "--format=tar.gz", "--prefix=Octo-App-1a2b3c4/", "-o", archive.toString(), "HEAD");
        byte[] bytes = Files.readAllBytes(archive);

        TarballRoot.Peeked peeked = TarballRoot.peek(new ByteArrayInputStream(bytes));
        assertEquals("Octo-App-1a2b3c4", peeked.root());
        assertArrayEquals(bytes, peeked.stream().readAllBytes(), "the stream goes on from its first byte");
    }

    @Test
    void somethingThatIsNotAGzippedTarIsAnError() {
        assertThrows(IOException.class, () -> TarballRoot.peek(new ByteArrayInputStream("not a tarball".getBytes())));
    }
}
