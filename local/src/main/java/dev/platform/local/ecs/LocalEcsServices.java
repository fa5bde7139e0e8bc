package dev.platform.local.ecs;

import dev.platform.local.http.CallCounts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import dev.platform.local.eventbridge.LocalEventBus;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * ECS task definitions and services, locally, for previews and production: what the platform's ECS
 * adapter calls ({@code RegisterTaskDefinition} to {@code ListServices}), answered as ECS answers, with
 * ECS's exception names. A service rolls out like ECS: a new task definition (or {@code forceNewDeployment})
 * starts a PRIMARY deployment beside the previous ACTIVE one, which after {@code PLATFORM_LOCAL_DEPLOY_SECONDS}
 * completes — or fails and rolls back, as the deployment circuit breaker does, when the image or the {@code platform:commit}
 * tag starts with one of {@code PLATFORM_LOCAL_FAIL_DEPLOY_SHAS} — with ECS's "Deployment State Change"
 * events on the default bus.
 *
 * <p>Not thread-safe on its own: {@link LocalEcs} calls it holding its own lock, which the timers here take
 * too, so tasks and services are saved together in one file.
 */
final class LocalEcsServices {
    private static final String ARN_PREFIX = "arn:aws:ecs:us-east-1:000000000000:";
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Saves the whole ECS state (tasks and services); called holding the lock. */
    interface Saver {
        void save() throws IOException;
    }

    private final Object lock;
    private final Saver saver;
    private final LocalEventBus bus;
    private final ScheduledExecutorService timers;
    private final int deploySeconds;
    private final List<String> failShaPrefixes;
    /** Every revision, by task definition ARN, in registration order. */
    private final Map<String, ObjectNode> taskDefinitions = new LinkedHashMap<>();
    /** By service ARN; deleted services stay as INACTIVE, as DescribeServices shows them. */
    private final Map<String, ObjectNode> services = new LinkedHashMap<>();
    private final Map<String, String> serviceByClientToken = new LinkedHashMap<>();

    LocalEcsServices(Object lock, Saver saver, LocalEventBus bus, ScheduledExecutorService timers, int deploySeconds,
                     List<String> failShaPrefixes) {
        this.lock = lock;
        this.saver = saver;
        this.bus = bus;
        this.timers = timers;
        this.deploySeconds = deploySeconds;
        this.failShaPrefixes = List.copyOf(failShaPrefixes);
    }

    /** The operations answered here, for {@link LocalEcs}'s dispatch. */
    static final List<String> OPERATIONS = List.of("RegisterTaskDefinition", "DeregisterTaskDefinition",
            "DeleteTaskDefinitions", "DescribeTaskDefinition", "ListTaskDefinitions", "CreateService", "UpdateService", "DeleteService",
            "DescribeServices", "ListServices");

    ObjectNode handle(String operation, JsonNode request) throws IOException {
        return switch (operation) {
            case "RegisterTaskDefinition" -> register(request);
            case "DeregisterTaskDefinition" -> deregister(request);
            case "DeleteTaskDefinitions" -> deleteTaskDefinitions(request);
            case "DescribeTaskDefinition" -> describeTaskDefinition(request);
            case "ListTaskDefinitions" -> listTaskDefinitions(request);
            case "CreateService" -> create(request);
            case "UpdateService" -> update(request);
            case "DeleteService" -> delete(request);
            case "DescribeServices" -> describeServices(request);
            case "ListServices" -> listServices(request);
            default -> throw new LocalEcs.EcsError("ClientException", "not an ECS service operation: " + operation);
        };
    }

    // --- task definitions

    private ObjectNode register(JsonNode request) throws IOException {
        String family = request.path("family").asText("");
        if (!family.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new LocalEcs.EcsError("ClientException", "Family contains invalid characters or is missing.");
        }
        int revision = 1 + (int) taskDefinitions.values().stream()
                .filter(definition -> definition.path("family").asText().equals(family)).count();
        ObjectNode definition = ((ObjectNode) request).deepCopy();
        definition.remove("tags");
        definition.put("taskDefinitionArn", ARN_PREFIX + "task-definition/" + family + ":" + revision);
        definition.put("revision", revision);
        definition.put("status", "ACTIVE");
        definition.put("registeredAt", epochSeconds(Instant.now()));
        definition.set("tags", request.path("tags").isArray() ? request.get("tags") : Json.MAPPER.createArrayNode());
        taskDefinitions.put(definition.get("taskDefinitionArn").asText(), definition);
        saver.save();
        return withTags(definition, true);
    }

    private ObjectNode deregister(JsonNode request) throws IOException {
        if (!request.path("taskDefinition").asText().matches(".*:\\d+$")) {
            throw new LocalEcs.EcsError("ClientException", "The specified task definition identifier is invalid. "
                    + "Specify a valid name or ARN and revision.");
        }
        ObjectNode definition = taskDefinition(request.path("taskDefinition").asText(), false);
        definition.put("status", "INACTIVE");
        definition.put("deregisteredAt", epochSeconds(Instant.now()));
        saver.save();
        return withTags(definition, false);
    }

    /**
     * Deletes deregistered revisions as ECS does: an INACTIVE one goes to DELETE_IN_PROGRESS (its revision number is
     * never reused); an active or unknown one is a failure in the answer, not an error.
     */
    private ObjectNode deleteTaskDefinitions(JsonNode request) throws IOException {
        ObjectNode response = Json.object();
        ArrayNode deleted = response.putArray("taskDefinitions");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode arn : request.path("taskDefinitions")) {
            ObjectNode definition = taskDefinitions.get(arn.asText());
            if (definition == null || definition.path("status").asText().equals("DELETE_IN_PROGRESS")) {
                failures.addObject().put("arn", arn.asText()).put("reason", "The specified task definition does not exist.");
            } else if (!definition.path("status").asText().equals("INACTIVE")) {
                failures.addObject().put("arn", arn.asText())
                        .put("reason", "The specified task definition is still in ACTIVE status. Deregister it first.");
            } else {
                definition.put("status", "DELETE_IN_PROGRESS");
                deleted.add(definition.deepCopy());
            }
        }
        saver.save();
        return response;
    }

    private ObjectNode describeTaskDefinition(JsonNode request) {
        return withTags(taskDefinition(request.path("taskDefinition").asText(), false), includesTags(request));
    }

    private ObjectNode listTaskDefinitions(JsonNode request) {
        String prefix = request.path("familyPrefix").asText("");
        String status = request.path("status").asText("ACTIVE");
        ObjectNode response = Json.object();
        ArrayNode arns = response.putArray("taskDefinitionArns");
        taskDefinitions.values().stream()
                .filter(definition -> definition.path("family").asText().startsWith(prefix))
                .filter(definition -> status.equals("ALL") || definition.path("status").asText().equals(status))
                .forEach(definition -> arns.add(definition.path("taskDefinitionArn").asText()));
        return response;
    }

    /**
     * A task definition by family (its latest ACTIVE revision), family:revision or ARN.
     *
     * @param activeOnly an INACTIVE revision counts as missing (a service cannot use one)
     */
    private ObjectNode taskDefinition(String reference, boolean activeOnly) {
        String familyAndRevision = reference.contains(":task-definition/")
                ? reference.substring(reference.lastIndexOf('/') + 1) : reference;
        ObjectNode found = null;
        if (familyAndRevision.matches(".*:\\d+$")) {
            found = taskDefinitions.get(ARN_PREFIX + "task-definition/" + familyAndRevision);
        } else {
            for (ObjectNode definition : taskDefinitions.values()) {
                if (definition.path("family").asText().equals(familyAndRevision)
                        && definition.path("status").asText().equals("ACTIVE")) {
                    found = definition;
                }
            }
        }
        if (found == null || (activeOnly && !found.path("status").asText().equals("ACTIVE"))) {
            throw new LocalEcs.EcsError("ClientException", activeOnly ? "TaskDefinition not found." : "Unable to describe task definition.");
        }
        return found;
    }

    private static ObjectNode withTags(ObjectNode definition, boolean includeTags) {
        ObjectNode response = Json.object();
        ObjectNode view = definition.deepCopy();
        view.remove("tags");
        response.set("taskDefinition", view);
        if (includeTags) {
            response.set("tags", definition.path("tags"));
        }
        return response;
    }

    // --- services

    private ObjectNode create(JsonNode request) throws IOException {
        String cluster = cluster(request);
        String name = request.path("serviceName").asText("");
        if (!name.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new LocalEcs.EcsError("InvalidParameterException", "serviceName is missing or has invalid characters.");
        }
        String arn = serviceArn(cluster, name);
        String token = request.path("clientToken").asText("");
        ObjectNode existing = services.get(arn);
        if (!token.isEmpty() && arn.equals(serviceByClientToken.get(token)) && existing != null
                && !existing.path("status").asText().equals("INACTIVE")) {
            return Json.object().set("service", api(existing, false));
        }
        if (existing != null && existing.path("status").asText().equals("ACTIVE")) {
            throw new LocalEcs.EcsError("InvalidParameterException", "Creation of service was not idempotent.");
        }
        if (existing != null && existing.path("status").asText().equals("DRAINING")) {
            throw new LocalEcs.EcsError("InvalidParameterException", "Unable to Start a service that is still Draining.");
        }
        ObjectNode definition = taskDefinition(request.path("taskDefinition").asText(), true);
        ObjectNode service = Json.object();
        service.put("serviceArn", arn);
        service.put("serviceName", name);
        service.put("clusterArn", ARN_PREFIX + "cluster/" + cluster);
        service.put("status", "ACTIVE");
        service.put("desiredCount", request.path("desiredCount").asInt(0));
        service.put("runningCount", 0);
        service.put("pendingCount", 0);
        service.put("launchType", request.path("launchType").asText("FARGATE"));
        service.put("taskDefinition", definition.path("taskDefinitionArn").asText());
        service.set("loadBalancers", request.path("loadBalancers").isArray() ? request.get("loadBalancers") : Json.MAPPER.createArrayNode());
        if (request.has("networkConfiguration")) {
            service.set("networkConfiguration", request.get("networkConfiguration"));
        }
        if (request.has("deploymentConfiguration")) {
            service.set("deploymentConfiguration", request.get("deploymentConfiguration"));
        }
        service.put("propagateTags", request.path("propagateTags").asText("NONE"));
        service.put("createdAt", epochSeconds(Instant.now()));
        service.putArray("deployments");
        service.set("tags", request.path("tags").isArray() ? request.get("tags") : Json.MAPPER.createArrayNode());
        services.put(arn, service);
        if (!token.isEmpty()) {
            serviceByClientToken.put(token, arn);
        }
        deploy(service);
        return Json.object().set("service", api(service, false));
    }

    private ObjectNode update(JsonNode request) throws IOException {
        ObjectNode service = activeService(request.path("cluster"), request.path("service").asText());
        if (request.hasNonNull("desiredCount")) {
            service.put("desiredCount", request.get("desiredCount").asInt());
        }
        String arn = request.hasNonNull("taskDefinition")
                ? taskDefinition(request.get("taskDefinition").asText(), true).path("taskDefinitionArn").asText()
                : service.path("taskDefinition").asText();
        if (!arn.equals(service.path("taskDefinition").asText()) || request.path("forceNewDeployment").asBoolean(false)) {
            service.put("taskDefinition", arn);
            deploy(service);
            return Json.object().set("service", api(service, false));
        }
        ObjectNode primary = primary(service);
        primary.put("desiredCount", service.path("desiredCount").asInt());
        if (primary.path("rolloutState").asText().equals("COMPLETED")) {
            // a change of count alone scales the running deployment at once
            primary.put("runningCount", service.path("desiredCount").asInt());
            service.put("runningCount", service.path("desiredCount").asInt());
        }
        saver.save();
        return Json.object().set("service", api(service, false));
    }

    private ObjectNode delete(JsonNode request) throws IOException {
        ObjectNode service = activeService(request.path("cluster"), request.path("service").asText());
        if (service.path("desiredCount").asInt() > 0 && !request.path("force").asBoolean(false)) {
            throw new LocalEcs.EcsError("InvalidParameterException", "The service cannot be stopped while it is scaled above 0.");
        }
        service.put("status", "DRAINING");
        service.put("desiredCount", 0);
        service.put("runningCount", 0);
        saver.save();
        String arn = service.path("serviceArn").asText();
        timers.schedule(() -> locked(() -> drained(arn)), deploySeconds, TimeUnit.SECONDS);
        return Json.object().set("service", api(service, false));
    }

    private void drained(String arn) throws IOException {
        ObjectNode service = services.get(arn);
        if (service != null && service.path("status").asText().equals("DRAINING")) {
            service.put("status", "INACTIVE");
            service.putArray("deployments");
            saver.save();
        }
    }

    private ObjectNode describeServices(JsonNode request) {
        String cluster = cluster(request);
        boolean tags = includesTags(request);
        ObjectNode response = Json.object();
        ArrayNode found = response.putArray("services");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode reference : request.path("services")) {
            String arn = serviceArn(cluster, reference.asText());
            ObjectNode service = services.get(arn);
            if (service == null) {
                failures.addObject().put("arn", arn).put("reason", "MISSING");
            } else {
                found.add(api(service, tags));
            }
        }
        return response;
    }

    private ObjectNode listServices(JsonNode request) {
        String clusterArn = ARN_PREFIX + "cluster/" + cluster(request);
        ObjectNode response = Json.object();
        ArrayNode arns = response.putArray("serviceArns");
        services.values().stream()
                .filter(service -> service.path("clusterArn").asText().equals(clusterArn))
                .filter(service -> !service.path("status").asText().equals("INACTIVE"))
                .forEach(service -> arns.add(service.path("serviceArn").asText()));
        return response;
    }

    private ObjectNode activeService(JsonNode cluster, String reference) {
        ObjectNode service = services.get(serviceArn(cluster.asText("default").replaceFirst("^.*:cluster/", ""), reference));
        if (service == null) {
            throw new LocalEcs.EcsError("ServiceNotFoundException", "Service not found.");
        }
        if (!service.path("status").asText().equals("ACTIVE")) {
            throw new LocalEcs.EcsError("ServiceNotActiveException", "Service was not ACTIVE.");
        }
        return service;
    }

    private static String cluster(JsonNode request) {
        return request.path("cluster").asText("default").replaceFirst("^.*:cluster/", "");
    }

    private static String serviceArn(String cluster, String reference) {
        return reference.startsWith("arn:") ? reference : ARN_PREFIX + "service/" + cluster + "/" + reference;
    }

    private static boolean includesTags(JsonNode request) {
        for (JsonNode field : request.path("include")) {
            if (field.asText().equals("TAGS")) {
                return true;
            }
        }
        return false;
    }

    /** The service as ECS returns it; its tags only when asked for. */
    private static ObjectNode api(ObjectNode service, boolean includeTags) {
        ObjectNode copy = service.deepCopy();
        if (!includeTags) {
            copy.remove("tags");
        }
        return copy;
    }

    // --- deployments

    /**
     * A new PRIMARY deployment of the service's task definition; the previous PRIMARY, if any, goes on
     * running as ACTIVE until this one ends. With no task to start it completes at once.
     */
    private void deploy(ObjectNode service) throws IOException {
        ArrayNode deployments = (ArrayNode) service.get("deployments");
        for (JsonNode previous : deployments) {
            ((ObjectNode) previous).put("status", "ACTIVE");
        }
        String id = "ecs-svc/" + ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE);
        double now = epochSeconds(Instant.now());
        ObjectNode deployment = Json.object();
        deployment.put("id", id);
        deployment.put("status", "PRIMARY");
        deployment.put("taskDefinition", service.path("taskDefinition").asText());
        deployment.put("desiredCount", service.path("desiredCount").asInt());
        deployment.put("pendingCount", 0);
        deployment.put("runningCount", 0);
        deployment.put("failedTasks", 0);
        deployment.put("createdAt", now);
        deployment.put("updatedAt", now);
        deployment.put("launchType", service.path("launchType").asText());
        deployment.put("rolloutState", "IN_PROGRESS");
        deployment.put("rolloutStateReason", "ECS deployment " + id + " in progress.");
        deployments.insert(0, deployment);
        saver.save();
        event(service, "INFO", "SERVICE_DEPLOYMENT_IN_PROGRESS", id, "ECS deployment " + id + " in progress.");
        if (service.path("desiredCount").asInt() == 0) {
            finish(service.path("serviceArn").asText(), id); // no task to start: done at once
        } else {
            scheduleCompletion(service.path("serviceArn").asText(), id, deploySeconds);
        }
    }

    private void scheduleCompletion(String serviceArn, String deploymentId, int seconds) {
        timers.schedule(() -> locked(() -> finish(serviceArn, deploymentId)), seconds, TimeUnit.SECONDS);
    }

    /** The deployment's end, if it is still the service's rolling PRIMARY one. */
    private void finish(String serviceArn, String deploymentId) throws IOException {
        ObjectNode service = services.get(serviceArn);
        if (service == null || !service.path("status").asText().equals("ACTIVE")) {
            return;
        }
        ObjectNode primary = primary(service);
        if (!primary.path("id").asText().equals(deploymentId) || !primary.path("rolloutState").asText().equals("IN_PROGRESS")) {
            return;
        }
        ArrayNode deployments = (ArrayNode) service.get("deployments");
        primary.put("updatedAt", epochSeconds(Instant.now()));
        if (fails(taskDefinitions.get(primary.path("taskDefinition").asText()))) {
            primary.put("rolloutState", "FAILED");
            primary.put("rolloutStateReason", "ECS deployment circuit breaker: tasks failed to start.");
            ObjectNode previous = deployments.size() > 1 ? (ObjectNode) deployments.get(1) : null;
            deployments.removeAll();
            if (previous != null) {
                previous.put("status", "PRIMARY");
                previous.put("rolloutState", "COMPLETED");
                previous.put("updatedAt", epochSeconds(Instant.now()));
                deployments.add(previous);
                service.put("taskDefinition", previous.path("taskDefinition").asText());
                service.put("runningCount", previous.path("runningCount").asInt());
            } else {
                deployments.add(primary);
                service.put("runningCount", 0);
            }
            saver.save();
            event(service, "ERROR", "SERVICE_DEPLOYMENT_FAILED", deploymentId, "ECS deployment circuit breaker: tasks failed to start.");
            return;
        }
        int desired = service.path("desiredCount").asInt();
        primary.put("rolloutState", "COMPLETED");
        primary.put("rolloutStateReason", "ECS deployment " + deploymentId + " completed.");
        primary.put("desiredCount", desired);
        primary.put("runningCount", desired);
        deployments.removeAll();
        deployments.add(primary);
        service.put("runningCount", desired);
        saver.save();
        event(service, "INFO", "SERVICE_DEPLOYMENT_COMPLETED", deploymentId, "ECS deployment " + deploymentId + " completed.");
    }

    private boolean fails(ObjectNode definition) {
        if (definition == null) {
            return true;
        }
        String commit = "";
        for (JsonNode tag : definition.path("tags")) {
            if (tag.path("key").asText().equals("platform:commit")) {
                commit = tag.path("value").asText();
            }
        }
        String image = definition.path("containerDefinitions").path(0).path("image").asText("");
        String tagOfImage = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
        String failingCommit = commit;
        return failShaPrefixes.stream().anyMatch(prefix -> failingCommit.startsWith(prefix) || tagOfImage.startsWith(prefix)
                || image.startsWith(prefix));
    }

    private static ObjectNode primary(ObjectNode service) {
        for (JsonNode deployment : service.path("deployments")) {
            if (deployment.path("status").asText().equals("PRIMARY")) {
                return (ObjectNode) deployment;
            }
        }
        throw new IllegalStateException("service " + service.path("serviceArn").asText() + " has no PRIMARY deployment");
    }

    /** An "ECS Deployment State Change" on the default bus, as ECS sends it. */
    private void event(ObjectNode service, String type, String name, String deploymentId, String reason) {
        ObjectNode detail = Json.object();
        detail.put("eventType", type);
        detail.put("eventName", name);
        detail.put("deploymentId", deploymentId);
        detail.put("updatedAt", ISO_MILLIS.format(Instant.now()));
        detail.put("reason", reason);
        try {
            bus.put(LocalEventBus.DEFAULT_BUS, "aws.ecs", "ECS Deployment State Change",
                    List.of(service.path("serviceArn").asText()), detail);
        } catch (IOException | RuntimeException e) {
            JsonLog.error("local ECS could not put a deployment state change on the default bus",
                    Map.of("serviceArn", service.path("serviceArn").asText(), "eventName", name), e);
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    private void locked(Step step) {
        synchronized (lock) {
            try {
                step.run();
            } catch (IOException | RuntimeException e) {
                JsonLog.error("local ECS service step failed", Map.of(), e);
            }
        }
    }

    private static double epochSeconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    // --- what the rest of the runtime reads

    /** The ACTIVE service that a target group's traffic goes to, if any. */
    Optional<LocalEcs.Serving> serving(String targetGroupArn) {
        for (ObjectNode service : services.values()) {
            if (!service.path("status").asText().equals("ACTIVE")) {
                continue;
            }
            for (JsonNode balancer : service.path("loadBalancers")) {
                if (balancer.path("targetGroupArn").asText().equals(targetGroupArn)) {
                    ObjectNode definition = taskDefinitions.get(service.path("taskDefinition").asText());
                    return Optional.of(new LocalEcs.Serving(service.path("runningCount").asInt(),
                            definition == null ? Map.of() : tags(definition.path("tags"))));
                }
            }
        }
        return Optional.empty();
    }

    /** ACTIVE services, for {@code GET /_local/resources}. */
    ArrayNode serviceResources() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ObjectNode service : services.values()) {
            if (!service.path("status").asText().equals("ACTIVE")) {
                continue;
            }
            ObjectNode view = list.addObject();
            view.put("serviceName", service.path("serviceName").asText());
            view.put("desiredCount", service.path("desiredCount").asInt());
            view.put("runningCount", service.path("runningCount").asInt());
            view.put("taskDefinition", service.path("taskDefinition").asText());
            view.put("createdAt", instant(service.path("createdAt")));
            view.set("tags", Json.MAPPER.valueToTree(tags(service.path("tags"))));
            ArrayNode targetGroups = view.putArray("targetGroups");
            for (JsonNode balancer : service.path("loadBalancers")) {
                String arn = balancer.path("targetGroupArn").asText();
                // arn:aws:elasticloadbalancing:...:targetgroup/<name>/<id>
                String[] parts = arn.split("/");
                targetGroups.add(parts.length >= 3 ? parts[parts.length - 2] : arn);
            }
            ArrayNode deployments = view.putArray("deployments");
            for (JsonNode deployment : service.path("deployments")) {
                deployments.addObject().put("id", deployment.path("id").asText())
                        .put("status", deployment.path("status").asText())
                        .put("rolloutState", deployment.path("rolloutState").asText())
                        .put("taskDefinition", deployment.path("taskDefinition").asText())
                        .put("createdAt", instant(deployment.path("createdAt")))
                        .put("updatedAt", instant(deployment.path("updatedAt")));
            }
        }
        return list;
    }

    /** ACTIVE task definitions, for {@code GET /_local/resources}. */
    ArrayNode taskDefinitionResources() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ObjectNode definition : taskDefinitions.values()) {
            if (definition.path("status").asText().equals("ACTIVE")) {
                list.addObject().put("arn", definition.path("taskDefinitionArn").asText())
                        .put("family", definition.path("family").asText())
                        .put("revision", definition.path("revision").asInt())
                        .put("image", definition.path("containerDefinitions").path(0).path("image").asText(""))
                        .set("tags", Json.MAPPER.valueToTree(tags(definition.path("tags"))));
            }
        }
        return list;
    }

    /** An ECS timestamp (epoch seconds, fractional) as ISO-8601 with milliseconds, or null. */
    private static String instant(JsonNode epochSeconds) {
        return epochSeconds.isNumber()
                ? ISO_MILLIS.format(Instant.ofEpochMilli(Math.round(epochSeconds.asDouble() * 1000))) : null;
    }

    private static Map<String, String> tags(JsonNode tags) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.forEach(tag -> map.put(tag.path("key").asText(), tag.path("value").asText()));
        return map;
    }

    // --- persistence, within LocalEcs's file

    void saveInto(ObjectNode state) {
        ArrayNode definitions = state.putArray("taskDefinitions");
        taskDefinitions.values().forEach(definitions::add);
        ArrayNode list = state.putArray("services");
        services.values().forEach(list::add);
        ObjectNode tokens = state.putObject("serviceClientTokens");
        serviceByClientToken.forEach(tokens::put);
    }

    /** Restores the saved state; a deployment or a drain in flight at the restart ends after it. */
    void load(JsonNode saved) {
        saved.path("taskDefinitions").forEach(d -> taskDefinitions.put(d.path("taskDefinitionArn").asText(), (ObjectNode) d));
        saved.path("services").forEach(s -> services.put(s.path("serviceArn").asText(), (ObjectNode) s));
        saved.path("serviceClientTokens").fields().forEachRemaining(e -> serviceByClientToken.put(e.getKey(), e.getValue().asText()));
        for (ObjectNode service : services.values()) {
            String arn = service.path("serviceArn").asText();
            if (service.path("status").asText().equals("DRAINING")) {
                timers.schedule(() -> locked(() -> drained(arn)), deploySeconds, TimeUnit.SECONDS);
            } else if (service.path("status").asText().equals("ACTIVE")
                    && primary(service).path("rolloutState").asText().equals("IN_PROGRESS")) {
                scheduleCompletion(arn, primary(service).path("id").asText(), deploySeconds);
            }
        }
    }
}
