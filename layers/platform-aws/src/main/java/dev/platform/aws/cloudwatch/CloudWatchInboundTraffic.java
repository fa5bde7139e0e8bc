package dev.platform.aws.cloudwatch;

import dev.platform.core.sleep.InboundTraffic;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * Inbound traffic from CloudWatch: the {@code RequestCount} that every application load balancer publishes,
 * free and per minute, for each of its target groups ({@code AWS/ApplicationELB}, dimensions
 * {@code TargetGroup} and {@code LoadBalancer}).
 *
 * <ul>
 *   <li>Both dimensions are named because a CloudWatch metric is identified by its whole dimension set: the
 *   load balancer publishes per-target-group counts only as {@code {TargetGroup, LoadBalancer}} (and per zone),
 *   so {@code TargetGroup} alone matches nothing.</li>
 *   <li>One {@code GetMetricData} call answers up to 500 metrics (the API's limit), so the previews of five
 *   full shards are one round trip; larger inputs go in chunks of 500. The call is billed per metric
 *   requested, not per datapoint, so a check costs O(previews) whatever the window's length.</li>
 *   <li>{@code Sum} per 60 s: the load balancer's own resolution. A minute with no request has no datapoint
 *   or a 0, so only values above 0 count.</li>
 *   <li>{@code TIMESTAMP_DESCENDING}: newest minutes first, so when a page is cut by the datapoint limit the
 *   minutes that matter come first; the latest is still taken over every page (following {@code NextToken}),
 *   so the answer does not depend on the order.</li>
 * </ul>
 *
 * <p>A source's answer is the timestamp of its last datapoint above 0: the <em>start</em> of the minute in
 * which it last received a request (the request itself came up to 59 s later). The window's start is rounded
 * down to its minute, as CloudWatch does itself for data under 15 days old, so that minute can begin up to
 * 59 s before {@code since}: a request in the minute {@code since} falls in is not missed. One-minute
 * datapoints are kept for 15 days, and the load balancer publishes them a minute or two late, so the last
 * minutes before {@code until} may not show yet.
 */
public final class CloudWatchInboundTraffic implements InboundTraffic {
    /** GetMetricData takes at most 500 queries per call. */
    static final int MAX_QUERIES_PER_CALL = 500;
    private static final String NAMESPACE = "AWS/ApplicationELB";
    private static final String METRIC = "RequestCount";
    private static final int PERIOD_SECONDS = 60;

    private final CloudWatchClient cloudWatch;
    /** The {@code LoadBalancer} dimension of each preview shard, the index being the shard. */
    private final List<String> loadBalancers;

    /**
     * @param previewListenerArns the listener of each preview shard, the index being the shard (as
     *     {@code PREVIEW_LISTENER_ARNS}); each must be an application load balancer's listener ARN
     */
    public CloudWatchInboundTraffic(CloudWatchClient cloudWatch, List<String> previewListenerArns) {
        this.cloudWatch = cloudWatch;
        this.loadBalancers = previewListenerArns.stream().map(CloudWatchInboundTraffic::loadBalancerDimension).toList();
    }

    @Override
    public Map<Source, Instant> lastRequests(Collection<Source> sources, Instant since, Instant until) {
        // Query ids must match ^[a-z][a-zA-Z0-9_]*$ and be unique in a call: q0, q1, ... in input order.
        Map<String, Source> byId = new LinkedHashMap<>();
        List<MetricDataQuery> queries = new ArrayList<>();
        for (Source source : new LinkedHashSet<>(sources)) {
            String id = "q" + queries.size();
            byId.put(id, source);
            queries.add(query(id, source));  // every source is checked before the first call
        }
        if (queries.isEmpty()) {
            return Map.of();
        }
        if (!since.isBefore(until)) {
            throw new IllegalArgumentException("empty window: since " + since + " is not before until " + until);
        }
        Instant start = since.truncatedTo(ChronoUnit.MINUTES);

        Map<Source, Instant> last = new HashMap<>();
        for (int from = 0; from < queries.size(); from += MAX_QUERIES_PER_CALL) {
            List<MetricDataQuery> chunk = queries.subList(from, Math.min(from + MAX_QUERIES_PER_CALL, queries.size()));
            String nextToken = null;
            do {
                GetMetricDataResponse page = cloudWatch.getMetricData(GetMetricDataRequest.builder()
                        .metricDataQueries(chunk)
                        .startTime(start)
                        .endTime(until)
                        .scanBy(ScanBy.TIMESTAMP_DESCENDING)
                        .nextToken(nextToken)
                        .build());
                for (MetricDataResult result : page.metricDataResults()) {
                    Source source = byId.get(result.id());
                    if (result.statusCode() == StatusCode.INTERNAL_ERROR || result.statusCode() == StatusCode.FORBIDDEN) {
                        // absent would read as idle, and an idle preview is put to sleep: fail instead
                        throw new IllegalStateException("CloudWatch did not answer RequestCount of " + source.targetGroupArn()
                                + ": " + result.statusCodeAsString() + " " + result.messages());
                    }
                    List<Instant> timestamps = result.timestamps();
                    List<Double> values = result.values();
                    for (int i = 0; i < timestamps.size(); i++) {
                        if (values.get(i) > 0) {
                            last.merge(source, timestamps.get(i), (a, b) -> a.isAfter(b) ? a : b);
                        }
                    }
                }
                nextToken = page.nextToken();
            } while (nextToken != null);
        }
        return last;
    }

    private MetricDataQuery query(String id, Source source) {
        if (source.shard() < 0 || source.shard() >= loadBalancers.size()) {
            throw new IllegalArgumentException("target group " + source.targetGroupArn() + " is on shard " + source.shard()
                    + ", but only " + loadBalancers.size() + " preview shard listener(s) are configured (shards 0 to "
                    + (loadBalancers.size() - 1) + ")");
        }
        return MetricDataQuery.builder()
                .id(id)
                .metricStat(s -> s
                        .metric(m -> m
                                .namespace(NAMESPACE)
                                .metricName(METRIC)
                                .dimensions(
                                        Dimension.builder().name("TargetGroup").value(targetGroupDimension(source.targetGroupArn())).build(),
                                        Dimension.builder().name("LoadBalancer").value(loadBalancers.get(source.shard())).build()))
                        .period(PERIOD_SECONDS)
                        .stat("Sum"))
                .returnData(true)
                .build();
    }

    /** {@code arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>} → {@code targetgroup/<name>/<id>}. */
    static String targetGroupDimension(String targetGroupArn) {
        String[] path = resourcePath(targetGroupArn);
        if (path.length != 3 || !path[0].equals("targetgroup") || path[1].isEmpty() || path[2].isEmpty()) {
            throw new IllegalArgumentException("not a target group ARN: " + targetGroupArn);
        }
        return String.join("/", path);
    }

    /**
     * {@code arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<lb-id>/<listener-id>} →
     * {@code app/<name>/<lb-id>}. Only application load balancers count requests per target group.
     */
    static String loadBalancerDimension(String listenerArn) {
        String[] path = resourcePath(listenerArn);
        if (path.length != 5 || !path[0].equals("listener") || !path[1].equals("app")
                || path[2].isEmpty() || path[3].isEmpty() || path[4].isEmpty()) {
            throw new IllegalArgumentException("not an application load balancer listener ARN: " + listenerArn);
        }
        return "app/" + path[2] + "/" + path[3];
    }

    /** The '/'-separated resource of an ELB ARN, or nothing when it is not one. */
    private static String[] resourcePath(String arn) {
        String[] fields = arn.split(":", 6);
        if (fields.length != 6 || !fields[0].equals("arn") || !fields[2].equals("elasticloadbalancing")) {
            return new String[0];
        }
        return fields[5].split("/", -1);
    }
}
