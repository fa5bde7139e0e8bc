package dev.platform.bench;

import dev.platform.topology.*;
import java.io.File;
import java.nio.file.*;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.*;
import java.util.stream.Stream;

/** Runs the benchmarks and prints one markdown table (also written to bench/results/latest.md); see bench/README.md. */
public final class Bench {
    static final List<String> SECTIONS = List.of("sizes", "cold", "warm", "e2e");
    static final String USAGE = "usage: bench/run [--runs N] [--only sizes,cold,warm,e2e] | bench/run compare OLD.md [NEW.md]";

    public static void main(String[] args) throws Exception {
        int runs = 10;
        Set<String> sections = new LinkedHashSet<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--root" -> System.setProperty("bench.root", Path.of(args[i + 1]).toAbsolutePath().normalize().toString());
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--only" -> sections.addAll(List.of(args[i + 1].split(",")));
                default -> throw new IllegalArgumentException(USAGE);
            }
        }
        if (!SECTIONS.containsAll(sections) || args.length % 2 != 0) {
            throw new IllegalArgumentException(USAGE);
        }
        boolean all = sections.isEmpty() || sections.containsAll(SECTIONS);
        sections = all ? new LinkedHashSet<>(SECTIONS) : sections;
        Report report = new Report();
        Path work = Files.createTempDirectory("platform-bench-");
        long started = System.nanoTime();
        String header = header();
        if (sections.contains("sizes")) {
            sizes(report);
        }
        if (sections.contains("cold") || sections.contains("warm")) {
            try (Services services = new Services()) {
                if (sections.contains("cold")) {
                    new ColdStartBench(services, report, runs, work.resolve("cold")).run();
                }
                if (sections.contains("warm")) {
                    WarmPathBench.run(services, report, work);
                }
            }
        }
        if (sections.contains("e2e")) {
            EndToEndBench.run(report, work.resolve("e2e"));
        }
        String document = "# Benchmark results\n\n" + header + "\nSections: " + String.join(", ", sections) + "; whole run "
                + (System.nanoTime() - started) / 1_000_000_000L + " s. How to read this table: [bench/README.md](../README.md).\n\n"
                + report.markdown();
        Path target = path("bench/results/" + (all ? "latest.md" : "partial.md"));
        Files.writeString(target, document);
        System.out.print("\n" + document);
        if (report.failures.isEmpty()) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        progress("written to " + target + (report.failures.isEmpty() ? "" : "; a check FAILED, work files kept in " + work));
        System.exit(report.failures.isEmpty() ? 0 : 1);
    }

    /** Bytes of what gets deployed, at the paths the packaging build writes; a missing artifact says "not built". */
    static void sizes(Report report) throws Exception {
        for (FunctionSpec function : Topology.functions()) {
            String name = function.name();
            size(report, "size." + name, name + ": deployable", "functions/" + name + "/target/" + name + ".jar", 1);
            List<Path> classpath = runtimeClasspath("functions/" + name);
            long total = classpath.stream().mapToLong(jar -> jar.toFile().length()).sum();
            report.add("size." + name + ".runtime-classpath", name + ": its runtime dependencies, all jars (what module jar + layer must cover)",
                    Report.count(total) + " B in " + classpath.size() + " jars");
        }
        size(report, "size.layer", "shared layer", "layers/lambda-layer/target/platform-layer.zip", 30);
        size(report, "size.local", "local runtime", "local/target/platform-local.jar", 0);
    }

    /** One artifact against its limit in MiB (0: none). */
    private static void size(Report report, String id, String what, String file, long mebibytes) throws Exception {
        boolean built = Files.isRegularFile(path(file));
        long bytes = built ? Files.size(path(file)) : 0;
        String limit = mebibytes == 0 ? null : "≤ " + Report.count(mebibytes << 20) + " B (" + mebibytes + " MiB)";
        report.add(id, what + " `" + file + "`" + (limit == null ? " (not deployed)" : ""), built ? Report.count(bytes) + " B" : "not built",
                null, null, limit, limit == null ? null : built ? Report.verdict(bytes <= mebibytes << 20) : "not built");
    }

    /** On what, with what and when it was measured. */
    private static String header() throws Exception {
        String memory = grep("/proc/meminfo", "MemTotal:").replaceAll("[^0-9]", "");
        String dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench/results");
        return "| | |\n|---|---|\n| date | " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " |\n| commit | " + git("log", "-1", "--format=%h %s")
                + (dirty.isBlank() ? "" : " (+ uncommitted changes)") + " |\n| machine | " + Runtime.getRuntime().availableProcessors()
                + " cores (as the JVM sees them), " + Report.format("%.1f GiB", Long.parseLong(memory) / 1024.0 / 1024.0) + " memory, "
                + grep("/proc/cpuinfo", "model name").replaceFirst("^[^:]*:\\s*", "") + " |\n| OS | " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch") + " |\n| JDK | " + System.getProperty("java.vm.vendor") + " "
                + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.home") + ") |\n";
    }

    private static String grep(String file, String prefix) throws Exception {
        return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
    }

    private static String git(String... args) throws Exception {
        List<String> command = Stream.concat(Stream.of("git", "-C", root().toString(), "-c", "core.abbrev=12"), Stream.of(args)).toList();
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new String(git.getInputStream().readAllBytes()).trim().replace("|", "/");
    }

    /** The repository root: --root here, -Dbench.root in JMH's forks. */
    static Path root() {
        return Path.of(Objects.requireNonNull(System.getProperty("bench.root"), "--root is required"));
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static Path require(String relative) {
        if (!Files.isRegularFile(path(relative))) {
            throw new IllegalStateException(relative + " not found (bench/run builds it)");
        }
        return path(relative);
    }

    /** A module's runtime classpath, as bench/run writes it with dependency:build-classpath. */
    static List<Path> runtimeClasspath(String module) throws Exception {
        String classpath = Files.readString(require(module + "/target/runtime-classpath.txt")).trim();
        return Stream.of(classpath.split(File.pathSeparator)).map(Path::of).toList();
    }

    static void progress(String message) {
        System.err.println("[bench] " + message);
    }
}
