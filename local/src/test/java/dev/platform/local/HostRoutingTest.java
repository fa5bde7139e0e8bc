package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * The local runtime's HTTP server routes a preview's or production's Host through the local ELBv2's rules
 * to the local ECS service behind them, and leaves every other host to the runtime's own routes; and
 * {@code /_local/resources} lists what exists of them.
 */
class HostRoutingTest {
    private static final String CLUSTER = LocalPlatform.BUILD_CLUSTER;
    private static final String HOST = "hello-world-pr-2.preview.localhost";

    @TempDir
    static Path dataDir;
    private static LocalPlatform platform;
    private static EcsClient ecs;
    private static ElasticLoadBalancingV2Client elb;

    /** A response read whole from a raw socket, since Java's HTTP clients do not let a caller set Host. */
    private record Response(int status, String head, String body) {
    }

    @BeforeAll
    static void start() throws IOException {
        platform = LocalPlatform.start(new LocalSettings(0, "secret", dataDir, true, "Codertocat/Hello-World", "main", 1,
                "127.0.0.1", 4, 1, List.of(), List.of(), 0, List.of(), 1, LocalSettings.DEFAULT_PREVIEW_DOMAIN),
                new PrintStream(PrintStream.nullOutputStream()));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        ecs = EcsClient.builder().endpointOverride(platform.ecsEndpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(platform.elb().endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        ecs.close();
        elb.close();
        platform.close();
    }

    private static Response get(String host, String path) throws IOException {
        try (Socket socket = new Socket(platform.url().getHost(), platform.url().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String whole = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = whole.indexOf("\r\n\r\n");
            String head = whole.substring(0, split);
            return new Response(Integer.parseInt(head.split(" ")[1]), head, whole.substring(split + 4));
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static int running() {
        return ecs.describeServices(r -> r.cluster(CLUSTER).services("hello-world-pr-2")).services().get(0).runningCount();
    }

    private static JsonNode resources() throws IOException {
        return Json.MAPPER.readTree(get("127.0.0.1", "/_local/resources").body());
    }

    private static JsonNode targetGroup(JsonNode resources, String name) {
        for (JsonNode group : resources.path("targetGroups")) {
            if (group.path("name").asText().equals(name)) {
                return group;
            }
        }
        throw new AssertionError("no target group " + name + " in " + resources.path("targetGroups"));
    }

    @Test
    void aPreviewHostReachesItsServiceUntilNothingRunsAndOnlyWhatExistsIsListed() throws Exception {
        String taskDefinition = ecs.registerTaskDefinition(r -> r.family("hello-world-pr-2")
                .containerDefinitions(c -> c.name("app").image("000000000000.dkr.ecr.us-east-1.localhost/platform-previews:abc1234"))
                .tags(t -> t.key("platform:project").value("hello-world"), t -> t.key("platform:pr").value("2"),
                        t -> t.key("platform:commit").value("abc1234"), t -> t.key("platform:deployment").value("d-<1>&2")))
                .taskDefinition().taskDefinitionArn();
        String group = elb.createTargetGroup(r -> r.name("hw-pr-2").protocol(ProtocolEnum.HTTP).port(3000).vpcId("vpc-local")
                .healthCheckPath("/health").tags(t -> t.key("platform:project").value("hello-world")))
                .targetGroups().get(0).targetGroupArn();
        String listener = platform.elb().previewListenerArns().get(0);
        String rule = elb.createRule(r -> r.listenerArn(listener).priority(7)
                .conditions(c -> c.field("host-header").values(HOST))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group))).rules().get(0).ruleArn();
        ecs.createService(r -> r.cluster(CLUSTER).serviceName("hello-world-pr-2").taskDefinition(taskDefinition).desiredCount(1)
                .loadBalancers(l -> l.targetGroupArn(group).containerName("app").containerPort(3000)));
        await(() -> running() == 1, "the service to run");

        Response page = get("Hello-World-PR-2.preview.localhost:8080", "/any/path");
        assertEquals(200, page.status(), page.body());
        assertTrue(page.head().toLowerCase(Locale.ROOT).contains("\r\nx-platform-deployment: d-<1>&2"), page.head());
        assertTrue(page.body().contains("hello-world") && page.body().contains("#2") && page.body().contains("abc1234"), page.body());
        assertTrue(page.body().contains("d-&lt;1&gt;&amp;2"), "tag values are HTML-escaped: " + page.body());

        JsonNode listed = resources();
        assertEquals("hello-world-pr-2", listed.path("services").path(0).path("serviceName").asText());
        assertEquals("hw-pr-2", listed.path("services").path(0).path("targetGroups").path(0).asText());
        assertEquals("/health", targetGroup(listed, "hw-pr-2").path("healthCheckPath").asText());
        assertEquals("lambda", targetGroup(listed, "waker-0").path("targetType").asText(), "the waker's group of shard 0");
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:waker",
                targetGroup(listed, "waker-0").path("targets").path(0).asText());
        assertEquals("hw-pr-2", listed.path("listenerRules").path(0).path("target").asText());
        assertEquals(HOST, listed.path("listenerRules").path(0).path("host").asText());
        assertEquals(0, listed.path("listenerRules").path(0).path("shard").asInt());
        assertEquals("abc1234", listed.path("taskDefinitions").path(0).path("tags").path("platform:commit").asText());
        assertTrue(listed.has("tasks") && listed.has("images") && listed.has("sources") && listed.has("github"), listed.toString());

        ecs.updateService(r -> r.cluster(CLUSTER).service("hello-world-pr-2").desiredCount(0));
        await(() -> running() == 0, "the service to scale to 0");
        Response unavailable = get(HOST, "/");
        assertEquals(503, unavailable.status());
        assertFalse(unavailable.body().contains("hw-pr-2") || unavailable.body().contains("arn:"), unavailable.body());

        ecs.deleteService(r -> r.cluster(CLUSTER).service("hello-world-pr-2").force(true));
        elb.deleteRule(r -> r.ruleArn(rule));
        elb.deleteTargetGroup(r -> r.targetGroupArn(group));
        ecs.deregisterTaskDefinition(r -> r.taskDefinition(taskDefinition));
        JsonNode after = resources();
        for (String key : List.of("services", "listenerRules", "taskDefinitions")) {
            assertEquals(0, after.path(key).size(), key + " holds only what exists: " + after.path(key));
        }
        assertEquals(List.of("waker-0"), after.path("targetGroups").findValuesAsText("name"),
                "only the runtime's own waker group is left: " + after.path("targetGroups"));
        assertEquals(404, get(HOST, "/").status(), "a preview host with no rule is the listeners' 404");
    }

    @Test
    void anUnknownPreviewHostIsNotFoundAndOtherHostsKeepTheRuntimeRoutes() throws IOException {
        Response missing = get("nothing-here.preview.localhost", "/_local/resources");
        assertEquals(404, missing.status());
        assertTrue(missing.head().toLowerCase(Locale.ROOT).contains("content-type: text/html"), missing.head());
        for (String host : List.of("127.0.0.1:" + platform.url().getPort(), "localhost", "localhost:" + platform.url().getPort())) {
            Response own = get(host, "/_local/resources");
            assertEquals(200, own.status(), host);
            assertTrue(own.body().startsWith("{"), own.body());
        }
    }
}
