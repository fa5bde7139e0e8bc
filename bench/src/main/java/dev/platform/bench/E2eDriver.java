package dev.platform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import dev.platform.embedded.FreePort;
import java.io.*;
import java.net.URI;
import java.net.http.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;

/**
 * The local runtime's jar as a child (a free PORT, a fresh PLATFORM_DATA_DIR, the scenario's settings), fed signed deliveries; records
 * each answer and when each event first appears on its stdout (it prints every event it appends to events.jsonl).
 */
final class E2eDriver implements AutoCloseable {
    /** One request and its answer; start and end are System.nanoTime() readings around it. */
    record Sent(E2ePlan.Delivery delivery, int status, String body, long start, long end) {
    }

    /** A plan sent from {@code start} on; {@code last}: when its last expected event was first printed, -1 if not by the deadline. */
    record Burst(long start, long deadline, List<Sent> sent, long last) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final Process runtime;
    private final URI base;
    final Path events;
    final Path log;
    /** Event key ({@link E2eVerifier#key}) → System.nanoTime() when the runtime first printed it. */
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    final Map<String, String> buildIds = new ConcurrentHashMap<>();
    /** A wall-clock reading and System.nanoTime() at the same moment, to place the runtime's timestamps on the nanoTime scale. */
    private final Instant wallAtStart = Instant.now();
    private final long nanoAtStart = System.nanoTime();

    E2eDriver(Path jar, Path work, Map<String, String> settings) throws Exception {
        int port = FreePort.find();
        base = URI.create("http://127.0.0.1:" + port);
        events = work.resolve("data/events.jsonl");
        log = Files.createDirectories(work).resolve("local-runtime.err");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .directory(work.toFile()).redirectError(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(settings);
        builder.environment().putAll(Map.of("PORT", "" + port, "PLATFORM_DATA_DIR", work.resolve("data").toString()));
        Bench.progress("e2e: starting " + jar.getFileName() + " on " + base);
        runtime = builder.start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(runtime.getInputStream()))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    long now = System.nanoTime();
                    if (line.startsWith("{\"source\":\"platform\"")) {
                        JsonNode event = Json.MAPPER.readTree(line);
                        firstSeen.putIfAbsent(E2eVerifier.key(event), now);
                        if (event.path("detail").hasNonNull("buildId")) {
                            buildIds.putIfAbsent(E2eVerifier.key(event), event.path("detail").path("buildId").asText());
                        }
                    } else if (line.contains("Platform control plane, running locally")) {
                        ready.countDown();
                    }
                }
            } catch (Exception e) {
                Bench.progress("e2e: reading the runtime's output failed: " + e);
            }
        });
        if (!ready.await(120, TimeUnit.SECONDS)) {
            close();
            throw new IllegalStateException("the local runtime did not start within 120 s; see " + log);
        }
    }

    int get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** {@code POST /_local/schedules/<function>}: the function's output. */
    JsonNode schedule(String function) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/_local/schedules/" + function)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return Json.MAPPER.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).path("output");
    }

    /** The status of {@code GET /} at a preview's host, over a raw socket (Java's HTTP client does not let a caller set Host). */
    int statusAt(String host) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String head = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            return Integer.parseInt(head.split(" ", 3)[1]);
        }
    }

    /** What the local stand-ins hold, as GET /_local/resources lists it. */
    JsonNode resources() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/_local/resources")).timeout(Duration.ofSeconds(10)).build();
        return Json.MAPPER.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The local ECS stand-in's tasks. */
    JsonNode tasks() throws Exception {
        return resources().path("tasks");
    }

    /** System.nanoTime() when the runtime first printed this event ({@link E2eVerifier#key}), or -1. */
    long seen(String key) {
        return firstSeen.getOrDefault(key, -1L);
    }

    /** A time the runtime wrote (its clock is this machine's) on the System.nanoTime() scale of {@link Sent}. */
    long nanoTime(Instant wall) {
        return nanoAtStart + Duration.between(wallAtStart, wall).toNanos();
    }

    /** Sends one delivery to the webhook, signed as GitHub signs it (HMAC-SHA256 of the exact bytes). */
    Sent send(E2ePlan.Delivery delivery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/webhooks/github")).timeout(Duration.ofSeconds(30)).headers("Content-Type",
                "application/json", "X-GitHub-Event", "pull_request", "X-GitHub-Delivery", delivery.id(), "X-Hub-Signature-256",
                Payloads.signature(delivery.body())).POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body())).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Sent(delivery, response.statusCode(), response.body(), start, System.nanoTime());
    }

    /**
     * Sends the plan as fast as the runtime answers, at most {@code concurrency} requests in flight, nothing after {@code limit}: each
     * stream in order by its own thread, one request at a time, so it reaches its FIFO message group in plan order while streams interleave.
     */
    Burst burst(E2ePlan plan, int concurrency, Duration limit) throws Exception {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        Semaphore inFlight = new Semaphore(concurrency);
        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Callable<Object>> streams = plan.streams().values().stream().<Callable<Object>>map(stream -> () -> {
                for (E2ePlan.Delivery delivery : stream) {
                    inFlight.acquire();
                    try {
                        if (System.nanoTime() < deadline) {
                            sent.add(send(delivery));
                        }
                    } finally {
                        inFlight.release();
                    }
                }
                return null;
            }).toList();
            for (Future<Object> stream : senders.invokeAll(streams)) {
                stream.get();
            }
        }
        return new Burst(start, deadline, List.copyOf(sent), await(plan.expected().keySet(), deadline));
    }

    /** System.nanoTime() when the last of these events was first printed, or -1 when one is still missing at the deadline. */
    long await(Collection<String> keys, long deadline) throws InterruptedException {
        while (!firstSeen.keySet().containsAll(keys)) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            Thread.sleep(2);
        }
        return keys.stream().mapToLong(firstSeen::get).max().orElse(-1);
    }

    long errorLines() throws Exception {
        return Files.readAllLines(log).stream().filter(l -> l.contains("\"level\":\"ERROR\"")).count();
    }

    @Override
    public void close() throws InterruptedException {
        runtime.destroy(); // a graceful stop first, as Ctrl-C would
        if (!runtime.waitFor(15, TimeUnit.SECONDS)) {
            runtime.destroyForcibly();
        }
    }
}
