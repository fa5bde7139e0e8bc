package dev.platform.aws.github;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.platform.core.ids.InstallationId;
import dev.platform.core.json.JsonLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A GitHubApp against a fake GitHub (and a fake codeload), with short timeouts and retry delays, and the
 * function log captured. Every test ends by checking that GitHub never refused the App's credentials
 * unless the test expected it.
 */
abstract class GitHubAppFixture {
    static final String APP_ID = "314159";
    static final InstallationId INSTALLATION = InstallationId.of(42);
    static final String REPO = "acme/shop";
    static final List<Duration> FAST_RETRIES = List.of(Duration.ofMillis(1), Duration.ofMillis(1));
    static final GitHubApp.Timeouts FAST_TIMEOUTS = new GitHubApp.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(2));

    final TestClock clock = new TestClock();
    FakeGitHub github;
    FakeGitHub codeload;
    GitHubApp app;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    boolean authFailuresExpected;

    /** "" as github.com; {@code /api/v3} as GitHub Enterprise Server. */
    String apiPrefix() {
        return "";
    }

    @BeforeEach
    void startFakes() {
        JsonLog.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        github = FakeGitHub.api(apiPrefix(), clock, APP_ID, TestKeys.PUBLIC);
        codeload = FakeGitHub.codeload(clock);
        app = app(TestKeys.PKCS1_PEM);
    }

    @AfterEach
    void stopFakes() {
        JsonLog.redirect(System.out);
        github.close();
        codeload.close();
        if (!authFailuresExpected) {
            assertEquals(List.of(), github.authFailures(), "GitHub accepted every JWT and token");
        }
    }

    GitHubApp app(String privateKeyPem) {
        return new GitHubApp(github.baseUrl(), GitHubAppSecrets.fixed(APP_ID, privateKeyPem), clock, FAST_TIMEOUTS,
                FAST_RETRIES);
    }

    /** What the code logged (JsonLog lines) so far. */
    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }
}
