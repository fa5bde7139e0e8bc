package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The shipped local runtime jar, started as a user starts it, with its stdout collected. */
final class RunningJar implements AutoCloseable {
    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private RunningJar(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (stdout) {
                        stdout.add(line);
                    }
                    if (line.contains("Send a signed example delivery")) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("the runtime exited before it was ready"));
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
        });
    }

    static ProcessBuilder command(Map<String, String> env, Path stderr) {
        Path jar = Path.of(System.getProperty("platform.local.jar", "target/platform-local.jar"));
        assertTrue(Files.exists(jar), "build the jar first: " + jar);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        builder.environment().putAll(env);
        return builder;
    }

    /** Starts the jar and waits for its banner. */
    static RunningJar start(Map<String, String> env, Path stderr) throws Exception {
        RunningJar jar = new RunningJar(command(env, stderr).start());
        jar.ready.get(120, TimeUnit.SECONDS);
        return jar;
    }

    Process process() {
        return process;
    }

    List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
