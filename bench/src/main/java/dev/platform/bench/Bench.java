package dev.platform.bench;

import dev.platform.core.json.JsonLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the benchmarks and prints one markdown table (also written to bench/results/latest.md).
 * Started by {@code bench/run}, which builds everything first; see bench/README.md.
 */
public final class Bench {
    static final List<String> SECTIONS = List.of("sizes", "cold", "warm", "e2e");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = null;
        int runs = 10;
        Set<String> only = new LinkedHashSet<>();
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(value(args, ++i, "--root"));
                case "--runs" -> runs = Integer.parseInt(value(args, ++i, "--runs"));
                case "--only" -> {
                    for (String section : value(args, ++i, "--only").split(",")) {
                        if (!SECTIONS.contains(section)) {
                            usage("unknown section " + section);
                        }
                        only.add(section);
                    }
                }
                case "--output" -> output = Path.of(value(args, ++i, "--output"));
                case "compare" -> {
                    List<String> files = List.of(args).subList(i + 1, args.length);
                    if (files.isEmpty() || files.size() > 2) {
                        usage("compare needs one or two result files");
                    }
                    Path newer = files.size() == 2 ? Path.of(files.get(1)) : null;
                    System.exit(Compare.run(Path.of(files.get(0)), newer, root, System.out));
                    return;
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (root == null) {
            usage("--root is required");
        }
        if (runs < 10) {
            System.err.println("[bench] note: --runs " + runs + " is below the 10 cold-start runs the issue asks for");
        }
        Set<String> sections = only.isEmpty() ? new LinkedHashSet<>(SECTIONS) : only;
        Repo repo = new Repo(root);
        Machine machine = Machine.describe(repo);
        Report report = new Report();
        Path work = Files.createTempDirectory("platform-bench-");
        long started = System.nanoTime();

        // Handlers measured in process log one JSON line per request; keep the cost, drop the text.
        PrintStream logs = new PrintStream(java.io.OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        JsonLog.redirect(logs);
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");

        if (sections.contains("sizes")) {
            new ArtifactSizes(repo, report).run();
        }
        if (sections.contains("cold") || sections.contains("warm")) {
            try (Services services = Services.start()) {
                if (sections.contains("cold")) {
                    new ColdStartBench(repo, services, report, runs, work.resolve("cold")).run();
                }
                if (sections.contains("warm")) {
                    new WarmPathBench(repo, services, report).run();
                }
            }
        }
        if (sections.contains("e2e")) {
            new EndToEndBench(repo, report, work.resolve("e2e")).run();
        }

        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        String document = document(machine, report, sections, seconds);
        System.out.println();
        System.out.print(document);
        Path target = output != null ? output
                : sections.size() == SECTIONS.size() ? repo.results().resolve("latest.md")
                : repo.results().resolve("partial.md");
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, document, StandardCharsets.UTF_8);
        if (report.failures().isEmpty()) {
            deleteTree(work);
            System.err.println("[bench] written to " + target);
            System.exit(0);
        }
        System.err.println("[bench] written to " + target + "; a check FAILED, work files kept in " + work);
        System.exit(1);
    }

    static String document(Machine machine, Report report, Set<String> sections, long seconds) {
        StringBuilder out = new StringBuilder();
        out.append("# Benchmark results\n\n");
        out.append(machine.markdown()).append('\n');
        out.append("Sections: ").append(String.join(", ", sections)).append(String.format(Locale.ROOT,
                "; whole run %d s. How to read this table: [bench/README.md](../README.md).%n%n", seconds));
        out.append(report.table()).append('\n');
        String notes = report.notes();
        if (!notes.isEmpty()) {
            out.append("Notes:\n\n").append(notes);
        }
        return out.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("bench: " + problem);
        System.err.println("usage: Bench --root <repo> [--runs N] [--only sizes,cold,warm,e2e] [--output file.md]");
        System.err.println("       Bench [--root <repo>] compare <older.md> [<newer.md>]");
        System.exit(2);
    }
}
