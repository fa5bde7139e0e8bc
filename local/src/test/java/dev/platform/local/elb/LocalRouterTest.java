package dev.platform.local.elb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import dev.platform.core.deploy.ResourceTags;
import dev.platform.local.ecs.LocalEcs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/** The router sends a host's requests to its rule's target group: an ECS service's page, or a Lambda target's answer. */
class LocalRouterTest {
    private static final String WAKER = "arn:aws:lambda:us-east-1:000000000000:function:waker";
    private static final String HOST = "hello-world-pr-2.preview.localhost";
    private static final Instant NOW = Instant.parse("2026-12-02T10:15:30Z");

    private LocalElb elb;
    private ElasticLoadBalancingV2Client client;
    private String appGroup;
    private String wakerGroup;
    private String ruleArn;
    /** What the fake Lambda answers; it records the events it got. */
    private final AtomicReference<Function<ApplicationLoadBalancerRequestEvent, ApplicationLoadBalancerResponseEvent>> function =
            new AtomicReference<>();
    private final List<ApplicationLoadBalancerRequestEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> served = new CopyOnWriteArrayList<>();
    private final Map<String, LocalEcs.Serving> services = new LinkedHashMap<>();
    private LocalRouter router;

    @BeforeEach
    void start() throws IOException {
        elb = LocalElb.start("127.0.0.1", null, 1);
        client = ElasticLoadBalancingV2Client.builder().endpointOverride(elb.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        appGroup = client.createTargetGroup(r -> r.name("hw-pr-2").protocol(ProtocolEnum.HTTP).port(3000).vpcId("vpc-local")
                .targetType(TargetTypeEnum.IP)).targetGroups().get(0).targetGroupArn();
        wakerGroup = elb.ensureLambdaTargetGroup("waker-0", WAKER);
        ruleArn = client.createRule(r -> r.listenerArn(elb.previewListenerArns().get(0)).priority(1)
                .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values(HOST)))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(wakerGroup))).rules().get(0).ruleArn();
        LambdaTargets lambdas = (arn, event) -> {
            if (!arn.equals(WAKER)) {
                throw new LambdaTargets.NoSuchFunction(arn);
            }
            events.add(event);
            return function.get().apply(event);
        };
        router = new LocalRouter(elb, arn -> Optional.ofNullable(services.get(arn)), lambdas, "preview.localhost",
                Clock.fixed(NOW, ZoneOffset.UTC));
        router.onServed((loadBalancer, targetGroup, at) -> served.add(loadBalancer + " " + targetGroup + " " + at));
        function.set(event -> response(503, "<p>waking up</p>", false));
    }

    @AfterEach
    void stop() {
        client.close();
        elb.close();
    }

    private static ApplicationLoadBalancerResponseEvent response(int status, String body, boolean base64) {
        ApplicationLoadBalancerResponseEvent response = new ApplicationLoadBalancerResponseEvent();
        response.setStatusCode(status);
        response.setHeaders(Map.of("Content-Type", "text/html", "Retry-After", "10"));
        response.setBody(body);
        response.setIsBase64Encoded(base64);
        return response;
    }

    private Optional<LocalRouter.Answer> request(String method, String target, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        return router.route(new LocalRouter.Request(method, URI.create(target), headers, "127.0.0.9", 8080,
                new ByteArrayInputStream(body)));
    }

    private Optional<LocalRouter.Answer> get(String host) throws IOException {
        return request("GET", "/", Map.of("Host", List.of(host)), new byte[0]);
    }

    @Test
    void aLambdaTargetGetsTheRequestAsTheAlbSendsItAndItsAnswerIsWrittenBack() throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of(HOST + ":8080"));
        headers.put("Content-Type", List.of("application/json; charset=utf-8"));
        headers.put("X-Custom", List.of("first", "last"));
        headers.put("X-Forwarded-For", List.of("203.0.113.7"));
        LocalRouter.Answer answer = request("POST", "/deep/path%20x?a=1&b=%3Fc%3Dd&a=2&flag",
                headers, "{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8)).orElseThrow();

        assertEquals(503, answer.status());
        assertEquals("10", answer.headers().get("Retry-After"));
        assertEquals("text/html", answer.headers().get("Content-Type"));
        assertEquals("<p>waking up</p>", new String(answer.body(), StandardCharsets.UTF_8));
        ApplicationLoadBalancerRequestEvent event = events.get(0);
        assertEquals("POST", event.getHttpMethod());
        assertEquals("/deep/path%20x", event.getPath());
        assertEquals(Map.of("a", "2", "b", "%3Fc%3Dd", "flag", ""), event.getQueryStringParameters(),
                "the last value of a name, not decoded");
        assertEquals(wakerGroup, event.getRequestContext().getElb().getTargetGroupArn());
        assertEquals(HOST + ":8080", event.getHeaders().get("host"));
        assertEquals("last", event.getHeaders().get("x-custom"));
        assertEquals("203.0.113.7, 127.0.0.9", event.getHeaders().get("x-forwarded-for"));
        assertEquals("http", event.getHeaders().get("x-forwarded-proto"));
        assertEquals("8080", event.getHeaders().get("x-forwarded-port"));
        assertTrue(event.getHeaders().get("x-amzn-trace-id").matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24}"), event.getHeaders().toString());
        assertTrue(event.getHeaders().keySet().stream().allMatch(name -> name.equals(name.toLowerCase())), "lower-case names");
        assertEquals(null, event.getMultiValueHeaders(), "multi-value headers are off");
        assertEquals("{\"k\":\"v\"}", event.getBody());
        assertFalse(event.getIsBase64Encoded());
    }

    @Test
    void binaryBodiesAreBase64EncodedBothWays() throws IOException {
        byte[] binary = {0, (byte) 0xff, 'x'};
        function.set(event -> response(200, Base64.getEncoder().encodeToString(binary), true));
        LocalRouter.Answer answer = request("PUT", "/upload", Map.of("Host", List.of(HOST),
                "Content-Type", List.of("application/octet-stream")), binary).orElseThrow();
        assertEquals(200, answer.status());
        assertEquals(List.of((byte) 0, (byte) 0xff, (byte) 'x'), List.of(answer.body()[0], answer.body()[1], answer.body()[2]));
        assertTrue(events.get(0).getIsBase64Encoded());
        assertEquals(Base64.getEncoder().encodeToString(binary), events.get(0).getBody());

        get(HOST);
        assertEquals("", events.get(1).getBody(), "no body: empty text");
        assertFalse(events.get(1).getIsBase64Encoded());
        assertEquals(Map.of(), events.get(1).getQueryStringParameters());
    }

    @Test
    void aFailingOrInvalidFunctionIsA502AndAGroupWithoutTargetA503() throws IOException {
        function.set(event -> {
            throw new IllegalStateException("boom");
        });
        assertEquals(502, get(HOST).orElseThrow().status());
        function.set(event -> null);
        assertEquals(502, get(HOST).orElseThrow().status());
        function.set(event -> new ApplicationLoadBalancerResponseEvent()); // no status code
        assertEquals(502, get(HOST).orElseThrow().status());
        function.set(event -> response(200, "not base64!", true));
        assertEquals(502, get(HOST).orElseThrow().status());
        function.set(event -> response(200, "x".repeat(LocalRouter.MAX_LAMBDA_BYTES + 1), false));
        assertEquals(502, get(HOST).orElseThrow().status(), "an answer over 1 MB");

        function.set(event -> response(503, "waking", false));
        byte[] tooLarge = new byte[LocalRouter.MAX_LAMBDA_BYTES + 1];
        assertEquals(413, request("POST", "/", Map.of("Host", List.of(HOST), "Content-Type", List.of("text/plain")), tooLarge)
                .orElseThrow().status());

        client.deregisterTargets(r -> r.targetGroupArn(wakerGroup).targets(t -> t.id(WAKER)));
        assertEquals(503, get(HOST).orElseThrow().status());
        client.registerTargets(r -> r.targetGroupArn(wakerGroup).targets(t -> t.id("arn:aws:lambda:us-east-1:000000000000:function:gone")));
        assertEquals(502, get(HOST).orElseThrow().status(), "a function that does not exist");
    }

    @Test
    void theRuleIsFollowedBackToTheServiceAndServedRequestsAreCounted() throws IOException {
        services.put(appGroup, new LocalEcs.Serving(1, Map.of(ResourceTags.PROJECT, "hello-world", ResourceTags.PR, "2",
                ResourceTags.COMMIT, "ec26c3e", ResourceTags.DEPLOYMENT, "d-1")));
        get(HOST);
        String loadBalancer = elb.forward(HOST).orElseThrow().loadBalancerArn();
        assertEquals(List.of(loadBalancer + " " + wakerGroup + " " + NOW), served, "a function invoked is a request counted");

        client.modifyRule(r -> r.ruleArn(ruleArn).actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(appGroup)));
        LocalRouter.Answer page = get(HOST.toUpperCase() + ":8080").orElseThrow();
        assertEquals(200, page.status());
        assertEquals("d-1", page.headers().get("X-Platform-Deployment"));
        assertEquals(LocalRouter.Answer.CONTENT_TYPE, page.headers().get("Content-Type"));
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("#2"));
        assertEquals(1, events.size(), "the function is not invoked any more");
        assertEquals(loadBalancer + " " + appGroup + " " + NOW, served.get(1));

        services.put(appGroup, new LocalEcs.Serving(0, Map.of()));
        assertEquals(503, get(HOST).orElseThrow().status());
        assertEquals(2, served.size(), "no running task: no target got the request");
        assertEquals(404, get("nothing-here.preview.localhost").orElseThrow().status());
        assertEquals(Optional.empty(), get("127.0.0.1:8080"), "not the load balancers' host");
        assertEquals(Optional.empty(), request("GET", "/", Map.of(), new byte[0]));
    }
}
