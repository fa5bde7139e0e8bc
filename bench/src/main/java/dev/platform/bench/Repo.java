package dev.platform.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Where things are in the checkout, and what the build left in the targets. */
final class Repo {
    private final Path root;
    private final String version;

    Repo(Path root) {
        this.root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(this.root.resolve("pom.xml")) || !Files.isDirectory(this.root.resolve("events"))) {
            throw new IllegalArgumentException(this.root + " is not the repository root (no pom.xml or events/)");
        }
        Properties build = new Properties();
        try (InputStream in = Repo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties missing: build the bench module first (bench/run does)");
            }
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.version = build.getProperty("project.version");
    }

    Path root() {
        return root;
    }

    String version() {
        return version;
    }

    Path path(String relative) {
        return root.resolve(relative);
    }

    String relative(Path path) {
        return root.relativize(path.toAbsolutePath().normalize()).toString();
    }

    Path functionModule(String function) {
        return root.resolve("functions").resolve(function);
    }

    /**
     * The deployable Lambda artifact: the module's own jar (its {@code finalName}), the function's
     * classes only; everything else is in the shared layer.
     */
    Path functionDeployable(String function) {
        return functionModule(function).resolve("target").resolve(function + ".jar");
    }

    Path layerZip() {
        return root.resolve("layers/lambda-layer/target/platform-layer.zip");
    }

    Path localJar() {
        return root.resolve("local/target/platform-local.jar");
    }

    Path launcherJar() {
        return root.resolve("bench/target/bench-" + version + "-launcher.jar");
    }

    Path lambdaSample(String function) {
        return root.resolve("events/lambda").resolve(function + ".json");
    }

    Path githubPayload(String name) {
        return root.resolve("events/github").resolve(name);
    }

    Path results() {
        return root.resolve("bench/results");
    }

    /** A module's runtime classpath as bench/run wrote it ({@code dependency:build-classpath}). */
    List<Path> runtimeClasspath(Path module) {
        Path file = module.resolve("target/runtime-classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(relative(file) + " is missing: bench/run writes it with "
                    + "'./dev mvn -DskipTests install dependency:build-classpath -DincludeScope=runtime "
                    + "-Dmdep.outputFile=target/runtime-classpath.txt'");
        }
        try {
            String text = Files.readString(file).trim();
            List<Path> entries = new ArrayList<>();
            if (!text.isEmpty()) {
                for (String entry : text.split(java.io.File.pathSeparator)) {
                    entries.add(Path.of(entry));
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path require(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(what + " not found at " + file + " (bench/run builds it)");
        }
        return file;
    }
}
