package dev.platform.local.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.cloudwatch.CloudWatchInboundTraffic;
import dev.platform.core.sleep.InboundTraffic;
import dev.platform.local.ecs.LocalEcs;
import dev.platform.local.elb.LocalElb;
import dev.platform.local.elb.LocalRouter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The platform's real CloudWatch adapter reads the requests the router sent to each target group from the local
 * CloudWatch, as it reads the load balancers' {@code RequestCount} on AWS.
 */
class LocalCloudWatchTest {
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    /** A clock the test moves: the router stamps each request with it. */
    private static final class TestClock extends Clock {
        volatile Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();
    private LocalElb elb;
    private LocalCloudWatch cloudWatch;
    private CloudWatchClient client;
    private LocalRouter router;
    private String groupA;
    private String groupB;
    private String groupC;

    @BeforeEach
    void start() throws IOException {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        elb = LocalElb.start("127.0.0.1", null, 2);
        cloudWatch = LocalCloudWatch.start("127.0.0.1", clock);
        client = CloudWatchClient.builder().endpointOverride(cloudWatch.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        try (ElasticLoadBalancingV2Client elbClient = ElasticLoadBalancingV2Client.builder().endpointOverride(elb.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            groupA = previewOn(elbClient, "e-a", 0, 1, "a.preview.localhost");
            groupB = previewOn(elbClient, "e-b", 1, 1, "b.s1.preview.localhost");
            groupC = previewOn(elbClient, "e-c", 0, 2, "c.preview.localhost");
        }
        router = new LocalRouter(elb, arn -> Optional.of(new LocalEcs.Serving(1, Map.of())),
                (arn, event) -> {
                    throw new AssertionError("no lambda target here");
                }, "preview.localhost", clock);
        router.onServed(cloudWatch::recordRequest);
    }

    private String previewOn(ElasticLoadBalancingV2Client elbClient, String name, int shard, int priority, String host) {
        String arn = elbClient.createTargetGroup(r -> r.name(name).protocol(ProtocolEnum.HTTP).port(3000).vpcId("vpc-local")
                .targetType(TargetTypeEnum.IP)).targetGroups().get(0).targetGroupArn();
        elbClient.createRule(r -> r.listenerArn(elb.previewListenerArns().get(shard)).priority(priority)
                .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values(host)))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(arn)));
        return arn;
    }

    @AfterEach
    void stop() {
        client.close();
        cloudWatch.close();
        elb.close();
    }

    private void requestAt(String host, String offset) throws IOException {
        clock.now = T0.plus(java.time.Duration.parse(offset));
        assertEquals(200, router.route(new LocalRouter.Request("GET", URI.create("/"), Map.of("Host", List.of(host)), "127.0.0.1",
                8080, InputStream.nullInputStream())).orElseThrow().status());
    }

    @Test
    void theAdapterReadsTheMinuteOfEachTargetGroupsLastRequest() throws IOException {
        requestAt("a.preview.localhost", "PT30S");
        requestAt("a.preview.localhost", "PT3M10S");
        requestAt("a.preview.localhost", "PT3M50S");
        requestAt("b.s1.preview.localhost:8080", "PT1M5S");
        clock.now = T0.plusSeconds(600);

        // the local listener ARNs parse as application load balancers' (LoadBalancer dimension app/<name>/<id>)
        CloudWatchInboundTraffic traffic = new CloudWatchInboundTraffic(client, elb.previewListenerArns());
        InboundTraffic.Source a = new InboundTraffic.Source(groupA, 0);
        InboundTraffic.Source b = new InboundTraffic.Source(groupB, 1);
        InboundTraffic.Source c = new InboundTraffic.Source(groupC, 0);
        Map<InboundTraffic.Source, Instant> last = traffic.lastRequests(List.of(a, b, c), T0.minusSeconds(20), T0.plusSeconds(600));
        assertEquals(Map.of(a, T0.plusSeconds(180), b, T0.plusSeconds(60)), last, "the start of the minute of the last request; none for c");

        assertEquals(Map.of(a, T0.plusSeconds(180)), traffic.lastRequests(List.of(a, b), T0.plusSeconds(150), T0.plusSeconds(600)),
                "since 10:02:30: b's request at 10:01 is before the window");
        assertEquals(Map.of(a, T0.plusSeconds(180)), traffic.lastRequests(List.of(a), T0.plusSeconds(200), T0.plusSeconds(600)),
                "the window's start is rounded down to its minute, so the request in since's minute counts");
        assertEquals(Map.of(), traffic.lastRequests(List.of(a), T0.plusSeconds(240), T0.plusSeconds(600)));
        assertEquals(Map.of(), traffic.lastRequests(List.of(new InboundTraffic.Source(groupA, 1)), T0, T0.plusSeconds(600)),
                "a's requests came through shard 0's load balancer, not shard 1's");
        assertTrue(cloudWatch.calls().json().path("GetMetricData").asLong() >= 5, cloudWatch.calls().json().toString());
    }

    private GetMetricDataRequest.Builder requestCountOfA(String stat) {
        return GetMetricDataRequest.builder()
                .metricDataQueries(q -> q.id("a").metricStat(s -> s.metric(m -> m.namespace("AWS/ApplicationELB").metricName("RequestCount")
                                .dimensions(d -> d.name("TargetGroup").value(groupA.substring(groupA.indexOf("targetgroup/"))),
                                        d -> d.name("LoadBalancer").value(loadBalancerOfShard0())))
                        .period(60).stat(stat)))
                .startTime(T0).endTime(T0.plusSeconds(600));
    }

    private String loadBalancerOfShard0() {
        String path = elb.previewListenerArns().get(0).split(":", 6)[5]; // listener/app/<name>/<id>/<listener id>
        String[] parts = path.split("/");
        return "app/" + parts[2] + "/" + parts[3];
    }

    @Test
    void sumsPerMinutePagedByMaxDatapointsAndNextToken() throws IOException {
        requestAt("a.preview.localhost", "PT30S");
        requestAt("a.preview.localhost", "PT3M10S");
        requestAt("a.preview.localhost", "PT3M50S");
        requestAt("a.preview.localhost", "PT5M");

        GetMetricDataResponse all = client.getMetricData(requestCountOfA("Sum").scanBy(ScanBy.TIMESTAMP_ASCENDING).build());
        MetricDataResult whole = all.metricDataResults().get(0);
        assertEquals(List.of(T0, T0.plusSeconds(180), T0.plusSeconds(300)), whole.timestamps());
        assertEquals(List.of(1.0, 2.0, 1.0), whole.values());
        assertEquals(StatusCode.COMPLETE, whole.statusCode());
        assertEquals("RequestCount", whole.label());
        assertEquals(null, all.nextToken());

        List<Instant> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            GetMetricDataResponse page = client.getMetricData(requestCountOfA("Sum").maxDatapoints(2).nextToken(token).build());
            paged.addAll(page.metricDataResults().get(0).timestamps());
            assertEquals(page.nextToken() == null ? StatusCode.COMPLETE : StatusCode.PARTIAL_DATA,
                    page.metricDataResults().get(0).statusCode());
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertEquals(2, pages);
        assertEquals(List.of(T0.plusSeconds(300), T0.plusSeconds(180), T0), paged, "newest first by default");

        GetMetricDataResponse fiveMinutes = client.getMetricData(requestCountOfA("Sum").metricDataQueries(q -> q.id("a")
                .metricStat(s -> s.metric(requestCountOfA("Sum").build().metricDataQueries().get(0).metricStat().metric())
                        .period(300).stat("Sum"))).scanBy(ScanBy.TIMESTAMP_ASCENDING).build());
        assertEquals(List.of(3.0, 1.0), fiveMinutes.metricDataResults().get(0).values(), "10:00-10:05 and 10:05-10:10");

        GetMetricDataResponse otherMetric = client.getMetricData(requestCountOfA("Sum").metricDataQueries(q -> q.id("x")
                .metricStat(s -> s.metric(m -> m.namespace("AWS/ApplicationELB").metricName("HTTPCode_Target_5XX_Count")).period(60)
                        .stat("Sum"))).build());
        assertEquals(List.of(), otherMetric.metricDataResults().get(0).timestamps(), "a metric nothing publishes has no datapoints");

        CloudWatchException average = assertThrows(CloudWatchException.class, () -> client.getMetricData(requestCountOfA("Average").build()));
        assertEquals("InvalidParameterValue", average.awsErrorDetails().errorCode());
        assertThrows(InvalidNextTokenException.class, () -> client.getMetricData(requestCountOfA("Sum").nextToken("bm9wZQ").build()));
        CloudWatchException backwards = assertThrows(CloudWatchException.class, () -> client.getMetricData(requestCountOfA("Sum")
                .startTime(T0.plusSeconds(600)).endTime(T0).build()));
        assertEquals(400, backwards.statusCode());
    }
}
