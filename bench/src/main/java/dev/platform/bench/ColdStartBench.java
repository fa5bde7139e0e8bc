package dev.platform.bench;

import dev.platform.core.json.Json;
import dev.platform.topology.*;
import java.io.File;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.*;

/** Cold start of every function of the topology, a fresh Lambda-like JVM per run, against the services in this JVM (bench/README.md §1). */
record ColdStartBench(Services services, Report report, int rounds, Path work) {
    /** Those whose first invocation these services can answer; the build launcher and the redeliverer call GitHub and ECS first. */
    private static final List<FunctionSpec> COLD_STARTED = List.of(Topology.GITHUB_WEBHOOK, Topology.PREVIEW_ORCHESTRATOR, Topology.BUILD_WATCHER,
            Topology.WAKER);
    /** Lambda-like JVM: serial GC, C1 only (Lambda's Java runtimes stop at tiered level 1). */
    private static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Pattern TIMES = Pattern.compile("BENCH-T main=(-?\\d+) init=(-?\\d+) done=(-?\\d+)");

    /** How a child starts: row-id suffix, figure wording, the flag of its training run, the flag that uses the archive. */
    record Mode(String suffix, String how, String train, String use) {
    }

    static final Mode PLAIN = new Mode("", "", "", "");
    static final Mode APPCDS = new Mode(".appcds", " with AppCDS archive", "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=");
    /** An AOT cache (JDK 25+) also keeps classes linked, and profiles. */
    static final Mode AOT = new Mode(".aot", " with AOT cache", "-XX:AOTCacheOutput=", "-XX:AOTCache=");

    /** One child's times in nanoseconds; spawn is the harness's reading just before ProcessBuilder.start(). */
    record Times(long constructor, long invoke, long init, long total) {
    }

    /** A function (null: the floor) in one mode; it collects the measured runs and, from round 0, the classes loaded (all, from an archive). */
    record Kind(FunctionSpec function, String classpath, Mode mode, Path archive, List<Times> runs, long[] classes) {
        Report.Summary summary(ToLongFunction<Times> field) {
            return Report.Summary.of(runs.stream().mapToLong(field).toArray());
        }
    }

    private static int sequence;

    void run() throws Exception {
        Files.createDirectories(work);
        String launcher = Bench.require("bench/target/bench-launcher.jar").toString();
        String lambdaSerialization = Bench.runtimeClasspath("bench").stream().map(Path::toString)
                .filter(p -> p.contains("aws-lambda-java-serialization-")).findFirst().orElseThrow();
        List<Kind> kinds = new ArrayList<>(List.of(new Kind(null, launcher, PLAIN, null, new ArrayList<>(), new long[2])));
        for (FunctionSpec function : COLD_STARTED) {
            // The child sees the launcher, Lambda's serialization, the function's jar and its runtime dependencies: nothing of the harness.
            String module = "functions/" + function.name();
            List<String> classpath = new ArrayList<>(List.of(launcher, lambdaSerialization, Bench.require(module + "/target/" + function.name()
                    + ".jar").toString()));
            Bench.runtimeClasspath(module).forEach(p -> classpath.add(p.toString()));
            for (Mode mode : Runtime.version().feature() >= 25 ? List.of(PLAIN, APPCDS, AOT) : List.of(PLAIN, APPCDS)) {
                Path archive = work.resolve(function.name() + mode.suffix() + ".archive");
                kinds.add(new Kind(function, String.join(File.pathSeparator, classpath), mode, archive, new ArrayList<>(), new long[2]));
            }
        }
        // Round -1 trains each archive by one run of the same command; round 0 warms the page cache and the services, untimed,
        // and counts the classes each kind loads; then the measured rounds.
        for (int round = -1; round <= rounds; round++) {
            String what = round < 0 ? " (training)" : round == 0 ? " (warm-up, counting classes)" : "";
            Bench.progress("cold start: round " + round + "/" + rounds + what);
            for (Kind kind : round < 0 ? kinds.stream().filter(k -> k.mode() != PLAIN).toList() : kinds) {
                Path log = work.resolve("classes-" + (++sequence) + ".log");
                String archive = round < 0 ? kind.mode().train() : kind.mode().use();
                List<String> flags = new ArrayList<>(archive.isEmpty() ? List.of() : List.of(archive + kind.archive()));
                flags.addAll(round == 0 ? List.of("-Xlog:class+load=info:file=" + log) : List.of());
                Times times = launch(kind, flags);
                if (round < 0 && !Files.isRegularFile(kind.archive())) {
                    throw new IllegalStateException("the training run did not write " + kind.archive());
                } else if (round == 0) {
                    List<String> loaded = Files.readAllLines(log).stream().filter(l -> l.contains("[class,load]") && l.contains(" source: "))
                            .toList();
                    kind.classes()[0] = loaded.size();
                    kind.classes()[1] = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
                } else if (round > 0) {
                    kind.runs().add(times);
                }
            }
        }
        Kind hello = kinds.getFirst();
        Report.Summary floor = hello.summary(Times::total);
        report.add("cold.floor", "the floor: hello-world JVM, same JDK and flags, spawn → main returns, median / p90 of " + rounds,
                floor.medianP90() + "; " + Report.count(hello.classes()[0]) + " classes (" + Report.count(hello.classes()[1]) + " from CDS)");
        double plain = 0;
        for (Kind kind : kinds.subList(1, kinds.size())) {
            Mode mode = kind.mode();
            String id = "cold." + kind.function().name() + mode.suffix();
            String who = kind.function().name() + mode.how();
            boolean webhook = kind.function() == Topology.GITHUB_WEBHOOK;
            Report.Summary total = kind.summary(Times::total);
            plain = mode == PLAIN ? total.median() : plain;
            String success = switch (kind.function().trigger()) {
                case Trigger.HttpRoute route -> "first 2xx response";
                case Trigger.ApiRoutes routes -> "first 2xx response";
                case Trigger.ApiAuthorizer authorizer -> "first answer naming a principal";
                case Trigger.QueueTrigger queue -> "first batch response with no failures";
                case Trigger.LoadBalancerTarget target -> "first 404 response (a host no preview has)";
                default -> "first answer";
            };
            report.add(id + ".total", kind.function().name() + " cold start" + mode.how() + ": spawn → " + success + ", median / p90 of " + rounds,
                    total.medianP90() + (mode == PLAIN ? "" : Report.format(" (%+.0f%% vs no archive)", (total.median() / plain - 1) * 100)),
                    floor.medianP90(), ratios(total, floor), webhook ? "≤ 8× floor" : null,
                    webhook ? Report.verdict(total.median() <= 8 * floor.median()) : null);
            if (mode == PLAIN) {
                row(id + ".init", who + ": spawn → handler constructed (JVM boot + init)", kind.summary(Times::init), floor);
                row(id + ".constructor", who + ": handler construction alone (Lambda's init phase)", kind.summary(Times::constructor), floor);
                row(id + ".first-invoke", who + ": first invocation alone (deserialize, handle, serialize)", kind.summary(Times::invoke), floor);
            } else {
                row(id + ".constructor", who + ": handler construction alone", kind.summary(Times::constructor), floor);
            }
            report.add(id + ".classes", who + ": classes loaded up to the first response", Report.count(kind.classes()[0]) + " ("
                    + Report.count(kind.classes()[1]) + " from the " + (mode == PLAIN ? "JDK's CDS archive" : "archive") + ")",
                    Report.count(hello.classes()[0]), Report.ratio(kind.classes()[0], hello.classes()[0]));
        }
    }

    private void row(String id, String figure, Report.Summary summary, Report.Summary floor) {
        report.add(id, figure + ", median / p90", summary.medianP90(), floor.medianP90(), ratios(summary, floor));
    }

    private static String ratios(Report.Summary value, Report.Summary floor) {
        return Report.ratio(value.median(), floor.median()) + " / " + Report.ratio(value.p90(), floor.p90());
    }

    /** One cold start: a function on a fresh seeded table and fresh queues, so every run does the same work; it must answer with success. */
    private Times launch(Kind kind, List<String> flags) throws Exception {
        String label = "cold-" + (++sequence);
        FunctionSpec function = kind.function();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_FLAGS);
        command.add("-XX:MaxHeapSize=" + (function == null ? 512 : function.memoryMb()) * 85 / 100 + "m");
        command.addAll(flags);
        command.addAll(List.of("-cp", kind.classpath()));
        if (function == null) {
            command.add("dev.platform.bench.launch.HelloWorld");
            return spawn(command, Map.of(), label);
        }
        Path sample = Bench.path("events/lambda/" + function.name() + ".json");
        command.addAll(List.of("dev.platform.bench.launch.ColdStart", function.handlerClass(), sample.toString(), function.name()));
        services.createSeededTable(label);
        Map<String, String> queues = new HashMap<>();
        Topology.queues().forEach(queue -> queues.put(queue.name(), services.createQueue(queue, label)));
        try {
            Map<String, String> env = new HashMap<>(services.functionSettings(label, queues));
            env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
            // No profile files: Lambda has none, and a developer's ~/.aws must not change the result.
            env.put("AWS_CONFIG_FILE", work.resolve("no-aws-config").toString());
            env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-aws-credentials").toString());
            Times times = spawn(command, env, label);
            var response = Json.MAPPER.readTree(Files.readString(work.resolve(label + ".out")).replaceFirst("(?s).*BENCH-RESPONSE ", ""));
            // Success as the trigger defines it: a 2xx for an HTTP route, no failed item for a queue batch, and for the
            // load balancers' target the 404 of its sample's unknown host (it finds no preview to wake, starts nothing);
            // for the API's authorizer, a policy with its principal.
            boolean ok = switch (function.trigger()) {
                case Trigger.HttpRoute route -> response.path("statusCode").asInt() / 100 == 2;
                case Trigger.ApiRoutes routes -> response.path("statusCode").asInt() / 100 == 2;
                case Trigger.ApiAuthorizer authorizer -> response.hasNonNull("principalId");
                case Trigger.QueueTrigger queue -> response.has("batchItemFailures") && response.path("batchItemFailures").isEmpty();
                case Trigger.LoadBalancerTarget target -> response.path("statusCode").asInt() == 404;
                default -> response.has("result");
            };
            if (!ok) {
                throw new IllegalStateException(function.name() + " answered without success: " + response + "; see " + work.resolve(label + ".err"));
            }
            return times;
        } finally {
            queues.values().forEach(url -> services.sqs.deleteQueue(r -> r.queueUrl(url)));
            services.dynamoDb.deleteTable(r -> r.tableName(label));
        }
    }

    private Times spawn(List<String> command, Map<String, String> env, String label) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(work.resolve(label + ".out").toFile())
                .redirectError(work.resolve(label + ".err").toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        long spawn = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Matcher t = TIMES.matcher(Files.readString(work.resolve(label + ".out")));
        if (process.exitValue() != 0 || !t.find()) {
            throw new IllegalStateException(label + " failed (exit " + process.exitValue() + "); see " + work.resolve(label + ".out") + " and .err");
        }
        long main = Long.parseLong(t.group(1));
        long init = Long.parseLong(t.group(2));
        long done = Long.parseLong(t.group(3));
        if (main < spawn || init < main || done < init) {
            throw new IllegalStateException(label + ": clock readings out of order; the monotonic clock is not shared with the child");
        }
        return new Times(init - main, done - init, init - spawn, done - spawn);
    }
}
