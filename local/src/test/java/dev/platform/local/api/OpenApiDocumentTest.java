package dev.platform.local.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.api.Accounts.ApiToken;
import dev.platform.core.api.Accounts.AuditEntry;
import dev.platform.core.api.Accounts.Invitation;
import dev.platform.core.api.Accounts.InvitationStatus;
import dev.platform.core.api.Accounts.Member;
import dev.platform.core.api.Accounts.Team;
import dev.platform.core.api.Accounts.User;
import dev.platform.core.api.ApiProblem;
import dev.platform.core.api.ApiResponse;
import dev.platform.core.api.Project;
import dev.platform.core.api.Role;
import dev.platform.core.build.BuildSettings;
import dev.platform.core.deploy.DeploySettings;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.sleep.SleepPolicy;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code api/openapi.yaml} against the code: the same routes as the topology, with the same token rules; a sound
 * OpenAPI 3.1 structure; and response schemas that accept what the API's views produce and refuse what they don't.
 */
class OpenApiDocumentTest {
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}/]+)}");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Instant T0 = Instant.parse("2026-12-03T14:06:22.123456789Z");
    private static final String TOKEN_VALUE = "plat_" + "a1B2c3D4e5".repeat(4) + "xyz";
    private static final String INVITATION_VALUE = "pinv_" + "Z9y8X7w6V5".repeat(4) + "abc";

    private static OpenApiContract contract;

    @BeforeAll
    static void load() {
        contract = OpenApiContract.load();
    }

    // ---- (a) the routes --------------------------------------------------------------------------------------

    @Test
    void documentsExactlyTheTopologysRoutes() {
        Set<String> topology = new TreeSet<>(Topology.httpRoutes());
        Set<String> documented = contract.routes();
        Set<String> undocumented = new TreeSet<>(topology);
        undocumented.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(topology);
        assertTrue(undocumented.isEmpty() && extra.isEmpty(), contract.file() + " and Topology.httpRoutes() differ:\n"
                + "  in the topology, not documented: " + undocumented + "\n  documented, not in the topology: " + extra);
        assertEquals(Topology.httpRoutes().size(), topology.size(), "Topology.httpRoutes() names a route twice");
    }

    @Test
    void securityFollowsTheTopologysTokenRules() {
        Map<String, Boolean> tokenRequired = new LinkedHashMap<>();
        for (var function : Topology.functions()) {
            switch (function.trigger()) {
                case Trigger.ApiRoutes api -> api.routes().forEach(route ->
                        tokenRequired.put(route.method() + " " + route.path(), route.tokenRequired()));
                case Trigger.HttpRoute route -> tokenRequired.put(route.method() + " " + route.path(), false);
                default -> { }
            }
        }
        assertTrue(contract.document().at("/components/securitySchemes/bearerAuth/scheme").asText().equals("bearer"),
                "components/securitySchemes/bearerAuth must be HTTP bearer");
        List<String> problems = new ArrayList<>();
        tokenRequired.forEach((route, required) -> {
            String[] parts = route.split(" ", 2);
            JsonNode operation = operation(parts[0], parts[1]);
            if (operation.isMissingNode()) {
                problems.add(route + ": not documented");
                return;
            }
            JsonNode security = operation.get("security");
            if (security == null || !security.isArray()) {
                problems.add(route + ": no security of its own");
                return;
            }
            boolean anonymous = security.isEmpty();
            boolean bearer = false;
            for (JsonNode requirement : security) {
                anonymous |= requirement.isEmpty();
                bearer |= requirement.has("bearerAuth");
            }
            if (required && (anonymous || !bearer)) {
                problems.add(route + " needs a token, but its security is " + security);
            }
            if (!required && !anonymous) {
                problems.add(route + " is open, but its security is " + security + " (want [] or [{}, {bearerAuth: []}])");
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals("[{},{\"bearerAuth\":[]}]", operation("POST", "/v1/invitations/accept").get("security").toString());
        assertEquals("[]", operation("POST", "/webhooks/github").get("security").toString());
    }

    // ---- (b) the structure -----------------------------------------------------------------------------------

    @Test
    void isAnOpenApi31Document() {
        JsonNode doc = contract.document();
        assertEquals("3.1.0", doc.path("openapi").asText());
        assertFalse(doc.at("/info/title").asText().isBlank(), "info.title");
        assertFalse(doc.at("/info/version").asText().isBlank(), "info.version");
        List<String> problems = new ArrayList<>();
        Set<String> operationIds = new HashSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
            if (!METHODS.contains(entry.getKey())) {
                if (!Set.of("parameters", "summary", "description", "servers").contains(entry.getKey())) {
                    problems.add(path.getKey() + ": unknown field " + entry.getKey());
                }
                return;
            }
            String route = entry.getKey().toUpperCase() + " " + path.getKey();
            JsonNode operation = entry.getValue();
            if (!operation.path("operationId").isTextual() || !operationIds.add(operation.get("operationId").asText())) {
                problems.add(route + ": no operationId, or one used twice");
            }
            JsonNode responses = operation.path("responses");
            if (!responses.isObject() || responses.isEmpty()) {
                problems.add(route + ": no responses");
            }
            responses.fields().forEachRemaining(response -> {
                if (!response.getKey().matches("[1-5](\\d\\d|XX)|default")) {
                    problems.add(route + ": response key " + response.getKey() + " is not a status");
                }
                JsonNode resolved = resolve(response.getValue());
                if (!resolved.path("description").isTextual()) {
                    problems.add(route + " " + response.getKey() + ": a response needs a description");
                }
                resolved.path("content").fields().forEachRemaining(media -> {
                    JsonNode schema = media.getValue().path("schema");
                    if (!schema.path("$ref").asText().startsWith("#/components/schemas/")) {
                        problems.add(route + " " + response.getKey() + " " + media.getKey()
                                + ": the schema is not a $ref into components/schemas");
                    }
                });
            });
            checkPathParameters(route, path.getKey(), path.getValue(), operation, problems);
        }));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyRefResolves() {
        List<String> problems = new ArrayList<>();
        walk(contract.document(), "", (pointer, node) -> {
            if (node.has("$ref") && node.get("$ref").isTextual()) {
                String ref = node.get("$ref").asText();
                if (!ref.startsWith("#/")) {
                    problems.add(pointer + ": $ref " + ref + " is not within the document");
                } else if (contract.at(ref.substring(1)).isMissingNode()) {
                    problems.add(pointer + ": $ref " + ref + " points at nothing");
                }
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everySchemaCompilesAndObjectsAreClosed() {
        List<String> problems = new ArrayList<>();
        contract.document().at("/components/schemas").fields().forEachRemaining(schema -> {
            try {
                contract.violations(schema.getKey(), "{}");
            } catch (RuntimeException e) {
                problems.add(schema.getKey() + " does not compile: " + e);
            }
            // drift shows: a schema naming its properties names all of them (maps like build.args name none)
            walk(schema.getValue(), "/components/schemas/" + schema.getKey(), (pointer, node) -> {
                if (node.has("properties") && node.get("properties").isObject() && !pointer.endsWith("/properties")
                        && !(node.path("additionalProperties").isBoolean() && !node.get("additionalProperties").asBoolean())) {
                    problems.add(pointer + ": has properties but not additionalProperties: false");
                }
            });
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    // ---- (c) bodies: hand-written samples --------------------------------------------------------------------

    private static final String PROJECT = """
            {"projectId":"p0a1b2c3d4e5f6g7","teamId":"team_9Xy","name":"Shop","slug":"shop","repository":"acme/shop",
             "productionBranch":"main",
             "build":{"dockerfile":"Dockerfile","context":".","target":"","args":{"NODE_ENV":"production"}},
             "deploy":{"port":3000,"healthCheckPath":"/","cpu":256,"memory":512,"command":[]},
             "previews":{"sleepAfter":"PT30M","expireAfter":"PT168H","maxActivePreviews":10},
             "createdAt":"2026-12-03T14:06:22Z","updatedAt":"2026-12-03T14:06:22.5Z"}""";
    private static final String TOKEN = """
            {"tokenId":"tok_0123456789abcdefABCDEF","name":"ci","prefix":"plat_a1B2","createdAt":"2026-12-03T14:06:22Z",
             "expiresAt":null,"lastUsedAt":null}""";

    @Test
    void handWrittenBodiesValidate() {
        contract.checkSchema("Project", PROJECT);
        contract.check("GET", "/v1/projects/{projectId}", 200, "application/json", PROJECT);
        contract.check("GET", "/v1/tokens", 200, "application/json; charset=utf-8", "{\"items\":[" + TOKEN + "],\"nextCursor\":null}");
        contract.check("GET", "/v1/tokens", 200, "application/json", "{\"items\":[],\"nextCursor\":\"AbC-_x\"}");
        contract.check("POST", "/v1/teams/{teamId}/projects", 400, "application/json",
                "{\"error\":{\"code\":\"invalid_request\",\"message\":\"deploy.cpu must be a Fargate size\",\"field\":\"deploy.cpu\"}}");
        contract.check("DELETE", "/v1/tokens/{tokenId}", 204, (String) null, "");
        contract.check("POST", "/webhooks/github", 202, "application/json",
                "{\"status\":\"ignored\",\"deliveryId\":\"72d3162e\",\"reason\":\"the action labeled is not handled\"}");
        contract.checkUnknownRoute(404, "application/json", "{\"error\":{\"code\":\"not_found\",\"message\":\"no route for /v2\"}}");
        contract.checkRequest("POST", "/v1/teams/{teamId}/projects", "application/json",
                "{\"name\":\"Shop\",\"repository\":\"acme/shop\",\"deploy\":{\"cpu\":512,\"memory\":2048},\"previews\":null}");
    }

    @Test
    void theCheckerRefusesWhatTheDocumentDoesNot() {
        assertRefused(() -> contract.checkSchema("Project", PROJECT.replace("\"slug\":\"shop\",", "\"slug\":\"shop\",\"owner\":\"x\",")),
                "owner");
        assertRefused(() -> contract.check("GET", "/v1/tokens", 200, "application/json",
                "{\"items\":[" + TOKEN.replace("\"prefix\":\"plat_a1B2\",", "") + "],\"nextCursor\":null}"), "prefix");
        // expiresAt and lastUsedAt are always present, null or not
        assertRefused(() -> contract.checkSchema("Token", TOKEN.replace(",\"lastUsedAt\":null", "")), "lastUsedAt");
        assertRefused(() -> contract.checkSchema("Token", TOKEN.replace("2026-12-03T14:06:22Z", "yesterday")), "date-time");
        assertRefused(() -> contract.check("GET", "/v1/tokens", 200, "application/json", "{\"items\":[]}"), "nextCursor");
        assertRefused(() -> contract.check("GET", "/v1/user", 418, "application/json", "{}"), "418");
        assertRefused(() -> contract.check("DELETE", "/v1/tokens/{tokenId}", 204, "application/json", "{}"), "no body");
        assertRefused(() -> contract.check("GET", "/v1/projects/{projectId}", 200, "text/html", PROJECT), "text/html");
        assertRefused(() -> contract.check("GET", "/v1/nothing", 200, "application/json", "{}"), "/v1/nothing");
        assertRefused(() -> contract.check("POST", "/v1/teams/{teamId}/projects", 400, "application/json",
                "{\"error\":{\"code\":\"invalid_request\"}}"), "message");
        assertRefused(() -> contract.check("GET", "/v1/projects/{projectId}", 200, Map.of("Content-Type", List.of("application/json")),
                PROJECT), "ETag");
        contract.check("GET", "/v1/projects/{projectId}", 200,
                Map.of("content-type", List.of("application/json"), "etag", List.of("\"r3\"")), PROJECT);
        assertRefused(() -> contract.check("GET", "/v1/projects/{projectId}", 200,
                Map.of("Content-Type", List.of("application/json"), "ETag", List.of("r3")), PROJECT), "ETag");
        assertRefused(() -> contract.checkRequest("POST", "/v1/tokens", "application/json", "{\"name\":\"ci\",\"scope\":\"all\"}"),
                "scope");
        assertRefused(() -> contract.checkUnknownRoute(405, "application/json", "{}"), "404");
        contract.checkRequest("PATCH", "/v1/projects/{projectId}", "application/json", "{\"productionBranch\":\"release/2.x\"}");
        assertRefused(() -> contract.checkRequest("PATCH", "/v1/projects/{projectId}", "application/json",
                "{\"productionBranch\":\"release/2.x.lock\"}"), "productionBranch");
        assertRefused(() -> contract.checkRequest("PATCH", "/v1/projects/{projectId}", "application/json", "{}"), "minProperties");
    }

    // ---- (c) bodies: the API's own views ---------------------------------------------------------------------

    /** Each view of {@code dev.platform.core.api.ApiViews} (package-private: called reflectively) validates as its schema. */
    @Test
    void theApiViewsValidate() throws Exception {
        User user = new User("usr_0123456789abcdefABCDEF", "Ada Lovelace", "ada@example.com", T0);
        ApiToken fresh = new ApiToken("tok_0123456789abcdefABCDEF", "hash", user.userId(), "ci", "plat_a1B2", T0, null, null);
        ApiToken used = new ApiToken("tok_abcdefABCDEF0123456789", "hash", user.userId(), "deploy", "plat_Zz09", T0,
                T0.plus(Duration.ofDays(30)), T0.plusSeconds(61));
        Team team = new Team("team_0123456789abcdefABCDEF", "Acme", T0);
        Member member = new Member(team.teamId(), user.userId(), user.name(), user.email(), Role.DEVELOPER, T0);
        Invitation pending = new Invitation("inv_0123456789abcdefABCDEF", "hash", team.teamId(), "bob@example.com", Role.VIEWER,
                user.userId(), T0, T0.plus(Duration.ofDays(7)), InvitationStatus.PENDING);
        Invitation cancelled = new Invitation("inv_abcdefABCDEF0123456789", "hash", team.teamId(), "eve@example.com", Role.ADMIN,
                user.userId(), T0, T0.plus(Duration.ofDays(7)), InvitationStatus.CANCELLED);
        AuditEntry withToken = new AuditEntry("0001796817982123f00dfeed", team.teamId(), user.userId(), fresh.tokenId(),
                "member.update", "member:" + user.userId(), T0, "req-1", "denied");
        AuditEntry bootstrap = new AuditEntry("0001796817982124f00dfeed", team.teamId(), user.userId(), null,
                "platform.bootstrap", "team:" + team.teamId(), T0, "", "succeeded");
        Project plain = new Project(ProjectId.of("hello-world"), team.teamId(), "Hello", "hello-world", "Codertocat/Hello-World",
                "main", BuildSettings.DEFAULTS, DeploySettings.DEFAULTS, SleepPolicy.DEFAULTS, 1, T0, T0);
        Project tuned = new Project(ProjectId.of("p0a1b2c3d4e5f6g7"), team.teamId(), "Shop", "shop", "acme/shop", "release/2.x",
                new BuildSettings("docker/app.Dockerfile", "web", "runtime", Map.of("NODE_ENV", "production", "API", "")),
                new DeploySettings(8080, "/healthz?full=1", 1024, 3072, List.of("node", "server.js")),
                new SleepPolicy(Duration.ofMinutes(5), Duration.ofDays(90), 3), 7, T0, T0.plusSeconds(3600));

        contract.checkSchema("User", view("user", user));
        contract.checkSchema("Token", view("token", fresh));
        contract.checkSchema("Token", view("token", used));
        contract.checkSchema("NewToken", view("newToken", fresh, TOKEN_VALUE));
        contract.checkSchema("Team", view("team", team, Role.OWNER));
        contract.checkSchema("Member", view("member", member));
        contract.checkSchema("Invitation", view("invitation", pending, T0));
        contract.checkSchema("Invitation", view("invitation", pending, T0.plus(Duration.ofDays(8)))); // expired
        contract.checkSchema("Invitation", view("invitation", cancelled, T0));
        contract.checkSchema("NewInvitation", ((ObjectNode) viewNode("invitation", pending, T0)).put("token", INVITATION_VALUE).toString());
        contract.checkSchema("AuditEntry", view("audit", withToken));
        contract.checkSchema("AuditEntry", view("audit", bootstrap));
        contract.checkSchema("Project", view("project", plain));
        contract.checkSchema("Project", view("project", tuned));

        ObjectNode accepted = dev.platform.core.json.Json.object();
        accepted.set("user", viewNode("user", user));
        accepted.set("team", viewNode("team", team, Role.VIEWER));
        accepted.set("token", viewNode("newToken", fresh, TOKEN_VALUE));
        contract.check("POST", "/v1/invitations/accept", 201, "application/json", accepted.toString());
        contract.check("POST", "/v1/invitations/accept", 200, "application/json", view("team", team, Role.VIEWER));

        contract.check("GET", "/v1/tokens", 200, "application/json", page(List.of(fresh, used), "token", null));
        contract.check("GET", "/v1/teams/{teamId}/members", 200, "application/json", page(List.of(member), "member", "c3Vy"));
        contract.check("GET", "/v1/teams/{teamId}/audit", 200, "application/json", page(List.of(withToken, bootstrap), "audit", null));
        contract.check("GET", "/v1/teams/{teamId}/projects", 200, "application/json", page(List.of(plain, tuned), "project", "x"));
        contract.check("GET", "/v1/teams/{teamId}/projects", 200, "application/json", page(List.of(), "project", null));

        for (ApiProblem problem : List.of(ApiProblem.invalid("deploy.memory", "must be from 512 to 2048 MiB"),
                ApiProblem.unauthorized(), ApiProblem.notFound("team team_x"), ApiProblem.conflict("last_owner", "keep one"),
                new ApiProblem(412, "precondition_failed", "the project changed"))) {
            ApiResponse answer = ApiResponse.problem(problem);
            contract.check("PATCH", "/v1/projects/{projectId}", answer.status(), "application/json", answer.body().toString());
        }
        // and the schemas are not so loose that a view with a field too many passes
        String newToken = view("newToken", fresh, TOKEN_VALUE);
        assertRefused(() -> contract.checkSchema("Token", newToken), "token");
        String teamWithMore = ((ObjectNode) viewNode("team", team, Role.OWNER)).put("owner", true).toString();
        assertRefused(() -> contract.checkSchema("Team", teamWithMore), "owner");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static JsonNode viewNode(String name, Object... arguments) throws Exception {
        Class<?> views = Class.forName("dev.platform.core.api.ApiViews");
        for (Method method : views.getDeclaredMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                method.setAccessible(true);
                return (JsonNode) method.invoke(null, arguments);
            }
        }
        throw new NoSuchMethodException("ApiViews." + name + " with " + arguments.length + " arguments");
    }

    private static String view(String name, Object... arguments) throws Exception {
        return viewNode(name, arguments).toString();
    }

    /** {@code ApiViews.page(items, ApiViews::<view>, nextCursor)}. */
    private static String page(List<?> items, String view, String nextCursor) throws Exception {
        Function<Object, JsonNode> each = item -> {
            try {
                return viewNode(view, item);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        return viewNode("page", items, each, nextCursor).toString();
    }

    private static void assertRefused(Runnable check, String mentioned) {
        AssertionError refused = assertThrows(AssertionError.class, check::run, "the checker let it pass; it should mention " + mentioned);
        assertTrue(refused.getMessage().contains(mentioned), "the refusal should mention " + mentioned + ": " + refused.getMessage());
    }

    private static JsonNode operation(String method, String path) {
        return contract.document().path("paths").path(path).path(method.toLowerCase());
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.has("$ref") && hops < 20; hops++) {
            current = contract.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    /** Every {name} of the template is a declared path parameter (path item or operation), and none is declared but absent. */
    private static void checkPathParameters(String route, String template, JsonNode pathItem, JsonNode operation, List<String> problems) {
        Set<String> inTemplate = new TreeSet<>();
        Matcher matcher = TEMPLATE_PARAMETER.matcher(template);
        while (matcher.find()) {
            inTemplate.add(matcher.group(1));
        }
        Set<String> declared = new TreeSet<>();
        for (JsonNode parameters : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
            for (JsonNode parameter : parameters) {
                JsonNode p = resolve(parameter);
                if (p.isMissingNode() || !p.path("name").isTextual() || !p.path("in").isTextual()) {
                    problems.add(route + ": parameter " + parameter + " does not resolve to a parameter");
                    continue;
                }
                if (!p.has("schema")) {
                    problems.add(route + ": parameter " + p.get("name").asText() + " has no schema");
                }
                if (p.get("in").asText().equals("path")) {
                    declared.add(p.get("name").asText());
                    if (!p.path("required").asBoolean(false)) {
                        problems.add(route + ": path parameter " + p.get("name").asText() + " must be required: true");
                    }
                }
            }
        }
        if (!inTemplate.equals(declared)) {
            problems.add(route + ": the template's parameters are " + inTemplate + ", the declared path parameters " + declared);
        }
    }

    private interface Visitor {
        void visit(String pointer, JsonNode node);
    }

    private static void walk(JsonNode node, String pointer, Visitor visitor) {
        if (node.isObject()) {
            visitor.visit(pointer, node);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> child = it.next();
                walk(child.getValue(), pointer + "/" + OpenApiContract.escape(child.getKey()), visitor);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visitor);
            }
        }
    }
}
