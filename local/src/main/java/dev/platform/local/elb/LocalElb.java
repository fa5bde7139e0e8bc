package dev.platform.local.elb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.Hashes;
import dev.platform.core.json.Json;
import dev.platform.embedded.FreePort;
import dev.platform.local.http.AwsJson;
import dev.platform.local.http.CallCounts;
import dev.platform.local.http.Exchanges;
import dev.platform.local.http.QueryForm;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Elastic Load Balancing v2, locally, for preview and production routing: target groups, listener rules
 * and tags over the AWS Query protocol, so the platform's real ELBv2 adapter runs against it, with
 * ELBv2's error codes. At start there is one load balancer with one HTTPS listener per preview shard
 * ({@code PLATFORM_LOCAL_PREVIEW_SHARDS}) and one for production; their ARNs are derived from their names,
 * so they stay the same across restarts. Nothing listens on them: the runtime's own HTTP server routes by
 * Host through {@link #forward(String)} ({@link LocalRouter}).
 *
 * <p>Target groups of type {@code lambda} (no protocol, port or VPC, health checks off, as on AWS) hold one
 * registered Lambda function ({@code RegisterTargets}); a rule forwarding to one invokes it. The targets of
 * the other types are the local ECS's tasks, which it registers itself: {@code RegisterTargets} refuses them.
 */
public final class LocalElb implements AutoCloseable {
    static final String NAMESPACE = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private static final String ARN_PREFIX = "arn:aws:elasticloadbalancing:us-east-1:000000000000:";
    private static final int MAX_TAGGED_RESOURCES = 20;
    static final String LAMBDA = "lambda";
    private static final Pattern FUNCTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?");

    /** A listener the runtime created at start: preview shards 0..n-1, then production (shard -1). */
    public record Listener(String arn, String loadBalancerArn, int shard, String defaultRuleArn) {
    }

    /**
     * Where a listener rule sends a host's requests.
     *
     * @param loadBalancerArn the load balancer of the rule's listener
     * @param targetType the target group's ({@code ip}, {@code lambda}, ...)
     * @param targets the registered targets of a {@code lambda} group (its function, if registered); empty otherwise
     */
    public record Forward(String loadBalancerArn, String targetGroupArn, String targetType, List<String> targets) {
        public Forward {
            targets = List.copyOf(targets);
        }

        public boolean lambda() {
            return LAMBDA.equals(targetType);
        }
    }

    private final HttpServer server;
    private final CallCounts calls = new CallCounts();
    private final String host;
    private final Path file;
    private final List<Listener> listeners = new ArrayList<>();
    /** By ARN, in the API's shape. */
    private final Map<String, ObjectNode> targetGroups = new LinkedHashMap<>();
    /** The settings a target group was created with (all parameters but its tags), for CreateTargetGroup's idempotency. */
    private final Map<String, ObjectNode> targetGroupSettings = new LinkedHashMap<>();
    /** Non-default rules by ARN, in the API's shape, each with its listener ARN under {@code ListenerArn}. */
    private final Map<String, ObjectNode> rules = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> tags = new LinkedHashMap<>();
    /** The registered targets of lambda target groups (a function ARN each), by target group ARN. */
    private final Map<String, List<String>> targets = new LinkedHashMap<>();

    private static final class ElbError extends RuntimeException {
        final String code;

        ElbError(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private LocalElb(HttpServer server, String host, Path file, int previewShards) {
        this.server = server;
        this.host = host;
        this.file = file;
        for (int shard = 0; shard < previewShards; shard++) {
            listeners.add(listener("platform-preview-" + shard, shard));
        }
        listeners.add(listener("platform-production", -1));
    }

    private static Listener listener(String loadBalancer, int shard) {
        String balancerId = Hashes.sha256Hex(loadBalancer, 16);
        String listenerId = Hashes.sha256Hex(loadBalancer + "/443", 16);
        String listenerPath = "app/" + loadBalancer + "/" + balancerId + "/" + listenerId;
        return new Listener(ARN_PREFIX + "listener/" + listenerPath, ARN_PREFIX + "loadbalancer/app/" + loadBalancer + "/" + balancerId,
                shard, ARN_PREFIX + "listener-rule/" + listenerPath + "/" + Hashes.sha256Hex(loadBalancer + "/default", 16));
    }

    /** @param file where target groups, rules and tags are kept across restarts, or null to keep them in memory */
    public static LocalElb start(String host, Path file, int previewShards) throws IOException {
        HttpServer server = Exchanges.listen(host, 0, 64);
        LocalElb elb = new LocalElb(server, host, file, previewShards);
        elb.load();
        server.createContext("/", elb::serve);
        server.start();
        return elb;
    }

    public URI endpoint() {
        return FreePort.url(host, server.getAddress().getPort());
    }

    /** The preview shards' listener ARNs, shard 0 first. */
    public List<String> previewListenerArns() {
        return listeners.stream().filter(l -> l.shard() >= 0).map(Listener::arn).toList();
    }

    public String productionListenerArn() {
        return listeners.get(listeners.size() - 1).arn();
    }

    /** The target group a rule of any listener forwards requests for this host to, if one does. */
    public Optional<String> forwardTarget(String hostName) {
        return forward(hostName).map(Forward::targetGroupArn);
    }

    /** Where the first rule (by priority) that names this host forwards its requests, if one does. */
    public synchronized Optional<Forward> forward(String hostName) {
        for (ObjectNode rule : sortedRules()) {
            if (hosts(rule).contains(hostName)) {
                Optional<String> target = forwardedTo(rule).stream().findFirst();
                if (target.isEmpty()) {
                    return Optional.empty();
                }
                String listenerArn = rule.path("ListenerArn").asText();
                String loadBalancerArn = listeners.stream().filter(l -> l.arn().equals(listenerArn)).findFirst()
                        .map(Listener::loadBalancerArn).orElseThrow();
                ObjectNode group = targetGroups.get(target.get());
                return Optional.of(new Forward(loadBalancerArn, target.get(), group.path("TargetType").asText(),
                        targets.getOrDefault(target.get(), List.of())));
            }
        }
        return Optional.empty();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString();
            ObjectNode request = QueryForm.tree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String action = request.path("Action").asText();
            calls.count(action);
            try {
                JsonNode result;
                synchronized (this) {
                    result = switch (action) {
                        case "CreateTargetGroup" -> createTargetGroup(request);
                        case "DescribeTargetGroups" -> describeTargetGroups(request);
                        case "DeleteTargetGroup" -> deleteTargetGroup(request);
                        case "RegisterTargets" -> registerTargets(request);
                        case "DeregisterTargets" -> deregisterTargets(request);
                        case "DescribeTargetHealth" -> describeTargetHealth(request);
                        case "CreateRule" -> createRule(request);
                        case "ModifyRule" -> modifyRule(request);
                        case "DeleteRule" -> deleteRule(request);
                        case "DescribeRules" -> describeRules(request);
                        case "DescribeTags" -> describeTags(request);
                        case "AddTags" -> addTags(request);
                        case "RemoveTags" -> removeTags(request);
                        default -> throw new ElbError("InvalidAction", "the local ELBv2 does not answer " + action);
                    };
                }
                send(exchange, 200, QueryForm.response(action, NAMESPACE, result, requestId));
            } catch (ElbError e) {
                send(exchange, 400, QueryForm.error(NAMESPACE, e.code, e.getMessage(), requestId));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String xml) throws IOException {
        Exchanges.send(exchange, status, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    // --- target groups

    private JsonNode createTargetGroup(ObjectNode request) throws IOException {
        String name = request.path("Name").asText("");
        if (!name.matches("[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?")) {
            throw new ElbError("ValidationError", "Target group name '" + name + "' can have a maximum of 32 characters, "
                    + "contain only alphanumerics and hyphens, and not begin or end with a hyphen");
        }
        ObjectNode settings = request.deepCopy();
        settings.remove(List.of("Action", "Version", "Tags"));
        Optional<ObjectNode> existing = targetGroupNamed(name);
        if (existing.isPresent()) {
            String arn = existing.get().path("TargetGroupArn").asText();
            if (!targetGroupSettings.get(arn).equals(settings)) {
                throw new ElbError("DuplicateTargetGroupName", "A target group with the same name '" + name
                        + "' exists, but with different settings");
            }
            return Json.object().set("TargetGroups", Json.MAPPER.createArrayNode().add(view(existing.get())));
        }
        String arn = ARN_PREFIX + "targetgroup/" + name + "/" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ObjectNode group = newTargetGroup(arn, request);
        tags.put(arn, tagMap(request.path("Tags")));
        save();
        return Json.object().set("TargetGroups", Json.MAPPER.createArrayNode().add(view(group)));
    }

    private Optional<ObjectNode> targetGroupNamed(String name) {
        return targetGroups.values().stream().filter(g -> g.path("TargetGroupName").asText().equals(name)).findFirst();
    }

    /** A target group as CreateTargetGroup makes it, with ELBv2's defaults for what the request leaves out; kept. */
    private ObjectNode newTargetGroup(String arn, ObjectNode request) {
        String targetType = request.path("TargetType").asText("instance");
        boolean lambda = targetType.equals(LAMBDA);
        ObjectNode group = Json.object();
        group.put("TargetGroupArn", arn);
        group.put("TargetGroupName", request.path("Name").asText());
        if (lambda) {
            // ELBv2 invokes the function directly: no protocol, port or VPC, and no health checks unless enabled
            for (String notForLambda : List.of("Protocol", "Port", "VpcId", "ProtocolVersion", "HealthCheckProtocol", "HealthCheckPort")) {
                if (request.has(notForLambda)) {
                    throw new ElbError("ValidationError", notForLambda + " cannot be specified for target groups with target type 'lambda'");
                }
            }
            group.put("HealthCheckEnabled", request.path("HealthCheckEnabled").asText("false"));
            group.put("HealthCheckIntervalSeconds", request.path("HealthCheckIntervalSeconds").asText("35"));
            group.put("HealthCheckTimeoutSeconds", request.path("HealthCheckTimeoutSeconds").asText("30"));
        } else {
            group.put("Protocol", request.path("Protocol").asText("HTTP"));
            group.put("Port", request.path("Port").asText("80"));
            group.put("VpcId", request.path("VpcId").asText(""));
            group.put("HealthCheckProtocol", request.path("HealthCheckProtocol").asText(group.get("Protocol").asText()));
            group.put("HealthCheckPort", request.path("HealthCheckPort").asText("traffic-port"));
            group.put("HealthCheckEnabled", request.path("HealthCheckEnabled").asText("true"));
            group.put("HealthCheckIntervalSeconds", request.path("HealthCheckIntervalSeconds").asText("30"));
            group.put("HealthCheckTimeoutSeconds", request.path("HealthCheckTimeoutSeconds").asText("5"));
        }
        group.put("HealthyThresholdCount", request.path("HealthyThresholdCount").asText("5"));
        group.put("UnhealthyThresholdCount", request.path("UnhealthyThresholdCount").asText("2"));
        group.put("HealthCheckPath", request.path("HealthCheckPath").asText("/"));
        group.putObject("Matcher").put("HttpCode", request.path("Matcher").path("HttpCode").asText("200"));
        group.put("TargetType", targetType);
        if (!lambda) {
            group.put("ProtocolVersion", request.path("ProtocolVersion").asText("HTTP1"));
        }
        group.put("IpAddressType", request.path("IpAddressType").asText("ipv4"));
        ObjectNode settings = request.deepCopy();
        settings.remove(List.of("Action", "Version", "Tags"));
        targetGroups.put(arn, group);
        targetGroupSettings.put(arn, settings);
        return group;
    }

    /**
     * The runtime's own lambda target group {@code name}, with {@code functionArn} its one target: created at the
     * first start (its ARN derived from its name, so the same in every run), found again in {@code elb.json} at the
     * next. Its target is set to {@code functionArn} if another was registered.
     *
     * @throws IllegalStateException when a target group of another type has this name
     */
    public synchronized String ensureLambdaTargetGroup(String name, String functionArn) throws IOException {
        Optional<ObjectNode> existing = targetGroupNamed(name);
        String arn;
        if (existing.isPresent()) {
            arn = existing.get().path("TargetGroupArn").asText();
            if (!existing.get().path("TargetType").asText().equals(LAMBDA)) {
                throw new IllegalStateException("target group " + name + " exists with target type "
                        + existing.get().path("TargetType").asText() + ", but the runtime's own " + name + " is a lambda target group"
                        + (file == null ? "" : " (delete it from " + file + ")"));
            }
            if (targets.getOrDefault(arn, List.of()).equals(List.of(functionArn))) {
                return arn;
            }
        } else {
            arn = ARN_PREFIX + "targetgroup/" + name + "/" + Hashes.sha256Hex("targetgroup/" + name, 16);
            ObjectNode request = Json.object().put("Name", name).put("TargetType", LAMBDA);
            newTargetGroup(arn, request);
            tags.put(arn, new LinkedHashMap<>());
        }
        targets.put(arn, new ArrayList<>(List.of(functionArn)));
        save();
        return arn;
    }

    /** A target group as DescribeTargetGroups shows it, with the load balancers whose rules forward to it. */
    private ObjectNode view(ObjectNode group) {
        ObjectNode view = group.deepCopy();
        ArrayNode balancers = view.putArray("LoadBalancerArns");
        String arn = group.path("TargetGroupArn").asText();
        for (Listener listener : listeners) {
            boolean used = rules.values().stream().anyMatch(rule -> rule.path("ListenerArn").asText().equals(listener.arn())
                    && forwardedTo(rule).contains(arn));
            if (used) {
                balancers.add(listener.loadBalancerArn());
            }
        }
        return view;
    }

    private JsonNode describeTargetGroups(ObjectNode request) {
        ArrayNode found = Json.MAPPER.createArrayNode();
        if (request.has("Names")) {
            for (JsonNode name : request.get("Names")) {
                ObjectNode group = targetGroups.values().stream()
                        .filter(g -> g.path("TargetGroupName").asText().equals(name.asText())).findFirst()
                        .orElseThrow(() -> new ElbError("TargetGroupNotFound", "One or more target groups not found"));
                found.add(view(group));
            }
        } else if (request.has("TargetGroupArns")) {
            for (JsonNode arn : request.get("TargetGroupArns")) {
                ObjectNode group = targetGroups.get(arn.asText());
                if (group == null) {
                    throw new ElbError("TargetGroupNotFound", "One or more target groups not found");
                }
                found.add(view(group));
            }
        } else {
            targetGroups.values().forEach(group -> found.add(view(group)));
        }
        return Json.object().set("TargetGroups", found);
    }

    private JsonNode deleteTargetGroup(ObjectNode request) throws IOException {
        String arn = request.path("TargetGroupArn").asText();
        if (rules.values().stream().anyMatch(rule -> forwardedTo(rule).contains(arn))) {
            throw new ElbError("ResourceInUse", "Target group '" + arn + "' is currently in use by a listener or a rule");
        }
        if (targetGroups.remove(arn) != null) {
            targetGroupSettings.remove(arn);
            tags.remove(arn);
            targets.remove(arn);
            save();
        }
        return Json.object();
    }

    // --- targets (of lambda target groups)

    private ObjectNode targetGroup(String arn) {
        ObjectNode group = targetGroups.get(arn);
        if (group == null) {
            throw new ElbError("TargetGroupNotFound", "One or more target groups not found");
        }
        return group;
    }

    private List<String> targetIds(ObjectNode request) {
        List<String> ids = new ArrayList<>();
        request.path("Targets").forEach(target -> ids.add(target.path("Id").asText("")));
        if (ids.isEmpty()) {
            throw new ElbError("ValidationError", "At least one target must be specified");
        }
        return ids;
    }

    private JsonNode registerTargets(ObjectNode request) throws IOException {
        String arn = request.path("TargetGroupArn").asText();
        ObjectNode group = targetGroup(arn);
        if (!group.path("TargetType").asText().equals(LAMBDA)) {
            throw new ElbError("ValidationError", "the local ELBv2 registers the targets of lambda target groups only; "
                    + "the local ECS registers its tasks in target groups of type " + group.path("TargetType").asText() + " itself");
        }
        List<String> ids = targetIds(request);
        for (String id : ids) {
            if (!FUNCTION_ARN.matcher(id).matches()) {
                throw new ElbError("InvalidTarget", "The target '" + id + "' is not a Lambda function ARN");
            }
        }
        List<String> registered = targets.computeIfAbsent(arn, a -> new ArrayList<>());
        List<String> after = new ArrayList<>(registered);
        ids.stream().filter(id -> !after.contains(id)).distinct().forEach(after::add);
        if (after.size() > 1) {
            throw new ElbError("TooManyTargets", "A target group of type lambda can have only one registered Lambda function");
        }
        registered.clear();
        registered.addAll(after);
        save();
        return Json.object();
    }

    private JsonNode deregisterTargets(ObjectNode request) throws IOException {
        String arn = request.path("TargetGroupArn").asText();
        targetGroup(arn);
        List<String> ids = targetIds(request);
        List<String> registered = targets.getOrDefault(arn, new ArrayList<>());
        if (registered.removeAll(ids)) {
            save();
        }
        return Json.object();
    }

    /** A lambda target is shown as ELBv2 shows one with health checks off: {@code unavailable}, checks disabled. */
    private JsonNode describeTargetHealth(ObjectNode request) {
        String arn = request.path("TargetGroupArn").asText();
        ObjectNode group = targetGroup(arn);
        if (!group.path("TargetType").asText().equals(LAMBDA)) {
            throw new ElbError("ValidationError", "the local ELBv2 describes the targets of lambda target groups only");
        }
        boolean checked = group.path("HealthCheckEnabled").asBoolean();
        ArrayNode descriptions = Json.MAPPER.createArrayNode();
        for (String id : targets.getOrDefault(arn, List.of())) {
            ObjectNode description = descriptions.addObject();
            description.putObject("Target").put("Id", id);
            ObjectNode health = description.putObject("TargetHealth");
            if (checked) {
                health.put("State", "healthy");
            } else {
                health.put("State", "unavailable").put("Reason", "Target.HealthCheckDisabled").put("Description", "Health checks are disabled");
            }
        }
        return Json.object().set("TargetHealthDescriptions", descriptions);
    }

    // --- rules

    private JsonNode createRule(ObjectNode request) throws IOException {
        String listenerArn = request.path("ListenerArn").asText();
        Listener listener = listeners.stream().filter(l -> l.arn().equals(listenerArn)).findFirst()
                .orElseThrow(() -> new ElbError("ListenerNotFound", "One or more listeners not found"));
        String priority = request.path("Priority").asText("");
        if (!priority.matches("\\d{1,5}") || Integer.parseInt(priority) < 1 || Integer.parseInt(priority) > 50_000) {
            throw new ElbError("ValidationError", "Priority must be from 1 to 50000, got '" + priority + "'");
        }
        boolean taken = rules.values().stream().anyMatch(rule -> rule.path("ListenerArn").asText().equals(listenerArn)
                && rule.path("Priority").asText().equals(priority));
        if (taken) {
            throw new ElbError("PriorityInUse", "Priority '" + priority + "' is currently in use");
        }
        ObjectNode rule = Json.object();
        String path = listener.arn().substring((ARN_PREFIX + "listener/").length());
        String arn = ARN_PREFIX + "listener-rule/" + path + "/" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        rule.put("RuleArn", arn);
        rule.put("Priority", priority);
        rule.set("Conditions", conditions(request.path("Conditions")));
        rule.set("Actions", actions(request.path("Actions")));
        rule.put("IsDefault", "false");
        rule.put("ListenerArn", listenerArn);
        rules.put(arn, rule);
        tags.put(arn, tagMap(request.path("Tags")));
        save();
        return Json.object().set("Rules", Json.MAPPER.createArrayNode().add(ruleView(rule)));
    }

    private ArrayNode conditions(JsonNode conditions) {
        if (!conditions.isArray() || conditions.isEmpty()) {
            throw new ElbError("ValidationError", "A rule must have at least one condition");
        }
        return (ArrayNode) conditions.deepCopy();
    }

    private ArrayNode actions(JsonNode actions) {
        if (!actions.isArray() || actions.isEmpty()) {
            throw new ElbError("ValidationError", "A rule must have at least one action");
        }
        for (JsonNode action : actions) {
            List<String> targets = new ArrayList<>();
            if (action.hasNonNull("TargetGroupArn")) {
                targets.add(action.get("TargetGroupArn").asText());
            }
            action.path("ForwardConfig").path("TargetGroups").forEach(t -> targets.add(t.path("TargetGroupArn").asText()));
            for (String target : targets) {
                if (!targetGroups.containsKey(target)) {
                    throw new ElbError("TargetGroupNotFound", "Target group '" + target + "' not found");
                }
            }
        }
        return (ArrayNode) actions.deepCopy();
    }

    private JsonNode modifyRule(ObjectNode request) throws IOException {
        ObjectNode rule = rule(request.path("RuleArn").asText());
        if (request.has("Actions")) {
            rule.set("Actions", actions(request.get("Actions")));
        }
        if (request.has("Conditions")) {
            rule.set("Conditions", conditions(request.get("Conditions")));
        }
        save();
        return Json.object().set("Rules", Json.MAPPER.createArrayNode().add(ruleView(rule)));
    }

    private JsonNode deleteRule(ObjectNode request) throws IOException {
        String arn = request.path("RuleArn").asText();
        if (listeners.stream().anyMatch(l -> l.defaultRuleArn().equals(arn))) {
            throw new ElbError("OperationNotPermitted", "Default rule '" + arn + "' cannot be deleted");
        }
        rule(arn);
        rules.remove(arn);
        tags.remove(arn);
        save();
        return Json.object();
    }

    private ObjectNode rule(String arn) {
        ObjectNode rule = rules.get(arn);
        if (rule == null) {
            throw new ElbError("RuleNotFound", "One or more rules not found");
        }
        return rule;
    }

    private JsonNode describeRules(ObjectNode request) {
        ArrayNode found = Json.MAPPER.createArrayNode();
        if (request.has("RuleArns")) {
            for (JsonNode arn : request.get("RuleArns")) {
                Optional<Listener> ofDefault = listeners.stream().filter(l -> l.defaultRuleArn().equals(arn.asText())).findFirst();
                found.add(ofDefault.isPresent() ? defaultRule(ofDefault.get()) : ruleView(rule(arn.asText())));
            }
        } else {
            String listenerArn = request.path("ListenerArn").asText();
            Listener listener = listeners.stream().filter(l -> l.arn().equals(listenerArn)).findFirst()
                    .orElseThrow(() -> new ElbError("ListenerNotFound", "One or more listeners not found"));
            sortedRules().stream().filter(rule -> rule.path("ListenerArn").asText().equals(listenerArn))
                    .forEach(rule -> found.add(ruleView(rule)));
            found.add(defaultRule(listener));
        }
        return Json.object().set("Rules", found);
    }

    /** A listener's default rule, as ELBv2 shows it: the platform's listeners answer 404 to a host no rule names. */
    private static ObjectNode defaultRule(Listener listener) {
        ObjectNode rule = Json.object();
        rule.put("RuleArn", listener.defaultRuleArn());
        rule.put("Priority", "default");
        rule.putArray("Conditions");
        ObjectNode action = rule.putArray("Actions").addObject();
        action.put("Type", "fixed-response");
        action.putObject("FixedResponseConfig").put("StatusCode", "404").put("ContentType", "text/plain").put("MessageBody", "Not found");
        rule.put("IsDefault", "true");
        return rule;
    }

    private static ObjectNode ruleView(ObjectNode rule) {
        ObjectNode view = rule.deepCopy();
        view.remove("ListenerArn");
        return view;
    }

    private List<ObjectNode> sortedRules() {
        return rules.values().stream().sorted(Comparator.comparingInt(rule -> Integer.parseInt(rule.path("Priority").asText()))).toList();
    }

    /** The host names a rule's host-header conditions match, lower-cased. */
    private static List<String> hosts(JsonNode rule) {
        List<String> hosts = new ArrayList<>();
        for (JsonNode condition : rule.path("Conditions")) {
            if (condition.path("Field").asText().equals("host-header")) {
                condition.path("Values").forEach(v -> hosts.add(v.asText().toLowerCase(Locale.ROOT)));
                condition.path("HostHeaderConfig").path("Values").forEach(v -> hosts.add(v.asText().toLowerCase(Locale.ROOT)));
            }
        }
        return hosts;
    }

    private static List<String> forwardedTo(JsonNode rule) {
        List<String> targets = new ArrayList<>();
        for (JsonNode action : rule.path("Actions")) {
            if (action.path("Type").asText().equals("forward")) {
                if (action.hasNonNull("TargetGroupArn")) {
                    targets.add(action.get("TargetGroupArn").asText());
                }
                action.path("ForwardConfig").path("TargetGroups").forEach(t -> targets.add(t.path("TargetGroupArn").asText()));
            }
        }
        return targets;
    }

    // --- tags

    private JsonNode describeTags(ObjectNode request) {
        JsonNode arns = request.path("ResourceArns");
        if (arns.size() > MAX_TAGGED_RESOURCES) {
            throw new ElbError("ValidationError", "At most " + MAX_TAGGED_RESOURCES + " resource ARNs can be described at once");
        }
        ArrayNode descriptions = Json.MAPPER.createArrayNode();
        for (JsonNode arn : arns) {
            ObjectNode description = descriptions.addObject();
            description.put("ResourceArn", arn.asText());
            ArrayNode list = description.putArray("Tags");
            tagsOf(arn.asText()).forEach((key, value) -> list.addObject().put("Key", key).put("Value", value));
        }
        return Json.object().set("TagDescriptions", descriptions);
    }

    private JsonNode addTags(ObjectNode request) throws IOException {
        for (JsonNode arn : request.path("ResourceArns")) {
            tagsOf(arn.asText()).putAll(tagMap(request.path("Tags")));
        }
        save();
        return Json.object();
    }

    private JsonNode removeTags(ObjectNode request) throws IOException {
        for (JsonNode arn : request.path("ResourceArns")) {
            Map<String, String> of = tagsOf(arn.asText());
            request.path("TagKeys").forEach(key -> of.remove(key.asText()));
        }
        save();
        return Json.object();
    }

    /** A resource's tags (the listeners and load balancers have none), or the error ELBv2 gives for an unknown one. */
    private Map<String, String> tagsOf(String arn) {
        if (tags.containsKey(arn)) {
            return tags.get(arn);
        }
        if (listeners.stream().anyMatch(l -> l.arn().equals(arn) || l.loadBalancerArn().equals(arn) || l.defaultRuleArn().equals(arn))) {
            return tags.computeIfAbsent(arn, a -> new LinkedHashMap<>());
        }
        String code = arn.contains(":targetgroup/") ? "TargetGroupNotFound" : arn.contains(":listener-rule/") ? "RuleNotFound"
                : arn.contains(":listener/") ? "ListenerNotFound" : "LoadBalancerNotFound";
        throw new ElbError(code, "Resource '" + arn + "' not found");
    }

    private static Map<String, String> tagMap(JsonNode tagList) {
        Map<String, String> map = new LinkedHashMap<>();
        tagList.forEach(tag -> map.put(tag.path("Key").asText(), tag.path("Value").asText("")));
        return map;
    }

    // --- what the rest of the runtime reads

    /** Target groups, for {@code GET /_local/resources}: a lambda group with its registered function instead of a port. */
    public synchronized ArrayNode targetGroupResources() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ObjectNode group : targetGroups.values()) {
            String arn = group.path("TargetGroupArn").asText();
            ObjectNode resource = list.addObject().put("name", group.path("TargetGroupName").asText())
                    .put("arn", arn)
                    .put("targetType", group.path("TargetType").asText());
            if (group.path("TargetType").asText().equals(LAMBDA)) {
                resource.set("targets", Json.MAPPER.valueToTree(targets.getOrDefault(arn, List.of())));
            } else {
                resource.put("port", group.path("Port").asInt()).put("healthCheckPath", group.path("HealthCheckPath").asText());
            }
            resource.set("tags", Json.MAPPER.valueToTree(tags.getOrDefault(arn, Map.of())));
        }
        return list;
    }

    /** Non-default listener rules, for {@code GET /_local/resources}: each with its shard (-1: production) and target group name. */
    public synchronized ArrayNode listenerRuleResources() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Listener listener : listeners) {
            for (ObjectNode rule : sortedRules()) {
                if (!rule.path("ListenerArn").asText().equals(listener.arn())) {
                    continue;
                }
                List<String> targets = forwardedTo(rule);
                ObjectNode group = targets.isEmpty() ? null : targetGroups.get(targets.get(0));
                list.addObject().put("arn", rule.path("RuleArn").asText())
                        .put("listener", listener.arn())
                        .put("shard", listener.shard())
                        .put("priority", Integer.parseInt(rule.path("Priority").asText()))
                        .put("host", String.join(",", hosts(rule)))
                        .put("target", group == null ? null : group.path("TargetGroupName").asText())
                        .set("tags", Json.MAPPER.valueToTree(tags.getOrDefault(rule.path("RuleArn").asText(), Map.of())));
            }
        }
        return list;
    }

    // --- persistence

    private void load() throws IOException {
        if (file == null || !Files.exists(file)) {
            return;
        }
        JsonNode saved = Json.MAPPER.readTree(Files.readAllBytes(file));
        saved.path("targetGroups").forEach(g -> targetGroups.put(g.path("TargetGroupArn").asText(), (ObjectNode) g));
        saved.path("targetGroupSettings").fields().forEachRemaining(e -> targetGroupSettings.put(e.getKey(), (ObjectNode) e.getValue()));
        saved.path("rules").forEach(r -> rules.put(r.path("RuleArn").asText(), (ObjectNode) r));
        saved.path("targets").fields().forEachRemaining(e -> {
            List<String> ids = new ArrayList<>();
            e.getValue().forEach(id -> ids.add(id.asText()));
            targets.put(e.getKey(), ids);
        });
        saved.path("tags").fields().forEachRemaining(e -> {
            Map<String, String> map = new LinkedHashMap<>();
            e.getValue().fields().forEachRemaining(t -> map.put(t.getKey(), t.getValue().asText()));
            tags.put(e.getKey(), map);
        });
    }

    private void save() throws IOException {
        if (file == null) {
            return;
        }
        ObjectNode state = Json.object();
        ArrayNode groups = state.putArray("targetGroups");
        targetGroups.values().forEach(groups::add);
        ObjectNode settings = state.putObject("targetGroupSettings");
        targetGroupSettings.forEach(settings::set);
        ArrayNode list = state.putArray("rules");
        rules.values().forEach(list::add);
        state.set("tags", Json.MAPPER.valueToTree(tags));
        state.set("targets", Json.MAPPER.valueToTree(targets));
        AwsJson.writeAtomically(file, Json.write(state));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The calls answered so far, per operation. */
    public CallCounts calls() {
        return calls;
    }
}
