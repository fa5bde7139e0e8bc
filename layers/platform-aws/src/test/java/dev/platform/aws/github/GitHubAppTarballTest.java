package dev.platform.aws.github;

import static dev.platform.aws.github.FakeGitHub.json;
import static dev.platform.aws.github.FakeGitHub.redirect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.github.app.GitHubException;
import dev.platform.core.ids.CommitSha;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Tarballs: GitHub's 302 followed by hand, no token to codeload, the bytes streamed to the reader. */
class GitHubAppTarballTest extends GitHubAppFixture {
    static final CommitSha COMMIT = CommitSha.of("6dcb09b5b57875f334f61aebed695e2e4193db5e");
    static final String TARBALL = "/repos/acme/shop/tarball/" + COMMIT.value();
    static final String SIGNED = "/acme/shop/legacy.tar.gz/" + COMMIT.value() + "?token=SIGNEDCODELOADTOKEN123";

    static byte[] archive(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) != -1; ) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    @Test
    void theRedirectIsFollowedWithoutTheTokenAndTheBytesArriveIntact() throws Exception {
        byte[] archive = archive(5 * 1024 * 1024 + 17);
        github.on("GET", TARBALL, redirect(codeload.baseUrl() + SIGNED));
        codeload.on("GET", "/acme/shop/legacy.tar.gz/" + COMMIT.value(), FakeGitHub.bytes(archive));

        byte[] digest = app.withTarball(INSTALLATION, REPO, COMMIT, GitHubAppTarballTest::sha256);

        assertArrayEquals(sha256(archive), digest);
        FakeGitHub.Request toGitHub = github.requests("GET", TARBALL).get(0);
        assertTrue(toGitHub.header("Authorization").startsWith("Bearer ghs_"), "GitHub gets the installation token");
        FakeGitHub.Request toCodeload = codeload.requests().get(0);
        assertNull(toCodeload.header("Authorization"), "the signed URL's host never sees the token");
        assertEquals("token=SIGNEDCODELOADTOKEN123", toCodeload.query(), "the signed URL is used as given");
        assertEquals(1, codeload.requests().size());
    }

    @Test
    void theReaderReadsWhileTheBodyIsStillArriving() throws Exception {
        byte[] archive = archive(3 * 1024 * 1024);
        CountDownLatch readerStarted = new CountDownLatch(1);
        AtomicBoolean readBeforeTheEnd = new AtomicBoolean();
        github.on("GET", TARBALL, redirect(codeload.baseUrl() + SIGNED));
        codeload.on("GET", "/acme/shop/legacy.tar.gz/" + COMMIT.value(), exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(archive, 0, 1024 * 1024);
                out.flush();
                // A client that buffered the whole body would not call the reader before the end.
                readBeforeTheEnd.set(readerStarted.await(10, TimeUnit.SECONDS));
                out.write(archive, 1024 * 1024, archive.length - 1024 * 1024);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        byte[] digest = app.withTarball(INSTALLATION, REPO, COMMIT, in -> {
            MessageDigest sha = sha256Digest();
            int first = in.read();
            sha.update((byte) first);
            readerStarted.countDown();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) != -1; ) {
                sha.update(buffer, 0, n);
            }
            return sha.digest();
        });

        assertTrue(readBeforeTheEnd.get(), "the reader had bytes before the body ended");
        assertArrayEquals(sha256(archive), digest);
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aMissingRepositoryOrCommitIsNotFound() {
        GitHubException error = assertThrows(GitHubException.class,
                () -> app.withTarball(INSTALLATION, REPO, COMMIT, InputStream::readAllBytes));
        assertEquals(GitHubException.Kind.NOT_FOUND, error.kind());
        assertEquals(404, error.status());
        assertEquals("GitHub GET " + TARBALL + ": 404 (Not Found)", error.getMessage());
    }

    @Test
    void aFailingCodeloadNamesItsHostNeverTheSignedUrl() {
        github.always("GET", TARBALL, redirect(codeload.baseUrl() + SIGNED));
        codeload.always("GET", "/acme/shop/legacy.tar.gz/" + COMMIT.value(), json(404, "{\"message\":\"token=SIGNEDCODELOADTOKEN123\"}"));
        GitHubException error = assertThrows(GitHubException.class,
                () -> app.withTarball(INSTALLATION, REPO, COMMIT, InputStream::readAllBytes));
        assertEquals(GitHubException.Kind.NOT_FOUND, error.kind());
        assertEquals("GitHub GET " + TARBALL + " (redirected to 127.0.0.1): 404", error.getMessage());
    }

    @Test
    void aFailingCodeloadIsRetriedFromGitHubForAFreshSignedUrl() throws Exception {
        byte[] archive = archive(100_000);
        github.always("GET", TARBALL, redirect(codeload.baseUrl() + SIGNED));
        codeload.on("GET", "/acme/shop/legacy.tar.gz/" + COMMIT.value(), FakeGitHub.status(503), FakeGitHub.bytes(archive));
        assertArrayEquals(archive, app.withTarball(INSTALLATION, REPO, COMMIT, InputStream::readAllBytes));
        assertEquals(2, github.requests("GET", TARBALL).size());
    }

    @Test
    void theReadersOwnFailureReachesTheCallerAsIs() {
        github.on("GET", TARBALL, redirect(codeload.baseUrl() + SIGNED));
        codeload.on("GET", "/acme/shop/legacy.tar.gz/" + COMMIT.value(), FakeGitHub.bytes(archive(10_000)));
        IOException failure = new IOException("disk full");
        assertEquals(failure, assertThrows(IOException.class, () -> app.withTarball(INSTALLATION, REPO, COMMIT, in -> {
            in.read();
            throw failure;
        })));
    }

    @Test
    void aStreamThatGoesQuietIsAReadTimeout() {
        GitHubApp impatient = new GitHubApp(github.baseUrl(), GitHubAppSecrets.fixed(APP_ID, TestKeys.PKCS1_PEM), clock,
                new GitHubApp.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(300)), FAST_RETRIES);
        github.on("GET", TARBALL, redirect(codeload.baseUrl() + SIGNED));
        codeload.on("GET", "/acme/shop/legacy.tar.gz/" + COMMIT.value(), exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(archive(50_000));
            out.flush();
            try {
                codeload.awaitClose(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class,
                () -> impatient.withTarball(INSTALLATION, REPO, COMMIT, InputStream::readAllBytes));
        assertTrue(timeout.getMessage().startsWith("GitHub GET " + TARBALL + ": no bytes for 300 ms"), timeout.getMessage());
        assertFalse(timeout.getMessage().contains("SIGNED"));
    }

    @Test
    void aRepositoryThatIsNotOwnerSlashNameIsRefusedBeforeAnyCall() {
        for (String bad : List.of("acme", "acme/shop/extra", "../x/y", "acme/..", "acme/shop?x=1", "")) {
            assertThrows(IllegalArgumentException.class, () -> app.withTarball(INSTALLATION, bad, COMMIT, InputStream::readAllBytes),
                    bad);
        }
        assertEquals(List.of(), github.requests());
    }
}
