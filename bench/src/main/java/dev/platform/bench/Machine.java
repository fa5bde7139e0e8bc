package dev.platform.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The header of a result: on what, with what and when it was measured. */
record Machine(int cores, String memory, String cpu, String os, String jdk, String date, String commit) {

    static Machine describe(Repo repo) {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                readMemory(),
                readCpu(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.home") + ")",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                commit(repo));
    }

    String markdown() {
        return """
                | | |
                |---|---|
                | date | %s |
                | commit | %s |
                | machine | %d cores (as the JVM sees them), %s memory, %s |
                | OS | %s |
                | JDK | %s |
                """.formatted(date, commit, cores, memory, cpu, os, jdk);
    }

    private static String readMemory() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
            }
        }
        return "unknown";
    }

    private static String readCpu() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** HEAD, plus "+ local changes" when tracked files outside bench/results differ from it. */
    private static String commit(Repo repo) {
        String head = git(repo, "rev-parse", "HEAD");
        if (head.isEmpty()) {
            return "unknown (not a git checkout)";
        }
        String subject = git(repo, "log", "-1", "--format=%s");
        String dirty = git(repo, "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench/results");
        return head.substring(0, Math.min(12, head.length())) + " " + subject.replace("|", "/")
                + (dirty.isBlank() ? "" : " (+ uncommitted changes)");
    }

    private static String git(Repo repo, String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.root().toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "";
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
