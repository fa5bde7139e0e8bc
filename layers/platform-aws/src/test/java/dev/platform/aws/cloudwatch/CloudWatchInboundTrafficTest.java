package dev.platform.aws.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.sleep.InboundTraffic.Source;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * What moto does not emulate: GetMetricData pages ({@code NextToken}, as AWS answers past 100,800
 * datapoints) and per-metric error statuses; and the exact query the adapter sends. The client answers
 * scripted pages and records the requests.
 */
class CloudWatchInboundTrafficTest {
    private static final String LISTENER =
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/previews-0/50dc6c495c0c9188/f2f7dc8efc522ab2";
    private static final Source A =
            new Source("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-pr-7/73e2d6bc24d8a067", 0);
    private static final Source B =
            new Source("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-pr-8/0123456789abcdef", 0);
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    /** Answers the scripted pages in order and records every request. */
    private static final class ScriptedCloudWatch implements CloudWatchClient {
        final Deque<GetMetricDataResponse> pages = new ArrayDeque<>();
        final List<GetMetricDataRequest> requests = new ArrayList<>();

        @Override
        public GetMetricDataResponse getMetricData(GetMetricDataRequest request) {
            requests.add(request);
            return pages.removeFirst();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {
        }
    }

    private static MetricDataResult result(String id, StatusCode status, List<Instant> timestamps, List<Double> values) {
        return MetricDataResult.builder().id(id).statusCode(status).timestamps(timestamps).values(values).build();
    }

    @Test
    void theQueryNamesBothDimensionsPerMinuteSumsNewestFirstFromTheWindowsMinute() {
        ScriptedCloudWatch cloudWatch = new ScriptedCloudWatch();
        cloudWatch.pages.add(GetMetricDataResponse.builder().metricDataResults(
                result("q0", StatusCode.COMPLETE, List.of(), List.of())).build());

        new CloudWatchInboundTraffic(cloudWatch, List.of(LISTENER)).lastRequests(List.of(A), T.plusSeconds(42), T.plusSeconds(3600));

        GetMetricDataRequest request = cloudWatch.requests.getFirst();
        assertEquals(T, request.startTime());
        assertEquals(T.plusSeconds(3600), request.endTime());
        assertEquals(ScanBy.TIMESTAMP_DESCENDING, request.scanBy());
        MetricDataQuery query = request.metricDataQueries().getFirst();
        assertEquals("q0", query.id());
        assertEquals("AWS/ApplicationELB", query.metricStat().metric().namespace());
        assertEquals("RequestCount", query.metricStat().metric().metricName());
        assertEquals(Map.of("TargetGroup", "targetgroup/shop-pr-7/73e2d6bc24d8a067", "LoadBalancer", "app/previews-0/50dc6c495c0c9188"),
                query.metricStat().metric().dimensions().stream().collect(Collectors.toMap(Dimension::name, Dimension::value)));
        assertEquals(60, query.metricStat().period());
        assertEquals("Sum", query.metricStat().stat());
    }

    @Test
    void everyPageIsReadAndTheLatestMinuteAboveZeroWins() {
        ScriptedCloudWatch cloudWatch = new ScriptedCloudWatch();
        cloudWatch.pages.add(GetMetricDataResponse.builder().nextToken("page-2").metricDataResults(
                result("q0", StatusCode.PARTIAL_DATA, List.of(T.plusSeconds(600), T.plusSeconds(540)), List.of(0.0, 0.0)),
                result("q1", StatusCode.PARTIAL_DATA, List.of(T.plusSeconds(300)), List.of(4.0))).build());
        cloudWatch.pages.add(GetMetricDataResponse.builder().metricDataResults(
                result("q0", StatusCode.COMPLETE, List.of(T.plusSeconds(120), T.plusSeconds(60)), List.of(3.0, 8.0)),
                result("q1", StatusCode.COMPLETE, List.of(T.plusSeconds(240)), List.of(1.0))).build());

        Map<Source, Instant> last = new CloudWatchInboundTraffic(cloudWatch, List.of(LISTENER))
                .lastRequests(List.of(A, B), T, T.plusSeconds(3600));

        assertEquals(Map.of(A, T.plusSeconds(120), B, T.plusSeconds(300)), last);
        assertEquals(2, cloudWatch.requests.size());
        assertNull(cloudWatch.requests.get(0).nextToken());
        assertEquals("page-2", cloudWatch.requests.get(1).nextToken());
        assertEquals(cloudWatch.requests.get(0).metricDataQueries(), cloudWatch.requests.get(1).metricDataQueries());
    }

    @Test
    void aMetricCloudWatchCouldNotReadFailsRatherThanLookingIdle() {
        ScriptedCloudWatch cloudWatch = new ScriptedCloudWatch();
        cloudWatch.pages.add(GetMetricDataResponse.builder().metricDataResults(
                result("q0", StatusCode.COMPLETE, List.of(T), List.of(1.0)),
                result("q1", StatusCode.INTERNAL_ERROR, List.of(), List.of())).build());

        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> new CloudWatchInboundTraffic(cloudWatch, List.of(LISTENER)).lastRequests(List.of(A, B), T, T.plusSeconds(3600)));

        assertTrue(failed.getMessage().contains(B.targetGroupArn()), failed.getMessage());
    }

    @Test
    void theSameSourceTwiceIsOneQuery() {
        ScriptedCloudWatch cloudWatch = new ScriptedCloudWatch();
        cloudWatch.pages.add(GetMetricDataResponse.builder().metricDataResults(
                result("q0", StatusCode.COMPLETE, List.of(T), List.of(1.0))).build());

        Map<Source, Instant> last = new CloudWatchInboundTraffic(cloudWatch, List.of(LISTENER))
                .lastRequests(List.of(A, A), T, T.plusSeconds(3600));

        assertEquals(Map.of(A, T), last);
        assertEquals(1, cloudWatch.requests.getFirst().metricDataQueries().size());
    }
}
