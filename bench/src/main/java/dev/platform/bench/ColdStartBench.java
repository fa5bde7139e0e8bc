package dev.platform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.QueueSpec;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start of every function of the topology: a fresh JVM per run, from the moment the harness
 * spawns it to the first successful response of the real handler on its {@code events/lambda}
 * sample, against DynamoDB Local / ElasticMQ / the EventBridge stub running in the harness. The same
 * rounds start a hello-world JVM (the floor); runs of all kinds are interleaved round by round so
 * that machine noise hits them alike. Then the same again with an AppCDS archive and (JDK 25+) an AOT
 * cache, each made by one training run of the same command.
 */
final class ColdStartBench {
    /** Lambda-like JVM: serial GC, C1 only (Lambda's Java runtimes default to tiered level 1). */
    private static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final int FLOOR_MEMORY_MB = 512;
    private static final long CHILD_TIMEOUT_SECONDS = 120;
    private static final Pattern TIMES = Pattern.compile("BENCH-T main=(-?\\d+) init=(-?\\d+) done=(-?\\d+)");
    private static final String RESPONSE_PREFIX = "BENCH-RESPONSE ";

    enum Mode {
        PLAIN("no archive (the JDK's default CDS only)"),
        APPCDS("AppCDS: -XX:SharedArchiveFile from a training run (-XX:ArchiveClassesAtExit)"),
        AOT("AOT cache: -XX:AOTCache from a training run (-XX:AOTCacheOutput, JDK 25+)");

        final String description;

        Mode(String description) {
            this.description = description;
        }
    }

    /** One child's times, in nanoseconds, all from the harness's spawn instant or the child's main. */
    record Times(long constructor, long invoke, long toInit, long total) {
    }

    /** What a run left behind beyond its response: messages queued and events put on the bus. */
    record SideEffects(long messagesQueued, long eventsPut) {
    }

    private record Target(FunctionSpec function, String classpath, Path sample) {
        String name() {
            return function.name();
        }
    }

    private record ClassCount(long total, long fromArchive) {
    }

    private final Repo repo;
    private final Services services;
    private final Report report;
    private final int runs;
    private final Path work;
    private final String java;
    private final List<Mode> modes;
    private int sequence;

    ColdStartBench(Repo repo, Services services, Report report, int runs, Path work) {
        this.repo = repo;
        this.services = services;
        this.report = report;
        this.runs = runs;
        this.work = work;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.modes = Runtime.version().feature() >= 25 ? List.of(Mode.PLAIN, Mode.APPCDS, Mode.AOT)
                : List.of(Mode.PLAIN, Mode.APPCDS);
    }

    void run() throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path launcher = Repo.require(repo.launcherJar(), "the bench launcher jar");
        List<Target> targets = new ArrayList<>();
        for (FunctionSpec function : Topology.functions()) {
            Path sample = repo.lambdaSample(function.name());
            if (!Files.isRegularFile(sample)) {
                report.add(new Report.Row("cold." + function.name(), function.name() + " cold start",
                        "no sample at " + repo.relative(sample), Report.NONE, Report.NONE, Report.NONE, Report.FAIL));
                report.fail("every topology function needs its Lambda input sample at events/lambda/<name>.json; "
                        + function.name() + " has none");
                continue;
            }
            targets.add(new Target(function, classpath(launcher, function), sample));
        }

        // Training runs: one per function and archive kind, the same command as the measured runs.
        Map<String, Map<Mode, Path>> archives = new LinkedHashMap<>();
        for (Target target : targets) {
            Map<Mode, Path> byMode = new EnumMap<>(Mode.class);
            for (Mode mode : modes) {
                if (mode == Mode.PLAIN) {
                    continue;
                }
                Path archive = work.resolve(target.name() + (mode == Mode.APPCDS ? ".jsa" : ".aot"));
                Files.deleteIfExists(archive);
                progress("training " + mode + " archive for " + target.name());
                launch(target, List.of(mode == Mode.APPCDS
                        ? "-XX:ArchiveClassesAtExit=" + archive
                        : "-XX:AOTCacheOutput=" + archive));
                if (!Files.isRegularFile(archive)) {
                    throw new IllegalStateException("the training run did not write " + archive);
                }
                byMode.put(mode, archive);
            }
            archives.put(target.name(), byMode);
        }

        // One discarded round warms the page cache and the embedded services, then the measured rounds.
        long[] floor = new long[runs];
        Map<String, Map<Mode, List<Times>>> measured = new LinkedHashMap<>();
        Map<String, SideEffects> effects = new LinkedHashMap<>();
        for (int round = 0; round <= runs; round++) {
            progress(round == 0 ? "cold start: warm-up round" : "cold start: round " + round + "/" + runs);
            Times hello = launchFloor(launcher, List.of());
            if (round > 0) {
                floor[round - 1] = hello.total();
            }
            for (Target target : targets) {
                for (Mode mode : modes) {
                    Run result = launch(target, modeFlags(mode, archives.get(target.name())));
                    if (round > 0) {
                        measured.computeIfAbsent(target.name(), n -> new EnumMap<>(Mode.class))
                                .computeIfAbsent(mode, m -> new ArrayList<>()).add(result.times());
                        effects.put(target.name(), result.effects());
                    }
                }
            }
        }

        // Loaded classes: one more run of each kind with class-load logging (not timed).
        progress("cold start: counting loaded classes");
        ClassCount floorClasses = countClasses(null, launcher, Mode.PLAIN, Map.of());
        Map<String, Map<Mode, ClassCount>> classes = new LinkedHashMap<>();
        for (Target target : targets) {
            for (Mode mode : modes) {
                classes.computeIfAbsent(target.name(), n -> new EnumMap<>(Mode.class))
                        .put(mode, countClasses(target, launcher, mode, archives.get(target.name())));
            }
        }

        addRows(targets, floor, floorClasses, measured, classes, effects);
    }

    private void addRows(List<Target> targets, long[] floor, ClassCount floorClasses,
                         Map<String, Map<Mode, List<Times>>> measured, Map<String, Map<Mode, ClassCount>> classes,
                         Map<String, SideEffects> effects) {
        Stats.Summary floorSummary = Stats.summarize(floor);
        String floorText = Fmt.time(floorSummary.median()) + " / " + Fmt.time(floorSummary.p90());
        report.add(new Report.Row("cold.floor", "the floor: hello-world JVM, same JDK and flags, spawn → main returns, median / p90 of " + runs,
                floorText + "; " + Fmt.count(floorClasses.total()) + " classes (" + Fmt.count(floorClasses.fromArchive()) + " from CDS)",
                Report.NONE, Report.NONE, Report.NONE, Report.NONE));

        for (Target target : targets) {
            String name = target.name();
            String success = target.function().trigger() instanceof Trigger.HttpRoute ? "first 2xx response"
                    : target.function().trigger() instanceof Trigger.QueueTrigger ? "first batch response with no failures"
                    : "first response";
            Map<Mode, List<Times>> byMode = measured.get(name);
            Stats.Summary plain = summary(byMode.get(Mode.PLAIN), Times::total);
            boolean webhook = name.equals(Topology.GITHUB_WEBHOOK.name());
            for (Mode mode : modes) {
                List<Times> times = byMode.get(mode);
                Stats.Summary total = summary(times, Times::total);
                String prefix = mode == Mode.PLAIN ? "cold." + name : "cold." + name + "." + mode.name().toLowerCase(Locale.ROOT);
                String how = mode == Mode.PLAIN ? "" : switch (mode) {
                    case APPCDS -> " with AppCDS archive";
                    case AOT -> " with AOT cache";
                    default -> "";
                };
                String value = Fmt.time(total.median()) + " / " + Fmt.time(total.p90());
                if (mode != Mode.PLAIN) {
                    value += " (" + Fmt.percent(total.median() / plain.median() - 1) + " vs no archive)";
                }
                report.add(new Report.Row(prefix + ".total",
                        name + " cold start" + how + ": spawn → " + success + ", median / p90 of " + runs,
                        value, floorText, ratios(total, floorSummary),
                        webhook ? "≤ 8× floor" : Report.NONE,
                        webhook ? Report.verdict(total.median() <= 8 * floorSummary.median()) : Report.NONE));
                if (mode == Mode.PLAIN) {
                    Stats.Summary toInit = summary(times, Times::toInit);
                    report.add(new Report.Row(prefix + ".init", name + ": spawn → handler constructed (JVM boot + init), median / p90",
                            Fmt.time(toInit.median()) + " / " + Fmt.time(toInit.p90()), floorText, ratios(toInit, floorSummary),
                            Report.NONE, Report.NONE));
                    Stats.Summary constructor = summary(times, Times::constructor);
                    report.add(new Report.Row(prefix + ".constructor", name + ": handler construction alone (Lambda's init phase), median / p90",
                            Fmt.time(constructor.median()) + " / " + Fmt.time(constructor.p90()), floorText,
                            ratios(constructor, floorSummary), Report.NONE, Report.NONE));
                    Stats.Summary invoke = summary(times, Times::invoke);
                    report.add(new Report.Row(prefix + ".first-invoke", name + ": first invocation alone (deserialize, handle, serialize), median / p90",
                            Fmt.time(invoke.median()) + " / " + Fmt.time(invoke.p90()), floorText,
                            ratios(invoke, floorSummary), Report.NONE, Report.NONE));
                } else {
                    Stats.Summary constructor = summary(times, Times::constructor);
                    report.add(new Report.Row(prefix + ".constructor", name + how + ": handler construction alone, median / p90",
                            Fmt.time(constructor.median()) + " / " + Fmt.time(constructor.p90()), floorText,
                            ratios(constructor, floorSummary), Report.NONE, Report.NONE));
                }
                ClassCount count = classes.get(name).get(mode);
                report.add(new Report.Row(prefix + ".classes", name + how + ": classes loaded up to the first response",
                        Fmt.count(count.total()) + " (" + Fmt.count(count.fromArchive()) + " from the "
                                + (mode == Mode.PLAIN ? "JDK's CDS archive" : "archive") + ")",
                        Fmt.count(floorClasses.total()), Fmt.ratio(count.total(), floorClasses.total()),
                        Report.NONE, Report.NONE));
            }
            SideEffects effect = effects.get(name);
            report.note("Cold start `" + name + "`: sample `events/lambda/" + name + ".json`; handler `" + target.function().handlerClass() + "` built by its no-arg "
                    + "constructor (settings from the environment, as on Lambda); each run gets a fresh seeded table and "
                    + "fresh queues, so every run does identical work; the last run queued " + effect.messagesQueued()
                    + " message(s) and put " + effect.eventsPut() + " event(s) on the (stub) bus.");
        }
        report.note("Cold-start JVMs: `" + String.join(" ", JVM_FLAGS) + " -XX:MaxHeapSize=<85% of the function's memory>`, "
                + "classpath = bench launcher jar + aws-lambda-java-serialization + the function's jar + its runtime dependencies. "
                + "Times come from `System.nanoTime()` (one monotonic clock for harness and child): spawn is taken just "
                + "before `ProcessBuilder.start()`. Ratios are median ÷ median and p90 ÷ p90 against the floor of the same rounds.");
        if (!modes.contains(Mode.AOT)) {
            report.note("AOT cache rows skipped: the JDK is older than 25.");
        }
    }

    private static Stats.Summary summary(List<Times> times, java.util.function.ToLongFunction<Times> field) {
        return Stats.summarize(times.stream().mapToLong(field).toArray());
    }

    private static String ratios(Stats.Summary value, Stats.Summary floor) {
        return Fmt.ratio(value.median(), floor.median()) + " / " + Fmt.ratio(value.p90(), floor.p90());
    }

    private List<String> modeFlags(Mode mode, Map<Mode, Path> archives) {
        return switch (mode) {
            case PLAIN -> List.of();
            case APPCDS -> List.of("-XX:SharedArchiveFile=" + archives.get(Mode.APPCDS));
            case AOT -> List.of("-XX:AOTCache=" + archives.get(Mode.AOT));
        };
    }

    private String classpath(Path launcher, FunctionSpec function) {
        Path module = repo.functionModule(function.name());
        List<String> entries = new ArrayList<>();
        entries.add(launcher.toString());
        entries.add(serializationJar().toString());
        entries.add(Repo.require(repo.functionDeployable(function.name()), "the jar of function " + function.name()).toString());
        for (Path entry : repo.runtimeClasspath(module)) {
            entries.add(entry.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private Path serializationJar() {
        return repo.runtimeClasspath(repo.path("bench")).stream()
                .filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-serialization-"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("aws-lambda-java-serialization is not on bench's runtime classpath"));
    }

    private record Run(Times times, SideEffects effects) {
    }

    /** One cold start of {@code target}; throws with the child's output when it does not succeed. */
    private Run launch(Target target, List<String> extraFlags) throws IOException, InterruptedException {
        String suffix = "c" + (++sequence);
        String table = "cold-" + suffix;
        services.createSeededTable(table);
        Map<String, String> queueUrls = new LinkedHashMap<>();
        for (QueueSpec queue : Topology.queues()) {
            queueUrls.put(queue.name(), services.createQueue(queue, suffix));
        }
        try {
            Map<String, String> env = new LinkedHashMap<>(services.functionSettings(table, queueUrls));
            env.put("AWS_LAMBDA_FUNCTION_NAME", target.name());
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(target.function().memoryMb()));
            // No profile files: on Lambda there are none, and a developer's ~/.aws must not change the result.
            env.put("AWS_CONFIG_FILE", work.resolve("no-aws-config").toString());
            env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-aws-credentials").toString());
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(JVM_FLAGS);
            command.add("-XX:MaxHeapSize=" + target.function().memoryMb() * 85 / 100 + "m");
            command.addAll(extraFlags);
            command.addAll(List.of("-cp", target.classpath(), "dev.platform.bench.launch.ColdStart",
                    target.function().handlerClass(), target.sample().toString(), target.name()));
            long eventsBefore = services.publishedEvents();
            Child child = spawn(command, env, target.name() + "-" + suffix);
            Times times = child.times();
            checkResponse(target, child);
            long queued = 0;
            for (String url : queueUrls.values()) {
                queued += services.messagesIn(url);
            }
            return new Run(times, new SideEffects(queued, services.publishedEvents() - eventsBefore));
        } finally {
            for (String url : queueUrls.values()) {
                services.deleteQueue(url);
            }
            services.deleteTable(table);
        }
    }

    private Times launchFloor(Path launcher, List<String> extraFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(JVM_FLAGS);
        command.add("-XX:MaxHeapSize=" + FLOOR_MEMORY_MB * 85 / 100 + "m");
        command.addAll(extraFlags);
        command.addAll(List.of("-cp", launcher.toString(), "dev.platform.bench.launch.HelloWorld"));
        return spawn(command, Map.of(), "hello-" + (++sequence)).times();
    }

    private ClassCount countClasses(Target target, Path launcher, Mode mode, Map<Mode, Path> archives)
            throws IOException, InterruptedException {
        Path log = work.resolve("classes-" + (target == null ? "hello" : target.name()) + "-" + mode + ".log");
        Files.deleteIfExists(log);
        List<String> flags = new ArrayList<>(modeFlags(mode, archives));
        flags.add("-Xlog:class+load=info:file=" + log);
        if (target == null) {
            launchFloor(launcher, flags);
        } else {
            launch(target, flags);
        }
        long total = 0;
        long shared = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.contains("[class,load]") && line.contains(" source: ")) {
                total++;
                if (line.contains("source: shared objects file")) {
                    shared++;
                }
            }
        }
        if (total == 0) {
            throw new IllegalStateException("no class-load lines in " + log);
        }
        return new ClassCount(total, shared);
    }

    private record Child(Times times, String stdout, Path stderr) {
    }

    private Child spawn(List<String> command, Map<String, String> env, String label) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        Path stderr = work.resolve(label + ".err");
        builder.redirectError(stderr.toFile());
        builder.directory(work.toFile());
        long spawn = System.nanoTime();
        Process process = builder.start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(label + " did not finish within " + CHILD_TIMEOUT_SECONDS + " s; see " + stderr);
        }
        String out;
        try {
            out = stdout.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the output of " + label, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(label + " exited with " + process.exitValue() + "\n--- stdout\n" + tail(out)
                    + "\n--- stderr (" + stderr + ")\n" + tail(Files.readString(stderr)));
        }
        Matcher matcher = TIMES.matcher(out);
        if (!matcher.find()) {
            throw new IllegalStateException(label + " printed no BENCH-T line\n" + tail(out));
        }
        long main = Long.parseLong(matcher.group(1));
        long init = Long.parseLong(matcher.group(2));
        long done = Long.parseLong(matcher.group(3));
        if (main < spawn || init < main || done < init) {
            throw new IllegalStateException(label + ": child clock readings out of order (spawn " + spawn + ", main " + main
                    + ", init " + init + ", done " + done + "): the monotonic clock is not shared");
        }
        return new Child(new Times(init - main, done - init, init - spawn, done - spawn), out, stderr);
    }

    /** Success as the trigger defines it: a 2xx for HTTP routes, no failed item for queue batches. */
    private static void checkResponse(Target target, Child child) throws IOException {
        String json = child.stdout().lines().filter(l -> l.startsWith(RESPONSE_PREFIX))
                .map(l -> l.substring(RESPONSE_PREFIX.length())).findFirst()
                .orElseThrow(() -> new IllegalStateException(target.name() + " printed no response\n" + tail(child.stdout())));
        JsonNode response = Json.MAPPER.readTree(json);
        boolean ok;
        Trigger trigger = target.function().trigger();
        if (trigger instanceof Trigger.HttpRoute) {
            int status = response.path("statusCode").asInt(-1);
            ok = status >= 200 && status < 300;
        } else if (trigger instanceof Trigger.QueueTrigger) {
            ok = response.has("batchItemFailures") && response.path("batchItemFailures").isEmpty();
        } else {
            ok = true;
        }
        if (!ok) {
            throw new IllegalStateException(target.name() + " answered without success: " + json
                    + "\n--- stdout\n" + tail(child.stdout()) + "\n--- stderr\n" + tail(Files.readString(child.stderr())));
        }
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
    }

    private static void progress(String message) {
        System.err.println("[bench] " + message);
    }
}
