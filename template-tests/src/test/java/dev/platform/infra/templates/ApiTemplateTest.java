package dev.platform.infra.templates;

import static dev.platform.infra.templates.Cfn.CONTROL_PLANE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.api.ApiProblem;
import dev.platform.infra.ControlPlaneStack;
import dev.platform.core.api.ApiResponse;
import dev.platform.core.json.Json;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The REST API serves exactly the topology's HTTP routes, throttled and access-logged; the routes that need a
 * token go through the authorizer function, and the errors API Gateway answers itself have the platform's body.
 */
class ApiTemplateTest {

    static Stream<Synth.Result> synths() {
        return Stream.of(Synth.of(Synth.DEFAULT), Synth.of(TestTopology.EXTENDED));
    }

    @ParameterizedTest
    @MethodSource("synths")
    void routesEqualTheTopologysHttpRoutes(Synth.Result r) {
        // the test topology's extra functions have no route
        List<String> routes = Topology.httpRoutes();
        Set<String> expected = new TreeSet<>(routes);
        assertEquals(routes.size(), expected.size(), "no route is declared twice: " + routes);
        Set<String> deployed = new TreeSet<>();
        methods(r).forEach(method ->
                deployed.add(method.path("Properties").path("HttpMethod").asText() + " " + path(r, method)));
        assertEquals(expected, deployed);
        assertTrue(!expected.isEmpty(), "the deployed topology has at least the webhook route");
        assertTrue(expected.stream().anyMatch(route -> route.contains("{")), "path parameters: " + expected);
    }

    @ParameterizedTest
    @MethodSource("synths")
    void tokenRoutesGoThroughTheAuthorizerAndOpenOnesThroughNothing(Synth.Result r) {
        String authorizer = authorizer(r);
        int checked = 0;
        for (FunctionSpec spec : r.functions()) {
            if (spec.trigger() instanceof Trigger.ApiRoutes api) {
                for (Trigger.ApiRoute route : api.routes()) {
                    JsonNode method = method(r, route.method(), route.path()).path("Properties");
                    if (route.tokenRequired()) {
                        assertEquals("CUSTOM", method.path("AuthorizationType").asText(), route.toString());
                        assertEquals(Cfn.ref(authorizer), method.path("AuthorizerId"), route.toString());
                    } else {
                        assertEquals("NONE", method.path("AuthorizationType").asText(), route.toString());
                        assertTrue(method.path("AuthorizerId").isMissingNode(), route.toString());
                    }
                    checked++;
                }
            } else if (spec.trigger() instanceof Trigger.HttpRoute route) {
                JsonNode method = method(r, route).path("Properties");
                assertEquals("NONE", method.path("AuthorizationType").asText(), route + ": the function checks what it is sent");
                assertTrue(method.path("AuthorizerId").isMissingNode(), route.toString());
            }
        }
        assertTrue(checked > 0, "the topology has API routes");
        assertTrue(Topology.functions().stream().anyMatch(f -> f.trigger() instanceof Trigger.ApiRoutes api
                && api.routes().stream().anyMatch(route -> !route.tokenRequired())), "an open route was checked");
    }

    @ParameterizedTest
    @MethodSource("synths")
    void theAuthorizerIsTheAuthorizerFunctionsAliasOnTheAuthorizationHeaderCachedAsTheTopologySays(Synth.Result r) {
        FunctionSpec function = authorizerFunction();
        JsonNode authorizer = r.json(CONTROL_PLANE).path("Resources").path(authorizer(r)).path("Properties");
        assertEquals("REQUEST", authorizer.path("Type").asText());
        assertEquals("method.request.header.Authorization", authorizer.path("IdentitySource").asText());
        assertEquals(((Trigger.ApiAuthorizer) function.trigger()).cacheSeconds(),
                authorizer.path("AuthorizerResultTtlInSeconds").asInt());
        assertTrue(authorizer.has("AuthorizerResultTtlInSeconds"), "the cache time is stated, not CDK's default");
        assertEquals(Cfn.ref(Cfn.single(r, CONTROL_PLANE, "AWS::ApiGateway::RestApi", a -> true, "REST API")),
                authorizer.path("RestApiId"));
        String uri = Cfn.resolve(r, CONTROL_PLANE, authorizer.path("AuthorizerUri"));
        assertTrue(uri.contains(":lambda:path/2015-03-31/functions/" + CONTROL_PLANE + "/" + Cfn.alias(r, function)
                + "/invocations"), "the authorizer invokes the alias: " + uri);
        assertTrue(!authorizer.has("AuthorizerCredentials"), "API Gateway invokes through the alias's resource policy");
    }

    @ParameterizedTest
    @MethodSource("synths")
    void apiGatewayMayInvokeEachAliasFromItsOwnMethodsAndTheAuthorizerFromTheAuthorizer(Synth.Result r) {
        Map<String, JsonNode> permissions = r.resources(CONTROL_PLANE, "AWS::Lambda::Permission");
        for (FunctionSpec spec : r.functions()) {
            JsonNode alias = Cfn.ref(Cfn.alias(r, spec));
            List<String> sources = permissions.values().stream().map(p -> p.path("Properties"))
                    .filter(p -> "apigateway.amazonaws.com".equals(p.path("Principal").asText())
                            && alias.equals(p.path("FunctionName")))
                    .map(p -> Cfn.resolve(r, CONTROL_PLANE, p.path("SourceArn"))).toList();
            switch (spec.trigger()) {
                case Trigger.ApiRoutes api -> {
                    assertEquals(api.routes().size(), sources.size(), spec.name() + ": one permission per route: " + sources);
                    for (Trigger.ApiRoute route : api.routes()) {
                        // execute-api:/<api>/<stage>/<METHOD>/<path>, the path parameters as *
                        String tail = "/" + route.method() + route.path().replaceAll("\\{[^}]+}", "*");
                        assertTrue(sources.stream().anyMatch(s -> s.endsWith(tail)), spec.name() + ": " + tail + " in " + sources);
                    }
                }
                case Trigger.ApiAuthorizer ignored -> {
                    assertEquals(1, sources.size(), spec.name() + ": " + sources);
                    assertTrue(sources.getFirst().contains("/authorizers/" + CONTROL_PLANE + "/" + authorizer(r)),
                            "only this API's authorizer: " + sources);
                }
                case Trigger.HttpRoute route -> assertEquals(1, sources.size(), spec.name() + ": " + sources);
                default -> assertEquals(List.of(), sources, spec.name() + " is not API Gateway's");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("synths")
    void gatewayErrorsHaveThePlatformsErrorBody(Synth.Result r) {
        Map<String, JsonNode> responses = new TreeMap<>();
        r.resources(CONTROL_PLANE, "AWS::ApiGateway::GatewayResponse").values().forEach(response ->
                responses.put(response.path("Properties").path("ResponseType").asText(), response.path("Properties")));
        // type -> status ("" keeps the type's own), code
        Map<String, List<String>> expected = Map.of(
                "UNAUTHORIZED", List.of("401", "unauthorized"),
                "ACCESS_DENIED", List.of("401", "unauthorized"),
                "MISSING_AUTHENTICATION_TOKEN", List.of("404", "not_found"),
                "REQUEST_TOO_LARGE", List.of("413", "payload_too_large"),
                "THROTTLED", List.of("429", "too_many_requests"),
                "DEFAULT_4XX", List.of("", "bad_request"),
                "DEFAULT_5XX", List.of("", "internal_error"));
        assertEquals(new TreeSet<>(expected.keySet()), responses.keySet());
        expected.forEach((type, statusAndCode) -> {
            JsonNode response = responses.get(type);
            assertEquals(statusAndCode.get(0), response.path("StatusCode").asText(), type);
            assertEquals(Set.of("application/json"), fieldNames(response.path("ResponseTemplates")), type);
            JsonNode body = errorBody(response);
            assertEquals(Set.of("error"), fieldNames(body), type);
            assertEquals(Set.of("code", "message"), fieldNames(body.path("error")), type);
            assertEquals(statusAndCode.get(1), body.path("error").path("code").asText(), type);
            assertTrue(!body.path("error").path("message").asText().isBlank(), type);
        });
        // a denied token looks exactly like a missing one, and like the functions' own 401
        JsonNode unauthorized = ApiResponse.problem(ApiProblem.unauthorized()).body();
        assertEquals(unauthorized, errorBody(responses.get("UNAUTHORIZED")));
        assertEquals(unauthorized, errorBody(responses.get("ACCESS_DENIED")));
        assertEquals("$context.error.messageString", errorBody(responses.get("DEFAULT_4XX")).path("error").path("message").asText(),
                "API Gateway's own message for the other 4xx");
    }

    @ParameterizedTest
    @MethodSource("synths")
    void routesAreLambdaProxyIntegrations(Synth.Result r) {
        methods(r).forEach(method -> {
            JsonNode integration = method.path("Properties").path("Integration");
            assertEquals("AWS_PROXY", integration.path("Type").asText());
            assertEquals("POST", integration.path("IntegrationHttpMethod").asText());
        });
    }

    @Test
    void stageIsThrottledAndAccessLogged() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        String api = Cfn.single(r, CONTROL_PLANE, "AWS::ApiGateway::RestApi", a -> true, "REST API");
        JsonNode stage = r.resources(CONTROL_PLANE, "AWS::ApiGateway::Stage").values().iterator().next().path("Properties");
        assertEquals(1, r.resources(CONTROL_PLANE, "AWS::ApiGateway::Stage").size());
        String stageName = stage.path("StageName").asText();
        assertEquals(ControlPlaneStack.API_STAGE, stageName);
        for (String route : Topology.httpRoutes()) {  // "METHOD /path"
            String path = route.substring(route.indexOf(' ') + 1);
            assertFalse(path.startsWith("/" + stageName + "/"), route + " would be served at /" + stageName + path);
        }

        JsonNode all = Cfn.list(stage.path("MethodSettings")).stream()
                .filter(s -> "/*".equals(s.path("ResourcePath").asText()) && "*".equals(s.path("HttpMethod").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no stage-wide method settings"));
        assertTrue(all.path("ThrottlingRateLimit").asDouble() > 0, "rate limit");
        assertTrue(all.path("ThrottlingBurstLimit").asInt() > 0, "burst limit");

        JsonNode accessLog = stage.path("AccessLogSetting");
        String destination = Cfn.resolve(r, CONTROL_PLANE, accessLog.path("DestinationArn"));
        String logGroup = destination.substring(destination.indexOf('/') + 1, destination.lastIndexOf(".Arn"));
        assertEquals("AWS::Logs::LogGroup",
                r.json(CONTROL_PLANE).path("Resources").path(logGroup).path("Type").asText(), "access logs go to a log group");
        assertTrue(accessLog.path("Format").asText().contains("$context.requestId"), "access logs carry the request id");

        JsonNode endpoint = r.json(CONTROL_PLANE).path("Resources").path(api).path("Properties").path("EndpointConfiguration");
        assertEquals("REGIONAL", endpoint.path("Types").get(0).asText());
    }

    /** The method resource serving this route. */
    static JsonNode method(Synth.Result r, Trigger.HttpRoute route) {
        return method(r, route.method(), route.path());
    }

    /** The method resource serving this HTTP method on this path. */
    static JsonNode method(Synth.Result r, String httpMethod, String path) {
        List<JsonNode> found = methods(r).stream()
                .filter(m -> httpMethod.equals(m.path("Properties").path("HttpMethod").asText()) && path.equals(path(r, m)))
                .toList();
        assertEquals(1, found.size(), "one method for " + httpMethod + " " + path);
        return found.getFirst();
    }

    /** The API's methods, but CORS preflights (OPTIONS), should any appear: they serve no route. */
    static List<JsonNode> methods(Synth.Result r) {
        return r.resources(CONTROL_PLANE, "AWS::ApiGateway::Method").values().stream()
                .filter(m -> !"OPTIONS".equals(m.path("Properties").path("HttpMethod").asText()))
                .toList();
    }

    /** The logical id of the API's one authorizer. */
    static String authorizer(Synth.Result r) {
        return Cfn.single(r, CONTROL_PLANE, "AWS::ApiGateway::Authorizer", a -> true, "API authorizer");
    }

    /** The topology's one function with the ApiAuthorizer trigger. */
    static FunctionSpec authorizerFunction() {
        List<FunctionSpec> found = Topology.functions().stream().filter(f -> f.trigger() instanceof Trigger.ApiAuthorizer).toList();
        assertEquals(1, found.size(), "one authorizer function: " + found);
        return found.getFirst();
    }

    /**
     * A gateway response's JSON body, API Gateway's message for the error standing in for its placeholder (which
     * API Gateway replaces with a quoted JSON string).
     */
    private static JsonNode errorBody(JsonNode response) {
        String template = response.path("ResponseTemplates").path("application/json").asText();
        try {
            return Json.MAPPER.readTree(template.replace("$context.error.messageString", "\"$context.error.messageString\""));
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON once substituted: " + template, e);
        }
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The path of a method, from its resource up to the API's root. */
    static String path(Synth.Result r, JsonNode method) {
        StringBuilder path = new StringBuilder();
        JsonNode parent = method.path("Properties").path("ResourceId");
        while (parent.has("Ref")) {
            JsonNode resource = r.json(CONTROL_PLANE).path("Resources").path(parent.get("Ref").asText());
            path.insert(0, "/" + resource.path("Properties").path("PathPart").asText());
            parent = resource.path("Properties").path("ParentId");
        }
        assertEquals("RootResourceId", parent.path("Fn::GetAtt").path(1).asText(), "the path ends at the API's root");
        return path.isEmpty() ? "/" : path.toString();
    }
}
