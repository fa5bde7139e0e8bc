package dev.platform.local.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.Hashes;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import dev.platform.embedded.FreePort;
import dev.platform.local.ecr.LocalEcr;
import dev.platform.local.eventbridge.LocalEventBus;
import dev.platform.local.http.AwsJson;
import dev.platform.local.http.CallCounts;
import dev.platform.local.http.Exchanges;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * ECS, locally, for builder tasks: {@code RunTask}, {@code StopTask}, {@code DescribeTasks} and
 * {@code ListTasks} (AWS JSON 1.1), so the real ECS adapter runs against it. A task started with the
 * same client token is the same task, as ECS's idempotency gives.
 *
 * <p>A builder task does what the kaniko builder would, quickly: it reads its source snapshot from the
 * (local) S3 URL its command names, finds the Dockerfile at the context sub-path, takes
 * {@code PLATFORM_LOCAL_BUILD_SECONDS}, pushes an image tagged as its destination says to the local ECR,
 * and exits 0 — or exits 1 when the Dockerfile is missing or the commit starts with one of
 * {@code PLATFORM_LOCAL_FAIL_SHAS}. {@code StopTask} stops it at once (exit 143, {@code UserInitiated}).
 * Every change of a task's state is an ECS "Task State Change" event on the default bus, which reaches
 * the build watcher through the topology's rule exactly as on AWS. Tasks are kept in a file of the data
 * dir when there is one; a task running at a restart runs to its end after it.
 *
 * <p>The same endpoint answers the task definition and service operations previews and production
 * deploy with ({@link LocalEcsServices}); they are kept in the same file.
 */
public final class LocalEcs implements AutoCloseable {
    private static final String PREFIX = "AmazonEC2ContainerServiceV20141113.";
    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "us-east-1";

    private final HttpServer server;
    private final CallCounts calls = new CallCounts();
    private final String host;
    private final Path file;
    private final LocalEventBus bus;
    private final S3Client s3;
    private final LocalEcr ecr;
    private final int buildSeconds;
    private final List<String> failShaPrefixes;
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("local-ecs").daemon().factory());
    private final Map<String, ObjectNode> tasks = new LinkedHashMap<>();
    private final Map<String, String> taskByClientToken = new LinkedHashMap<>();
    private final Map<String, ScheduledFuture<?>> running = new LinkedHashMap<>();
    private final Map<String, List<String>> logs = new LinkedHashMap<>();
    private final LocalEcsServices services;

    private LocalEcs(HttpServer server, String host, Path file, LocalEventBus bus, S3Client s3, LocalEcr ecr, int buildSeconds,
                     List<String> failShaPrefixes, Deployments deployments) {
        this.server = server;
        this.host = host;
        this.file = file;
        this.bus = bus;
        this.s3 = s3;
        this.ecr = ecr;
        this.buildSeconds = buildSeconds;
        this.failShaPrefixes = List.copyOf(failShaPrefixes);
        this.services = new LocalEcsServices(this, this::save, bus, timers, deployments.seconds(), deployments.failShaPrefixes());
    }

    /**
     * How services' deployments go locally.
     *
     * @param seconds {@code PLATFORM_LOCAL_DEPLOY_SECONDS}: how long a deployment rolls before it completes
     * @param failShaPrefixes {@code PLATFORM_LOCAL_FAIL_DEPLOY_SHAS}: deployments of these commits (or images) fail
     */
    public record Deployments(int seconds, List<String> failShaPrefixes) {
        public Deployments {
            failShaPrefixes = List.copyOf(failShaPrefixes);
        }
    }

    /** What serves a target group: how many of a service's tasks run, and their task definition's tags. */
    public record Serving(int runningCount, Map<String, String> tags) {
    }

    /**
     * @param file where tasks are kept across restarts, or null to keep them in memory
     * @param s3 reads builder tasks' source snapshots
     */
    public static LocalEcs start(String host, Path file, LocalEventBus bus, S3Client s3, LocalEcr ecr, int buildSeconds,
                                 List<String> failShaPrefixes, Deployments deployments) throws IOException {
        HttpServer server = Exchanges.listen(host, 0, 64);
        LocalEcs ecs = new LocalEcs(server, host, file, bus, s3, ecr, buildSeconds, failShaPrefixes, deployments);
        ecs.load();
        server.createContext("/", ecs::serve);
        server.start();
        return ecs;
    }

    public URI endpoint() {
        return FreePort.url(host, server.getAddress().getPort());
    }

    /** Every task ever started, for {@code GET /_local/resources}. */
    public synchronized ArrayNode resources() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ObjectNode task : tasks.values()) {
            ObjectNode view = list.addObject();
            view.put("taskArn", task.path("taskArn").asText());
            view.put("family", task.path("group").asText().replaceFirst("^family:", ""));
            view.put("lastStatus", task.path("lastStatus").asText());
            view.put("desiredStatus", task.path("desiredStatus").asText());
            view.set("stopCode", task.path("stopCode").isMissingNode() ? Json.MAPPER.nullNode() : task.get("stopCode"));
            JsonNode exitCode = task.path("containers").path(0).path("exitCode");
            view.set("exitCode", exitCode.isMissingNode() ? Json.MAPPER.nullNode() : exitCode);
            view.set("stoppedReason", task.path("stoppedReason").isMissingNode() ? Json.MAPPER.nullNode() : task.get("stoppedReason"));
            view.put("startedBy", task.path("startedBy").asText());
            ObjectNode tags = view.putObject("tags");
            task.path("tags").forEach(tag -> tags.put(tag.path("key").asText(), tag.path("value").asText()));
            view.put("createdAt", task.path("createdAt").asText());
            view.put("logs", "/_local/logs/" + taskId(task.path("taskArn").asText()));
        }
        return list;
    }

    /** The ACTIVE service whose load balancer forwards to this target group, if any. */
    public synchronized Optional<Serving> serving(String targetGroupArn) {
        return services.serving(targetGroupArn);
    }

    /** ACTIVE services, for {@code GET /_local/resources}. */
    public synchronized ArrayNode serviceResources() {
        return services.serviceResources();
    }

    /** ACTIVE task definitions, for {@code GET /_local/resources}. */
    public synchronized ArrayNode taskDefinitionResources() {
        return services.taskDefinitionResources();
    }

    /** A task's log lines, by its id (the last part of its ARN). */
    public synchronized List<String> logs(String taskId) {
        return List.copyOf(logs.getOrDefault(taskId, List.of()));
    }

    private void serve(HttpExchange exchange) throws IOException {
        // the error is answered inside the try-with-resources: its catch would run after the exchange closed
        try (exchange) {
            try {
                AwsJson.answer(exchange, 200, answer(exchange));
            } catch (EcsError e) {
                AwsJson.answer(exchange, 400, AwsJson.error(e.type, e.getMessage()));
            }
        }
    }

    private ObjectNode answer(HttpExchange exchange) throws IOException {
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
        calls.count(target.substring(target.indexOf('.') + 1));
        return switch (target.startsWith(PREFIX) ? target.substring(PREFIX.length()) : target) {
            case "RunTask" -> runTask(request);
            case "StopTask" -> stopTask(request);
            case "DescribeTasks" -> describeTasks(request);
            case "ListTasks" -> listTasks(request);
            default -> {
                String operation = target.substring(target.indexOf('.') + 1);
                if (!LocalEcsServices.OPERATIONS.contains(operation)) {
                    throw new EcsError("ClientException", "the local ECS answers RunTask, StopTask, DescribeTasks, "
                            + "ListTasks and " + String.join(", ", LocalEcsServices.OPERATIONS) + ", not " + target);
                }
                synchronized (this) {
                    yield services.handle(operation, request);
                }
            }
        };
    }

    /** An ECS error: its exception name (the SDK's error code) and message. */
    static final class EcsError extends RuntimeException {
        final String type;

        EcsError(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private synchronized ObjectNode runTask(JsonNode request) throws IOException {
        String token = request.path("clientToken").asText("");
        if (!token.isEmpty() && taskByClientToken.containsKey(token)) {
            ObjectNode response = Json.object();
            response.putArray("tasks").add(api(tasks.get(taskByClientToken.get(token))));
            response.putArray("failures");
            return response;
        }
        String cluster = request.path("cluster").asText("default");
        String definition = request.path("taskDefinition").asText();
        if (definition.isEmpty()) {
            throw new EcsError("InvalidParameterException", "taskDefinition is required");
        }
        String family = definition.contains(":task-definition/")
                ? definition.substring(definition.lastIndexOf('/') + 1).replaceFirst(":\\d+$", "")
                : definition.replaceFirst(":\\d+$", "");
        String id = UUID.randomUUID().toString().replace("-", "");
        ObjectNode task = Json.object();
        task.put("taskArn", "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":task/" + cluster + "/" + id);
        task.put("clusterArn", "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":cluster/" + cluster);
        task.put("taskDefinitionArn", "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":task-definition/" + family + ":1");
        task.put("group", "family:" + family);
        task.put("launchType", request.path("launchType").asText("FARGATE"));
        task.put("startedBy", request.path("startedBy").asText(""));
        task.put("lastStatus", "PROVISIONING");
        task.put("desiredStatus", "RUNNING");
        task.put("createdAt", Instant.now().toString());
        task.put("version", 1);
        task.set("tags", request.path("tags").isArray() ? request.get("tags") : Json.MAPPER.createArrayNode());
        task.set("overrides", request.path("overrides"));
        ArrayNode containers = task.putArray("containers");
        JsonNode override = request.path("overrides").path("containerOverrides").path(0);
        containers.addObject().put("name", override.path("name").asText("builder")).put("lastStatus", "PENDING");
        tasks.put(task.get("taskArn").asText(), task);
        if (!token.isEmpty()) {
            taskByClientToken.put(token, task.get("taskArn").asText());
        }
        log(task, "task started for " + task.path("startedBy").asText() + " with " + override.path("command"));
        save();
        schedule(task.get("taskArn").asText(), 0);
        ObjectNode response = Json.object();
        response.putArray("tasks").add(api(task));
        response.putArray("failures");
        return response;
    }

    /**
     * The task as the ECS API returns it: times as epoch seconds (task state change events carry the
     * same task with ISO-8601 times, as ECS sends them).
     */
    private static ObjectNode api(ObjectNode task) {
        ObjectNode copy = task.deepCopy();
        for (String field : List.of("createdAt", "startedAt", "stoppedAt")) {
            if (copy.hasNonNull(field)) {
                copy.put(field, Instant.parse(copy.get(field).asText()).toEpochMilli() / 1000.0);
            }
        }
        return copy;
    }

    private synchronized ObjectNode stopTask(JsonNode request) throws IOException {
        ObjectNode task = find(request.path("task").asText());
        if (task == null) {
            throw new EcsError("InvalidParameterException", "The referenced task was not found.");
        }
        if (!task.path("lastStatus").asText().equals("STOPPED")) {
            ScheduledFuture<?> build = running.remove(task.path("taskArn").asText());
            if (build != null) {
                build.cancel(false);
            }
            String reason = request.path("reason").asText("Task stopped by user");
            stopped(task, 143, "UserInitiated", reason);
            log(task, "stopped: " + reason);
        }
        return Json.object().set("task", api(task));
    }

    private synchronized ObjectNode describeTasks(JsonNode request) {
        ObjectNode response = Json.object();
        ArrayNode found = response.putArray("tasks");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode reference : request.path("tasks")) {
            ObjectNode task = find(reference.asText());
            if (task == null) {
                failures.addObject().put("arn", reference.asText()).put("reason", "MISSING");
            } else {
                found.add(api(task));
            }
        }
        return response;
    }

    private synchronized ObjectNode listTasks(JsonNode request) {
        String family = request.path("family").asText("");
        String desired = request.path("desiredStatus").asText("RUNNING");
        ObjectNode response = Json.object();
        ArrayNode arns = response.putArray("taskArns");
        for (ObjectNode task : tasks.values()) {
            if ((family.isEmpty() || task.path("group").asText().equals("family:" + family))
                    && task.path("desiredStatus").asText().equals(desired)) {
                arns.add(task.path("taskArn").asText());
            }
        }
        return response;
    }

    private ObjectNode find(String reference) {
        for (ObjectNode task : tasks.values()) {
            String arn = task.path("taskArn").asText();
            if (arn.equals(reference) || taskId(arn).equals(reference)) {
                return task;
            }
        }
        return null;
    }

    /** Runs the task: RUNNING at once, its build after {@code buildSeconds} (less what it ran before a restart). */
    private void schedule(String taskArn, long alreadyRanSeconds) {
        timers.execute(() -> transition(taskArn, this::markRunning));
        running.put(taskArn, timers.schedule(() -> transition(taskArn, this::build),
                Math.max(0, buildSeconds - alreadyRanSeconds), TimeUnit.SECONDS));
    }

    private interface Transition {
        void apply(ObjectNode task) throws IOException;
    }

    private synchronized void transition(String taskArn, Transition transition) {
        ObjectNode task = tasks.get(taskArn);
        if (task == null || task.path("lastStatus").asText().equals("STOPPED")) {
            return;
        }
        try {
            transition.apply(task);
        } catch (IOException | RuntimeException e) {
            JsonLog.error("local builder task failed", Map.of("taskArn", taskArn), e);
            try {
                log(task, "the local builder failed: " + e.getMessage());
                stopped(task, 1, "EssentialContainerExited", "Essential container in task exited");
            } catch (IOException ignored) {
                // the state file could not be written; the task is stopped in memory
            }
        }
    }

    private void markRunning(ObjectNode task) throws IOException {
        if (!task.path("lastStatus").asText().equals("PROVISIONING")) {
            return;
        }
        task.put("lastStatus", "RUNNING");
        task.put("startedAt", Instant.now().toString());
        ((ObjectNode) task.path("containers").path(0)).put("lastStatus", "RUNNING");
        changed(task);
    }

    /** What kaniko would do with the command's flags, in a moment. */
    private void build(ObjectNode task) throws IOException {
        markRunning(task);
        Map<String, String> flags = new LinkedHashMap<>();
        for (JsonNode arg : task.path("overrides").path("containerOverrides").path(0).path("command")) {
            String text = arg.asText();
            int equals = text.indexOf('=');
            if (text.startsWith("--") && equals > 0) {
                flags.putIfAbsent(text.substring(2, equals), text.substring(equals + 1));
            }
        }
        String commit = "";
        for (JsonNode variable : task.path("overrides").path("containerOverrides").path(0).path("environment")) {
            if (variable.path("name").asText().equals("PLATFORM_COMMIT_SHA")) {
                commit = variable.path("value").asText();
            }
        }
        String context = flags.getOrDefault("context", "");
        if (!context.startsWith("s3://")) {
            exit(task, 1, "--context must be an s3:// URL, got '" + context + "'");
            return;
        }
        String bucketAndKey = context.substring("s3://".length());
        byte[] snapshot = s3.getObjectAsBytes(r -> r.bucket(bucketAndKey.substring(0, bucketAndKey.indexOf('/')))
                .key(bucketAndKey.substring(bucketAndKey.indexOf('/') + 1))).asByteArray();
        String dockerfile = flags.getOrDefault("context-sub-path", "") + "/" + flags.getOrDefault("dockerfile", "Dockerfile");
        log(task, "read " + snapshot.length + " bytes of source from " + context);
        if (!entries(snapshot).contains(dockerfile)) {
            exit(task, 1, "error resolving dockerfile path: " + dockerfile + " is not in the build context");
            return;
        }
        String failing = commit;
        if (failShaPrefixes.stream().anyMatch(failing::startsWith)) {
            exit(task, 1, "a build step failed (commit " + commit + " matches PLATFORM_LOCAL_FAIL_SHAS)");
            return;
        }
        String destination = flags.getOrDefault("destination", "");
        int slash = destination.indexOf('/');
        int colon = destination.lastIndexOf(':');
        if (slash < 0 || colon < slash) {
            exit(task, 1, "--destination must be <registry>/<repository>:<tag>, got '" + destination + "'");
            return;
        }
        String digest = "sha256:" + Hashes.sha256Hex(Hashes.sha256Hex(new String(snapshot, StandardCharsets.ISO_8859_1), 64)
                + destination, 64);
        ecr.push(new LocalEcr.Image(destination.substring(slash + 1, colon), destination.substring(colon + 1), digest,
                snapshot.length, Instant.now()));
        log(task, "pushed " + destination + " (" + digest + ")");
        exit(task, 0, null);
    }

    private void exit(ObjectNode task, int code, String error) throws IOException {
        if (error != null) {
            log(task, error);
        }
        running.remove(task.path("taskArn").asText());
        stopped(task, code, "EssentialContainerExited", "Essential container in task exited");
    }

    private void stopped(ObjectNode task, int exitCode, String stopCode, String reason) throws IOException {
        task.put("lastStatus", "STOPPED");
        task.put("desiredStatus", "STOPPED");
        task.put("stopCode", stopCode);
        task.put("stoppedReason", reason);
        task.put("stoppedAt", Instant.now().toString());
        ObjectNode container = (ObjectNode) task.path("containers").path(0);
        container.put("lastStatus", "STOPPED");
        container.put("exitCode", exitCode);
        changed(task);
    }

    /** A new version of the task: saved, and its state change put on the default bus. */
    private void changed(ObjectNode task) throws IOException {
        task.put("version", task.path("version").asInt() + 1);
        save();
        ObjectNode detail = task.deepCopy();
        detail.remove("tags"); // ECS's task state change events carry no tags (they do carry the overrides)
        try {
            bus.put(LocalEventBus.DEFAULT_BUS, "aws.ecs", "ECS Task State Change", detail);
        } catch (IOException | RuntimeException e) {
            JsonLog.error("local ECS could not put a task state change on the default bus", Map.of("taskArn",
                    task.path("taskArn").asText(), "lastStatus", task.path("lastStatus").asText()), e);
        }
    }

    /** The paths of a gzipped tar's regular files. */
    private static Set<String> entries(byte[] tarGz) throws IOException {
        Set<String> names = new HashSet<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tarGz))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                int end = 0;
                while (end < 100 && header[end] != 0) {
                    end++;
                }
                if (end == 0) {
                    break;
                }
                String name = new String(header, 0, end, StandardCharsets.US_ASCII);
                String size = new String(header, 124, 12, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
                long bytes = size.isEmpty() ? 0 : Long.parseLong(size, 8);
                if (header[156] == '0' || header[156] == 0) {
                    names.add(name);
                }
                in.skipNBytes((bytes + 511) / 512 * 512);
            }
        }
        return names;
    }

    private void log(ObjectNode task, String line) {
        logs.computeIfAbsent(taskId(task.path("taskArn").asText()), t -> new ArrayList<>()).add(Instant.now() + " " + line);
    }

    private static String taskId(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    private synchronized void load() throws IOException {
        if (file == null || !Files.exists(file)) {
            return;
        }
        JsonNode saved = Json.MAPPER.readTree(Files.readAllBytes(file));
        saved.path("tasks").forEach(task -> tasks.put(task.path("taskArn").asText(), (ObjectNode) task));
        saved.path("clientTokens").fields().forEachRemaining(e -> taskByClientToken.put(e.getKey(), e.getValue().asText()));
        services.load(saved);
        for (ObjectNode task : tasks.values()) {
            if (!task.path("lastStatus").asText().equals("STOPPED")) {
                log(task, "the local runtime restarted while this task ran; it runs to its end");
                schedule(task.path("taskArn").asText(), 0);
            }
        }
    }

    private synchronized void save() throws IOException {
        if (file == null) {
            return;
        }
        ObjectNode state = Json.object();
        ArrayNode list = state.putArray("tasks");
        tasks.values().forEach(list::add);
        ObjectNode tokens = state.putObject("clientTokens");
        taskByClientToken.forEach(tokens::put);
        services.saveInto(state);
        AwsJson.writeAtomically(file, Json.write(state));
    }

    @Override
    public void close() {
        timers.shutdownNow();
        server.stop(0);
    }

    /** The calls answered so far, per operation. */
    public CallCounts calls() {
        return calls;
    }
}
