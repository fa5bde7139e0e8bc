package dev.platform.bench;

import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Sizes in bytes of what gets deployed: each function's own artifact and the shared layer, at the
 * paths the packaging build writes them to. A missing artifact is reported as "not built", never
 * guessed; the module's plain jar and its runtime classpath are shown next to it.
 */
final class ArtifactSizes {
    static final long FUNCTION_LIMIT = 1024L * 1024;
    static final long LAYER_LIMIT = 30L * 1024 * 1024;

    private final Repo repo;
    private final Report report;

    ArtifactSizes(Repo repo, Report report) {
        this.repo = repo;
        this.report = report;
    }

    void run() {
        for (FunctionSpec function : Topology.functions()) {
            String name = function.name();
            Path deployable = repo.functionDeployable(name);
            report.add(new Report.Row("size." + name, name + ": deployable `" + repo.relative(deployable) + "`",
                    size(deployable), Report.NONE, Report.NONE, "≤ " + Fmt.count(FUNCTION_LIMIT) + " B (1 MiB)",
                    Files.isRegularFile(deployable) ? Report.verdict(bytes(deployable) <= FUNCTION_LIMIT) : "not built"));
            Path module = repo.functionModule(name);
            if (Files.isRegularFile(module.resolve("target/runtime-classpath.txt"))) {
                List<Path> classpath = repo.runtimeClasspath(module);
                long total = classpath.stream().filter(Files::isRegularFile).mapToLong(ArtifactSizes::bytes).sum();
                report.add(new Report.Row("size." + name + ".runtime-classpath",
                        name + ": its runtime dependencies, all jars (what module jar + layer must cover)",
                        Fmt.count(total) + " B in " + classpath.size() + " jars", Report.NONE, Report.NONE, Report.NONE, Report.NONE));
            }
        }
        Path layer = repo.layerZip();
        report.add(new Report.Row("size.layer", "shared layer `" + repo.relative(layer) + "`", size(layer),
                Report.NONE, Report.NONE, "≤ " + Fmt.count(LAYER_LIMIT) + " B (30 MiB)",
                Files.isRegularFile(layer) ? Report.verdict(bytes(layer) <= LAYER_LIMIT) : "not built"));
        Path local = repo.localJar();
        report.add(new Report.Row("size.local", "local runtime `" + repo.relative(local) + "` (not deployed)", size(local),
                Report.NONE, Report.NONE, Report.NONE, Report.NONE));
    }

    private static String size(Path file) {
        return Files.isRegularFile(file) ? Fmt.count(bytes(file)) + " B" : "not built";
    }

    private static long bytes(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
