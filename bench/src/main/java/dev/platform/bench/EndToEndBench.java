package dev.platform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.embedded.FreePort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * End to end through the local runtime: the real jar as a child process (its own DynamoDB Local,
 * ElasticMQ and queue consumer), fed signed deliveries over loopback HTTP as fast as it accepts them
 * with bounded concurrency, and checked against the events it records in events.jsonl.
 *
 * <p>The plan: {@value #PULL_REQUESTS} pull requests with {@value #PER_PR} deliveries each (opened,
 * then synchronize, each with its own head SHA and a later {@code updated_at}), some adjacent pairs
 * swapped so a few deliveries arrive older than one already seen, plus {@value #DUPLICATES} re-sends
 * of earlier deliveries with the same {@code X-GitHub-Delivery} — {@value #DELIVERIES} requests. At
 * most one request per pull request is in flight, so each pull request's deliveries reach the queue in
 * plan order; the pull requests are interleaved at random. The expected events are computed by
 * replaying each pull request's order: a delivery requests a build exactly when its delivery id is new
 * and its {@code updated_at} is newer than every earlier one of that pull request.
 */
final class EndToEndBench {
    static final int PULL_REQUESTS = 10;
    static final int PER_PR = 18;
    static final int DUPLICATES = 20;
    static final int DELIVERIES = PULL_REQUESTS * PER_PR + DUPLICATES;
    static final int CONCURRENCY = 8;
    static final double SWAP_PROBABILITY = 0.15;
    static final long SEED = 4242;
    static final int SINGLE_SAMPLES = 5;
    static final int VISIBILITY_SECONDS = 2;
    /** The local runtime's default number of pollers per queue trigger. */
    static final int E2E_POLLERS = 4;
    static final Duration STARTUP_LIMIT = Duration.ofSeconds(120);
    static final Duration BURST_LIMIT = Duration.ofSeconds(180);
    private static final String PROJECT = Services.DEMO_PROJECT.projectId().value();

    /** One request of the plan. */
    record Delivery(int pr, int step, String deliveryId, byte[] body, String signature, Instant updatedAt, String sha,
                    boolean resend) {
    }

    /** A platform event as the runtime printed it, with when the harness read it. */
    record Observed(String type, String projectId, int pr, String sha, long nanos) {
    }

    private final Repo repo;
    private final Report report;
    private final Path work;
    private final Payloads payloads;
    private final List<Observed> observed = new CopyOnWriteArrayList<>();

    EndToEndBench(Repo repo, Report report, Path work) {
        this.repo = repo;
        this.report = report;
        this.work = work;
        this.payloads = new Payloads(repo);
    }

    void run() throws Exception {
        Path jar = Repo.require(repo.localJar(), "the local runtime jar");
        Files.createDirectories(work);
        Path data = work.resolve("data");
        Path stderr = work.resolve("local-runtime.err");
        int port = FreePort.find();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString());
        builder.environment().clear();
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("PLATFORM_DATA_DIR", data.toString());
        builder.environment().put("PLATFORM_QUEUE_VISIBILITY_SECONDS", Integer.toString(VISIBILITY_SECONDS));
        builder.environment().put("PLATFORM_QUEUE_POLLERS", Integer.toString(E2E_POLLERS));
        builder.redirectError(stderr.toFile());
        builder.directory(work.toFile());
        progress("e2e: starting " + repo.relative(jar) + " on 127.0.0.1:" + port);
        Process runtime = builder.start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().daemon().name("local-runtime-stdout").start(() -> readStdout(runtime, ready));
        try {
            if (!ready.await(STARTUP_LIMIT.toSeconds(), TimeUnit.SECONDS) || !runtime.isAlive()) {
                throw new IllegalStateException("the local runtime did not start within " + STARTUP_LIMIT.toSeconds()
                        + " s; see " + stderr + "\n" + tail(stderr));
            }
            measure(URI.create("http://127.0.0.1:" + port), data.resolve("events.jsonl"), stderr);
        } finally {
            runtime.destroy();
            if (!runtime.waitFor(15, TimeUnit.SECONDS)) {
                runtime.destroyForcibly();
                runtime.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(5_000);
        }
    }

    private void measure(URI base, Path eventsFile, Path stderr) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI webhook = base.resolve("/webhooks/github");

        // Reference: an HTTP round trip the runtime answers without running a function.
        progress("e2e: reference round trips");
        URI nowhere = base.resolve("/bench-no-such-route");
        for (int i = 0; i < 50; i++) {
            get(http, nowhere);
        }
        long[] floor = new long[200];
        for (int i = 0; i < floor.length; i++) {
            long before = System.nanoTime();
            int status = get(http, nowhere);
            floor[i] = System.nanoTime() - before;
            if (status != 404) {
                throw new IllegalStateException("expected 404 from " + nowhere + ", got " + status);
            }
        }

        // Reference: one delivery alone, from send to its BuildRequested line (the first one warms up, unmeasured).
        Map<String, Integer> expected = new HashMap<>();
        long[] single = new long[SINGLE_SAMPLES];
        Instant singleStart = Instant.parse("2024-06-01T00:00:00Z");
        int singlePr = 900;
        for (int i = 0; i <= SINGLE_SAMPLES; i++) {
            Delivery delivery = delivery(singlePr, i, singleStart.plusSeconds(10L * i), false);
            expected.merge(key(singlePr, delivery.sha()), 1, Integer::sum);
            long before = System.nanoTime();
            int status = post(http, webhook, delivery).status();
            if (status != 202) {
                throw new IllegalStateException("single delivery answered " + status);
            }
            long seenAt = awaitEvent(singlePr, delivery.sha(), before + Duration.ofSeconds(60).toNanos());
            if (i > 0) {
                single[i - 1] = seenAt - before;
            }
        }

        // The burst.
        Random random = new Random(SEED);
        Map<Integer, List<Delivery>> plan = plan(random);
        int stale = 0;
        for (Map.Entry<Integer, List<Delivery>> entry : plan.entrySet()) {
            Instant newest = null;
            Set<String> ids = new HashSet<>();
            for (Delivery delivery : entry.getValue()) {
                if (!ids.add(delivery.deliveryId())) {
                    continue; // a re-send: FIFO deduplication or the state's recent deliveries make it a no-op
                }
                if (newest == null || delivery.updatedAt().isAfter(newest)) {
                    expected.merge(key(entry.getKey(), delivery.sha()), 1, Integer::sum);
                    newest = delivery.updatedAt();
                } else {
                    stale++;
                }
            }
        }
        int planned = plan.values().stream().mapToInt(List::size).sum();
        if (planned != DELIVERIES) {
            throw new IllegalStateException("plan has " + planned + " deliveries, expected " + DELIVERIES);
        }
        Set<String> burstKeys = new HashSet<>();
        plan.forEach((pr, deliveries) -> deliveries.forEach(d -> {
            if (expected.containsKey(key(pr, d.sha()))) {
                burstKeys.add(key(pr, d.sha()));
            }
        }));

        progress("e2e: sending " + DELIVERIES + " deliveries, concurrency " + CONCURRENCY);
        Dispatcher dispatcher = new Dispatcher(plan, new Random(SEED + 1));
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> badResponses = Collections.synchronizedList(new ArrayList<>());
        long[] lastResponse = {0};
        long burstStart = System.nanoTime();
        long deadline = burstStart + BURST_LIMIT.toNanos();
        ExecutorService senders = Executors.newFixedThreadPool(CONCURRENCY);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < CONCURRENCY; w++) {
            workers.add(senders.submit(() -> {
                Delivery delivery;
                while ((delivery = dispatcher.next()) != null) {
                    try {
                        if (System.nanoTime() > deadline) {
                            badResponses.add("deadline passed before every delivery was sent");
                            return null;
                        }
                        long before = System.nanoTime();
                        Response response = post(http, webhook, delivery);
                        long after = System.nanoTime();
                        latencies.add(after - before);
                        synchronized (lastResponse) {
                            lastResponse[0] = Math.max(lastResponse[0], after);
                        }
                        if (response.status() != 202 || !response.body().contains("\"accepted\"")) {
                            badResponses.add("PR " + delivery.pr() + " step " + delivery.step() + ": " + response.status()
                                    + " " + response.body());
                        }
                    } finally {
                        dispatcher.done(delivery.pr());
                    }
                }
                return null;
            }));
        }
        senders.shutdown();
        for (Future<?> worker : workers) {
            worker.get(BURST_LIMIT.toSeconds() + 30, TimeUnit.SECONDS);
        }

        // Wait for the last expected BuildRequested, then a grace period for late or repeated events.
        long lastExpected = 0;
        while (System.nanoTime() < deadline) {
            Map<String, Long> firstSeen = new HashMap<>();
            for (Observed event : observed) {
                firstSeen.putIfAbsent(key(event.pr(), event.sha()), event.nanos());
            }
            if (firstSeen.keySet().containsAll(burstKeys)) {
                lastExpected = burstKeys.stream().mapToLong(firstSeen::get).max().orElse(burstStart);
                break;
            }
            Thread.sleep(5);
        }
        Thread.sleep(Duration.ofSeconds(2L * VISIBILITY_SECONDS + 1).toMillis());

        // What events.jsonl holds, against what was expected.
        Map<String, Integer> recorded = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        for (String line : Files.readAllLines(eventsFile, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = Json.MAPPER.readTree(line);
            JsonNode detail = event.path("detail");
            if (!"BuildRequested".equals(event.path("detail-type").asText()) || !PROJECT.equals(detail.path("projectId").asText())) {
                unexpected.add(line);
                continue;
            }
            recorded.merge(key(detail.path("pr").asInt(), detail.path("commitSha").asText()), 1, Integer::sum);
        }
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : expected.entrySet()) {
            int count = recorded.getOrDefault(entry.getKey(), 0);
            if (count == 0) {
                missing.add(entry.getKey());
            } else if (count > entry.getValue()) {
                duplicated.add(entry.getKey() + " ×" + count);
            }
        }
        recorded.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(k -> unexpected.add("BuildRequested " + k));
        int expectedTotal = expected.values().stream().mapToInt(Integer::intValue).sum();
        int recordedTotal = recorded.values().stream().mapToInt(Integer::intValue).sum();
        boolean exact = missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty() && badResponses.isEmpty()
                && lastExpected > 0;

        long errors;
        try (var lines = Files.lines(stderr, StandardCharsets.UTF_8)) {
            errors = lines.filter(l -> l.contains("\"level\":\"ERROR\"")).count();
        }

        Stats.Summary floorSummary = Stats.summarize(floor);
        Stats.Summary response = Stats.summarize(latencies.stream().mapToLong(Long::longValue).toArray());
        Stats.Summary singleSummary = Stats.summarize(single);
        report.add(new Report.Row("e2e.ref.http", "reference: HTTP round trip to the local runtime, no function (GET unknown path → 404), sequential",
                "p50 " + Fmt.time(floorSummary.median()) + ", p99 " + Fmt.time(floorSummary.p99()),
                Report.NONE, Report.NONE, Report.NONE, Report.NONE));
        report.add(new Report.Row("e2e.webhook.response",
                "webhook response time, " + DELIVERIES + " signed deliveries (" + PULL_REQUESTS + " PRs, " + DUPLICATES
                        + " re-sent), " + CONCURRENCY + " concurrent senders, p50 / p99",
                Fmt.time(response.median()) + " / " + Fmt.time(response.p99()) + "; "
                        + Fmt.rate(Stats.perSecond(latencies.size(), Math.max(1, lastResponse[0] - burstStart))) + " accepted",
                Fmt.time(floorSummary.median()) + " / " + Fmt.time(floorSummary.p99()),
                Fmt.ratio(response.median(), floorSummary.median()) + " / " + Fmt.ratio(response.p99(), floorSummary.p99()),
                Report.NONE, Report.NONE));
        // Intake: deliveries answered per second while the burst was sent. Drain: deliveries applied per
        // second, from the first send to the last expected BuildRequested (every delivery of the burst has
        // been consumed by then, stale ones included, since each PR's deliveries are queued in order).
        double intakeRate = Stats.perSecond(latencies.size(), Math.max(1, lastResponse[0] - burstStart));
        double drainRate = lastExpected > 0 ? Stats.perSecond(DELIVERIES, Math.max(1, lastExpected - burstStart)) : 0;
        report.add(new Report.Row("e2e.intake.rate", "burst: deliveries the webhook accepted (202) per second, "
                + CONCURRENCY + " concurrent senders", Fmt.rate(intakeRate),
                Report.NONE, Report.NONE, Report.NONE, Report.NONE));
        report.add(new Report.Row("e2e.drain.rate", "burst: deliveries the orchestrator applied per second (first send → last "
                + "expected BuildRequested), " + E2E_POLLERS + " pollers", lastExpected > 0 ? Fmt.rate(drainRate) : "not drained",
                Fmt.rate(intakeRate) + " (intake)", lastExpected > 0 ? Fmt.ratio2(drainRate, intakeRate) : Report.NONE,
                "≥ intake", drainRate >= intakeRate * 0.95 ? Report.PASS : Report.FAIL));
        report.add(new Report.Row("e2e.ref.single", "reference: one delivery alone, send → its BuildRequested recorded, median of " + SINGLE_SAMPLES,
                Fmt.time(singleSummary.median()), Report.NONE, Report.NONE, Report.NONE, Report.NONE));
        report.add(new Report.Row("e2e.last-build-requested", "burst: first send → last expected BuildRequested recorded",
                lastExpected > 0 ? Fmt.time(lastExpected - burstStart) + " (last 202 after " + Fmt.time(lastResponse[0] - burstStart) + ")"
                        : "not all recorded within " + BURST_LIMIT.toSeconds() + " s",
                Fmt.time(singleSummary.median()) + " (one delivery alone)",
                lastExpected > 0 ? Fmt.ratio(lastExpected - burstStart, singleSummary.median()) : Report.NONE,
                Report.NONE, Report.NONE));
        report.add(new Report.Row("e2e.exact", "events.jsonl holds exactly the expected events (none lost, none duplicated, none extra)",
                expectedTotal + " BuildRequested expected, " + recordedTotal + " recorded; " + missing.size() + " missing, "
                        + duplicated.size() + " duplicated, " + unexpected.size() + " unexpected; "
                        + (DELIVERIES - badResponses.size()) + "/" + DELIVERIES + " answered 202",
                Report.NONE, Report.NONE, "exact", exact ? Report.PASS : Report.FAIL));
        report.note("End to end: `" + repo.relative(repo.localJar()) + "` started as a child (PORT free, PLATFORM_DATA_DIR a "
                + "fresh temp dir, PLATFORM_QUEUE_VISIBILITY_SECONDS=" + VISIBILITY_SECONDS + "). Plan (seed " + SEED + "): "
                + PULL_REQUESTS + " PRs × " + PER_PR + " deliveries (opened, then synchronize; each a new head SHA and a later "
                + "updated_at), adjacent pairs swapped with probability " + SWAP_PROBABILITY + " (" + stale
                + " deliveries arrive older than one already seen and must change nothing), " + DUPLICATES
                + " re-sends with the same X-GitHub-Delivery placed after their original. At most one request per PR in flight, "
                + "PRs interleaved at random, so each PR's order at the queue is its plan order; the expected set replays that order "
                + "(a build iff the delivery id is new and its updated_at is the newest of its PR). Also expected: the "
                + (SINGLE_SAMPLES + 1) + " single deliveries of PR " + singlePr + ". Event times are when the runtime printed the line "
                + "it appends to events.jsonl. Runtime log: " + errors + " ERROR line(s) (retried failures show up here).");
        if (!exact) {
            report.fail("end to end: " + missing.size() + " missing " + head(missing) + ", " + duplicated.size() + " duplicated "
                    + head(duplicated) + ", " + unexpected.size() + " unexpected " + head(unexpected) + ", "
                    + badResponses.size() + " bad responses " + head(badResponses)
                    + (lastExpected > 0 ? "" : "; not every expected BuildRequested arrived within " + BURST_LIMIT.toSeconds() + " s")
                    + "; runtime log: " + stderr);
        }
    }

    /** Per pull request, in the order its deliveries will be sent. */
    private Map<Integer, List<Delivery>> plan(Random random) {
        Instant start = Instant.parse("2024-07-01T00:00:00Z");
        Map<Integer, List<Delivery>> plan = new LinkedHashMap<>();
        List<Delivery> originals = new ArrayList<>();
        for (int p = 0; p < PULL_REQUESTS; p++) {
            int pr = 7_001 + p;
            List<Delivery> sequence = new ArrayList<>();
            for (int step = 0; step < PER_PR; step++) {
                sequence.add(delivery(pr, step, start.plus(Duration.ofHours(p)).plusSeconds(10L * step), false));
            }
            for (int i = 0; i + 1 < sequence.size(); i++) {
                if (random.nextDouble() < SWAP_PROBABILITY) {
                    Collections.swap(sequence, i, i + 1);
                    i++;
                }
            }
            originals.addAll(sequence);
            plan.put(pr, sequence);
        }
        Collections.shuffle(originals, random);
        for (Delivery original : originals.subList(0, DUPLICATES)) {
            List<Delivery> sequence = plan.get(original.pr());
            int after = sequence.indexOf(original);
            int at = after + 1 + random.nextInt(sequence.size() - after);
            sequence.add(at, new Delivery(original.pr(), original.step(), original.deliveryId(), original.body(),
                    original.signature(), original.updatedAt(), original.sha(), true));
        }
        return plan;
    }

    private Delivery delivery(int pr, int step, Instant updatedAt, boolean resend) {
        String sha = Payloads.sha("e2e-" + pr + "-" + step);
        byte[] body = payloads.pullRequest(step == 0 ? PullRequestAction.OPENED : PullRequestAction.SYNCHRONIZE, pr, sha, updatedAt);
        String id = UUID.nameUUIDFromBytes(("bench-e2e-" + pr + "-" + step).getBytes(StandardCharsets.UTF_8)).toString();
        return new Delivery(pr, step, id, body, Payloads.signature(body), updatedAt, sha, resend);
    }

    /** Hands out deliveries: a random pull request among those with none in flight, in its plan order. */
    private static final class Dispatcher {
        private final Map<Integer, List<Delivery>> remaining = new LinkedHashMap<>();
        private final Set<Integer> inFlight = new HashSet<>();
        private final Random random;

        Dispatcher(Map<Integer, List<Delivery>> plan, Random random) {
            plan.forEach((pr, deliveries) -> remaining.put(pr, new ArrayList<>(deliveries)));
            this.random = random;
        }

        synchronized Delivery next() throws InterruptedException {
            while (true) {
                List<Integer> ready = new ArrayList<>();
                boolean any = false;
                for (Map.Entry<Integer, List<Delivery>> entry : remaining.entrySet()) {
                    if (!entry.getValue().isEmpty()) {
                        any = true;
                        if (!inFlight.contains(entry.getKey())) {
                            ready.add(entry.getKey());
                        }
                    }
                }
                if (!any) {
                    return null;
                }
                if (!ready.isEmpty()) {
                    int pr = ready.get(random.nextInt(ready.size()));
                    inFlight.add(pr);
                    return remaining.get(pr).removeFirst();
                }
                wait();
            }
        }

        synchronized void done(int pr) {
            inFlight.remove(pr);
            notifyAll();
        }
    }

    private record Response(int status, String body) {
    }

    private static Response post(HttpClient http, URI webhook, Delivery delivery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(webhook)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "pull_request")
                .header("X-GitHub-Delivery", delivery.deliveryId())
                .header("X-Hub-Signature-256", delivery.signature())
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    private static int get(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private long awaitEvent(int pr, String sha, long deadline) throws InterruptedException {
        String wanted = key(pr, sha);
        while (System.nanoTime() < deadline) {
            for (Observed event : observed) {
                if (key(event.pr(), event.sha()).equals(wanted)) {
                    return event.nanos();
                }
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no BuildRequested for PR " + pr + " at " + sha + " within 60 s");
    }

    private void readStdout(Process runtime, CountDownLatch ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(runtime.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                long now = System.nanoTime();
                if (line.startsWith("{\"source\":\"platform\"")) {
                    JsonNode event = Json.MAPPER.readTree(line);
                    JsonNode detail = event.path("detail");
                    observed.add(new Observed(event.path("detail-type").asText(), detail.path("projectId").asText(),
                            detail.path("pr").asInt(), detail.path("commitSha").asText(), now));
                } else if (line.contains("Platform control plane, running locally")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            System.err.println("[bench] e2e: reading the runtime's output failed: " + e);
        }
    }

    private static String key(int pr, String sha) {
        return "PR " + pr + " @ " + sha.substring(0, Math.min(12, sha.length()));
    }

    private static String head(List<String> items) {
        return items.isEmpty() ? "" : "(" + String.join("; ", items.subList(0, Math.min(5, items.size())))
                + (items.size() > 5 ? "; ..." : "") + ")";
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file);
            return text.length() <= 3000 ? text : "..." + text.substring(text.length() - 3000);
        } catch (IOException e) {
            return "(cannot read " + file + ")";
        }
    }

    private static void progress(String message) {
        System.err.println("[bench] " + message);
    }
}
