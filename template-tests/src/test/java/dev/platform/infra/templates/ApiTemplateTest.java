package dev.platform.infra.templates;

import static dev.platform.infra.templates.Cfn.CONTROL_PLANE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Trigger;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST API serves exactly the topology's HTTP routes, throttled and access-logged. */
class ApiTemplateTest {

    static Stream<Synth.Result> synths() {
        return Stream.of(Synth.of(Synth.DEFAULT), Synth.of(TestTopology.EXTENDED));
    }

    @ParameterizedTest
    @MethodSource("synths")
    void routesEqualTheTopologysHttpRoutes(Synth.Result r) {
        Set<String> expected = new TreeSet<>();
        for (FunctionSpec spec : r.functions()) {
            if (spec.trigger() instanceof Trigger.HttpRoute route) {
                expected.add(route.method() + " " + route.path());
            }
        }
        Set<String> deployed = new TreeSet<>();
        r.resources(CONTROL_PLANE, "AWS::ApiGateway::Method").values().forEach(method ->
                deployed.add(method.path("Properties").path("HttpMethod").asText() + " " + path(r, method)));
        assertEquals(expected, deployed);
        assertTrue(!expected.isEmpty(), "the deployed topology has at least the webhook route");
    }

    @ParameterizedTest
    @MethodSource("synths")
    void routesAreLambdaProxyIntegrations(Synth.Result r) {
        r.resources(CONTROL_PLANE, "AWS::ApiGateway::Method").values().forEach(method -> {
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
        return r.resources(CONTROL_PLANE, "AWS::ApiGateway::Method").values().stream()
                .filter(m -> route.method().equals(m.path("Properties").path("HttpMethod").asText())
                        && route.path().equals(path(r, m)))
                .findFirst().orElseThrow(() -> new AssertionError("no method for " + route));
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
