package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.embedded.FreePort;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped jar refuses bad settings and a second start with one line, an exit code, and no change. */
class StartupIT {
    @TempDir
    Path temp;

    private record Exit(int code, List<String> stderr) {
    }

    private ProcessBuilder jar(Map<String, String> env, Path stderr) {
        Path jar = Path.of(System.getProperty("platform.local.jar", "target/platform-local.jar"));
        assertTrue(Files.exists(jar), "build the jar first: " + jar);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        builder.environment().putAll(env);
        return builder;
    }

    private Exit run(Map<String, String> env) throws Exception {
        Path stderr = Files.createTempFile(temp, "stderr", ".log");
        Process process = jar(env, stderr).start();
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
        Process first = jar(Map.of("PORT", Integer.toString(port), "PLATFORM_DATA_DIR", dataDir.toString()),
                temp.resolve("first.err")).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        try {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.contains("Send a signed example delivery")) {
                            ready.complete(null);
                        }
                    }
                    ready.completeExceptionally(new IllegalStateException("the first runtime exited"));
                } catch (Exception e) {
                    ready.completeExceptionally(e);
                }
            });
            ready.get(120, TimeUnit.SECONDS);
            Files.writeString(dataDir.resolve("events.jsonl"), "{\"kept\":true}\n", java.nio.file.StandardOpenOption.APPEND);
            byte[] events = Files.readAllBytes(dataDir.resolve("events.jsonl"));

            Exit samePort = run(Map.of("PORT", Integer.toString(port), "PLATFORM_DATA_DIR", temp.resolve("other").toString()));
            assertEquals(1, samePort.code(), samePort.stderr().toString());
            assertEquals(List.of("platform-local: port " + port + " is in use; set PORT"), samePort.stderr());
            assertFalse(Files.exists(temp.resolve("other")));

            Exit sameDir = run(Map.of("PORT", "0", "PLATFORM_DATA_DIR", dataDir.toString()));
            assertEquals(1, sameDir.code(), sameDir.stderr().toString());
            assertEquals(List.of("platform-local: data dir " + dataDir + " is used by pid " + first.pid()), sameDir.stderr());
            assertEquals(new String(events, StandardCharsets.UTF_8), Files.readString(dataDir.resolve("events.jsonl")));
            assertTrue(first.isAlive());
        } finally {
            first.destroy();
            if (!first.waitFor(30, TimeUnit.SECONDS)) {
                first.destroyForcibly();
            }
        }
    }
}
