package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.embedded.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped jar refuses bad settings and a second start with one line, an exit code, and no change. */
class StartupIT {
    @TempDir
    Path temp;

    private record Exit(int code, List<String> stderr) {
    }

    private Exit run(Map<String, String> env) throws Exception {
        Path stderr = Files.createTempFile(temp, "stderr", ".log");
        Process process = RunningJar.command(env, stderr).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the runtime should have exited: " + env);
        return new Exit(process.exitValue(), Files.readAllLines(stderr));
    }

    @Test
    void badSettingsAreOneLineAndExitCode2BeforeAnythingStarts() throws Exception {
        Path dataDir = temp.resolve("untouched");
        Path aFile = Files.writeString(temp.resolve("a-file"), "not a directory");
        for (Map<String, String> env : List.of(
                Map.of("PORT", "abc", "PLATFORM_DATA_DIR", dataDir.toString()),
                Map.of("PORT", "70000", "PLATFORM_DATA_DIR", dataDir.toString()),
                Map.of("PLATFORM_DATA_DIR", aFile.toString()))) {
            Exit exit = run(env);
            assertEquals(2, exit.code(), env + " " + exit.stderr());
            assertEquals(1, exit.stderr().size(), "one line: " + exit.stderr());
            assertTrue(exit.stderr().get(0).startsWith("platform-local: PORT") || exit.stderr().get(0).startsWith("platform-local: PLATFORM_DATA_DIR"),
                    exit.stderr().get(0));
            assertFalse(exit.stderr().get(0).contains("Exception"), exit.stderr().get(0));
            assertFalse(Files.exists(dataDir), "a refused start creates nothing");
        }
    }

    @Test
    void aSecondStartWithTheSameDataDirSaysWhoHasItAndChangesNothing() throws Exception {
        Path dataDir = temp.resolve("data");
        int port = FreePort.find();
        try (RunningJar first = RunningJar.start(Map.of("PORT", Integer.toString(port), "PLATFORM_DATA_DIR", dataDir.toString()),
                temp.resolve("first.err"))) {
            Files.writeString(dataDir.resolve("events.jsonl"), "{\"kept\":true}\n", java.nio.file.StandardOpenOption.APPEND);
            byte[] events = Files.readAllBytes(dataDir.resolve("events.jsonl"));

            Exit samePort = run(Map.of("PORT", Integer.toString(port), "PLATFORM_DATA_DIR", temp.resolve("other").toString()));
            assertEquals(1, samePort.code(), samePort.stderr().toString());
            assertEquals(List.of("platform-local: port " + port + " is in use; set PORT"), samePort.stderr());
            assertFalse(Files.exists(temp.resolve("other")));

            Exit sameDir = run(Map.of("PORT", "0", "PLATFORM_DATA_DIR", dataDir.toString()));
            assertEquals(1, sameDir.code(), sameDir.stderr().toString());
            assertEquals(List.of("platform-local: data dir " + dataDir + " is used by pid " + first.process().pid()),
                    sameDir.stderr());
            assertEquals(new String(events, StandardCharsets.UTF_8), Files.readString(dataDir.resolve("events.jsonl")));
            assertTrue(first.process().isAlive());
        }
    }
}
