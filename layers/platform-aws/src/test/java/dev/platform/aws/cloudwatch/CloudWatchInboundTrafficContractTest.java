package dev.platform.aws.cloudwatch;

import static java.time.temporal.ChronoUnit.MINUTES;
import static java.time.temporal.ChronoUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.AwsEmulator;
import dev.platform.core.sleep.InboundTraffic.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * The inbound traffic adapter against the AWS API emulator, on a load balancer made here (a VPC, two subnets,
 * one preview shard's listener, two target groups): {@code RequestCount} datapoints put for one target group
 * with both of the load balancer's dimensions, none for the other. Every {@code GetMetricData} call is
 * recorded to see the chunks of 500.
 *
 * <p>moto matches a query's dimensions to a datapoint's as sorted lists, and its dimension ordering is broken
 * (names compared to values), so the datapoints here list them in the order the adapter queries them
 * ({@code TargetGroup}, {@code LoadBalancer}); AWS ignores the order. moto never pages GetMetricData (no
 * {@code NextToken}); {@link CloudWatchInboundTrafficTest} covers the paging.
 */
class CloudWatchInboundTrafficContractTest {
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    /** A minute boundary: every datapoint below is placed relative to it. */
    private static final Instant NOW = Instant.now().truncatedTo(MINUTES);

    private final List<Integer> queriesPerCall = new CopyOnWriteArrayList<>();
    private final CloudWatchClient cloudWatch = CloudWatchClient.builder().region(Region.US_EAST_1)
            .endpointOverride(AwsEmulator.endpoint()).credentialsProvider(CREDENTIALS)
            .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof GetMetricDataRequest request) {
                        queriesPerCall.add(request.metricDataQueries().size());
                    }
                }
            }))
            .build();
    private final ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().region(Region.US_EAST_1)
            .endpointOverride(AwsEmulator.endpoint()).credentialsProvider(CREDENTIALS).build();
    private final String listener;
    private final String loadBalancer;
    private final Source a;
    private final Source b;
    private final CloudWatchInboundTraffic traffic;

    CloudWatchInboundTrafficContractTest() {
        String vpc;
        List<String> subnets;
        try (Ec2Client ec2 = Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(AwsEmulator.endpoint())
                .credentialsProvider(CREDENTIALS).build()) {
            vpc = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();
            subnets = List.of(
                    ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId(),
                    ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId());
        }
        String balancer = elb.createLoadBalancer(r -> r.name(name("previews")).subnets(subnets))
                .loadBalancers().getFirst().loadBalancerArn();
        listener = elb.createListener(r -> r.loadBalancerArn(balancer).protocol(ProtocolEnum.HTTP).port(80)
                        .defaultActions(d -> d.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("404"))))
                .listeners().getFirst().listenerArn();
        // the dimension as the load balancer publishes it: its ARN after "loadbalancer/"
        loadBalancer = balancer.substring(balancer.indexOf(":loadbalancer/") + ":loadbalancer/".length());
        a = new Source(targetGroup(vpc, "a"), 0);
        b = new Source(targetGroup(vpc, "b"), 0);
        traffic = new CloudWatchInboundTraffic(cloudWatch, List.of(listener));
    }

    private String targetGroup(String vpc, String prefix) {
        return elb.createTargetGroup(r -> r.name(name(prefix)).protocol(ProtocolEnum.HTTP).port(80).vpcId(vpc))
                .targetGroups().getFirst().targetGroupArn();
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** One RequestCount datapoint with both dimensions, as the load balancer publishes per target group. */
    private void requests(String targetGroupArn, Instant at, double count) {
        put(at, count, Dimension.builder().name("TargetGroup").value(targetGroupDimension(targetGroupArn)).build(),
                Dimension.builder().name("LoadBalancer").value(loadBalancer).build());
    }

    private void put(Instant at, double count, Dimension... dimensions) {
        cloudWatch.putMetricData(r -> r.namespace("AWS/ApplicationELB").metricData(MetricDatum.builder()
                .metricName("RequestCount").dimensions(dimensions).timestamp(at).value(count).build()));
    }

    private static String targetGroupDimension(String targetGroupArn) {
        return targetGroupArn.substring(targetGroupArn.indexOf(":targetgroup/") + 1);
    }

    @Test
    void theLastRequestIsTheStartOfTheLatestMinuteWithRequestsInTheWindow() {
        requests(a.targetGroupArn(), NOW.minus(90, MINUTES), 7);                  // before the window
        requests(a.targetGroupArn(), NOW.minus(30, MINUTES), 5);
        requests(a.targetGroupArn(), NOW.minus(20, MINUTES).plus(17, SECONDS), 2);  // the last one: its minute
        requests(a.targetGroupArn(), NOW.minus(10, MINUTES), 0);                  // later, but no request
        requests(a.targetGroupArn(), NOW.minus(5, MINUTES), 0);
        requests(a.targetGroupArn(), NOW.minus(1, MINUTES), 3);                   // at or after until
        // the same target group without the load balancer is another metric, which the load balancer never publishes
        put(NOW.minus(3, MINUTES), 9, Dimension.builder().name("TargetGroup").value(targetGroupDimension(a.targetGroupArn())).build());

        Map<Source, Instant> last = traffic.lastRequests(List.of(a, b), NOW.minus(60, MINUTES), NOW.minus(1, MINUTES));

        assertEquals(Map.of(a, NOW.minus(20, MINUTES)), last);
        assertEquals(List.of(2), queriesPerCall);
    }

    @Test
    void requestsInTheMinuteTheWindowStartsInCount() {
        requests(a.targetGroupArn(), NOW.minus(20, MINUTES).plus(10, SECONDS), 1);

        Map<Source, Instant> last = traffic.lastRequests(List.of(a), NOW.minus(20, MINUTES).plus(30, SECONDS), NOW);

        assertEquals(Map.of(a, NOW.minus(20, MINUTES)), last);
    }

    @Test
    void sixHundredSourcesAreTwoCallsAndOnlyThoseWithRequestsAreAnswered() {
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < 598; i++) {
            // never created: CloudWatch answers for any dimension value, and an ALB holds only 100 target groups
            sources.add(new Source("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/" + name("idle")
                    + "/" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()), 0));
        }
        sources.add(3, a);
        sources.add(450, b);
        Source late = sources.get(550);  // in the second call
        requests(a.targetGroupArn(), NOW.minus(40, MINUTES), 12);
        requests(late.targetGroupArn(), NOW.minus(15, MINUTES), 1);
        requests(late.targetGroupArn(), NOW.minus(12, MINUTES), 0);

        Map<Source, Instant> last = traffic.lastRequests(sources, NOW.minus(60, MINUTES), NOW);

        assertEquals(Map.of(a, NOW.minus(40, MINUTES), late, NOW.minus(15, MINUTES)), last);
        assertEquals(List.of(500, 100), queriesPerCall);
    }

    @Test
    void noSourcesAreAnsweredWithoutACall() {
        assertEquals(Map.of(), traffic.lastRequests(List.of(), NOW.minus(60, MINUTES), NOW));
        assertEquals(List.of(), queriesPerCall);
    }

    @Test
    void aSourceOnAShardWithoutAListenerIsRefusedBeforeAnyCall() {
        Source unknown = new Source(b.targetGroupArn(), 1);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> traffic.lastRequests(List.of(a, unknown), NOW.minus(60, MINUTES), NOW));

        assertTrue(refused.getMessage().contains("shard 1") && refused.getMessage().contains(b.targetGroupArn()),
                refused.getMessage());
        assertEquals(List.of(), queriesPerCall);
    }

    @Test
    void anArnThatDoesNotParseIsNamed() {
        String network = listener.replace(":listener/app/", ":listener/net/");
        IllegalArgumentException badListener = assertThrows(IllegalArgumentException.class,
                () -> new CloudWatchInboundTraffic(cloudWatch, List.of(listener, network)));
        assertTrue(badListener.getMessage().contains(network), badListener.getMessage());

        String notATargetGroup = listener;
        IllegalArgumentException badTargetGroup = assertThrows(IllegalArgumentException.class,
                () -> traffic.lastRequests(List.of(new Source(notATargetGroup, 0)), NOW.minus(60, MINUTES), NOW));
        assertTrue(badTargetGroup.getMessage().contains(notATargetGroup), badTargetGroup.getMessage());
        assertEquals(List.of(), queriesPerCall);
    }
}
