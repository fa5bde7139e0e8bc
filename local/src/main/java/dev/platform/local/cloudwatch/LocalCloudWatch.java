package dev.platform.local.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.Hashes;
import dev.platform.core.json.Json;
import dev.platform.embedded.FreePort;
import dev.platform.local.http.CallCounts;
import dev.platform.local.http.Exchanges;
import dev.platform.local.http.QueryForm;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * CloudWatch, locally, for what the platform reads of it: the {@code RequestCount} the load balancers publish per
 * target group ({@code AWS/ApplicationELB}, dimensions {@code TargetGroup} and {@code LoadBalancer}), answered by
 * {@code GetMetricData} over the AWS Query protocol (the one the SDK's CloudWatch client speaks), so the platform's
 * real adapter runs against it. The counts are the requests the runtime's router sent to a target
 * ({@link #recordRequest}), per minute; they are kept in memory for 15 days, as CloudWatch keeps one-minute data,
 * and are gone at a restart.
 *
 * <p>{@code GetMetricData} here: {@code MetricStat} queries with the {@code Sum} statistic and a period of a
 * multiple of 60 s; {@code StartTime} rounded down to its minute, {@code EndTime} exclusive; one datapoint per
 * period with requests (none for a period without); {@code ScanBy}, {@code MaxDatapoints} and {@code NextToken}
 * as CloudWatch pages. Any other metric has no datapoints, as in CloudWatch. Expressions and other statistics are
 * refused with an error saying so.
 */
public final class LocalCloudWatch implements AutoCloseable {
    static final String NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    static final String ELB_NAMESPACE = "AWS/ApplicationELB";
    static final String REQUEST_COUNT = "RequestCount";
    static final int MAX_QUERIES = 500;
    static final int DEFAULT_MAX_DATAPOINTS = 100_800;
    private static final Duration RETENTION = Duration.ofDays(15);
    private static final Pattern QUERY_ID = Pattern.compile("[a-z][a-zA-Z0-9_]{0,254}");

    /** One {@code RequestCount} metric: its {@code TargetGroup} and {@code LoadBalancer} dimension values. */
    private record Metric(String targetGroup, String loadBalancer) {
    }

    private static final class CloudWatchError extends RuntimeException {
        final int status;
        final String code;

        CloudWatchError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        static CloudWatchError invalid(String message) {
            return new CloudWatchError(400, "InvalidParameterValue", message);
        }
    }

    private final HttpServer server;
    private final String host;
    private final Clock clock;
    private final CallCounts calls = new CallCounts();
    /** Requests per metric, per minute (its first second since the epoch). */
    private final Map<Metric, NavigableMap<Long, LongAdder>> requests = new ConcurrentHashMap<>();

    private LocalCloudWatch(HttpServer server, String host, Clock clock) {
        this.server = server;
        this.host = host;
        this.clock = clock;
    }

    public static LocalCloudWatch start(String host, Clock clock) throws IOException {
        HttpServer server = Exchanges.listen(host, 0, 64);
        LocalCloudWatch cloudWatch = new LocalCloudWatch(server, host, clock);
        server.createContext("/", cloudWatch::serve);
        server.start();
        return cloudWatch;
    }

    public URI endpoint() {
        return FreePort.url(host, server.getAddress().getPort());
    }

    /** The calls answered so far, per operation. */
    public CallCounts calls() {
        return calls;
    }

    /**
     * One request a load balancer sent to a target of a target group, as it counts it in {@code RequestCount}.
     *
     * @param loadBalancerArn {@code arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>}
     * @param targetGroupArn {@code arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>}
     */
    public void recordRequest(String loadBalancerArn, String targetGroupArn, Instant at) {
        Metric metric = new Metric(resource(targetGroupArn, "targetgroup/"), resource(loadBalancerArn, "loadbalancer/").substring("loadbalancer/".length()));
        NavigableMap<Long, LongAdder> minutes = requests.computeIfAbsent(metric, m -> new ConcurrentSkipListMap<>());
        minutes.computeIfAbsent(at.truncatedTo(ChronoUnit.MINUTES).getEpochSecond(), minute -> new LongAdder()).increment();
        minutes.headMap(clock.instant().minus(RETENTION).getEpochSecond()).clear();
    }

    /** The resource of an ELB ARN, which CloudWatch's dimension values are: {@code targetgroup/<name>/<id>}, say. */
    private static String resource(String arn, String type) {
        String[] fields = arn.split(":", 6);
        if (fields.length != 6 || !fields[2].equals("elasticloadbalancing") || !fields[5].startsWith(type)) {
            throw new IllegalArgumentException("not an ELB " + type + " ARN: " + arn);
        }
        return fields[5];
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString();
            ObjectNode request = QueryForm.tree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String action = request.path("Action").asText();
            calls.count(action);
            try {
                JsonNode result = switch (action) {
                    case "GetMetricData" -> getMetricData(request);
                    default -> throw new CloudWatchError(400, "InvalidAction", "the local CloudWatch does not answer " + action);
                };
                send(exchange, 200, QueryForm.response(action, NAMESPACE, result, requestId));
            } catch (CloudWatchError e) {
                send(exchange, e.status, QueryForm.error(NAMESPACE, e.code, e.getMessage(), requestId));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String xml) throws IOException {
        Exchanges.send(exchange, status, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    // --- GetMetricData

    /** A query's datapoints in scan order. */
    private record Series(String id, String label, List<Long> timestamps, List<Double> values) {
    }

    private JsonNode getMetricData(ObjectNode request) {
        JsonNode queries = request.path("MetricDataQueries");
        if (!queries.isArray() || queries.isEmpty()) {
            throw new CloudWatchError(400, "MissingParameter", "The parameter MetricDataQueries is required.");
        }
        if (queries.size() > MAX_QUERIES) {
            throw CloudWatchError.invalid("The collection MetricDataQueries must not have a size greater than " + MAX_QUERIES + ".");
        }
        Instant start = time(request, "StartTime").truncatedTo(ChronoUnit.MINUTES);
        Instant end = time(request, "EndTime");
        if (!start.isBefore(end)) {
            throw CloudWatchError.invalid("The parameter StartTime must be less than the parameter EndTime.");
        }
        boolean ascending = switch (request.path("ScanBy").asText("TimestampDescending")) {
            case "TimestampDescending" -> false;
            case "TimestampAscending" -> true;
            default -> throw CloudWatchError.invalid("The value " + request.path("ScanBy").asText()
                    + " for parameter ScanBy is not valid (TimestampDescending or TimestampAscending).");
        };
        int maxDatapoints = positive(request, "MaxDatapoints", DEFAULT_MAX_DATAPOINTS);

        List<Series> series = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < queries.size(); i++) {
            JsonNode query = queries.get(i);
            String field = "MetricDataQueries.member." + (i + 1);
            String id = query.path("Id").asText("");
            if (!QUERY_ID.matcher(id).matches()) {
                throw CloudWatchError.invalid("The value " + id + " for parameter " + field + ".Id is not valid: it must start "
                        + "with a lower-case letter and hold only letters, digits and underscores.");
            }
            if (!ids.add(id)) {
                throw CloudWatchError.invalid("The value " + id + " for parameter " + field + ".Id is not unique.");
            }
            if (query.has("Expression")) {
                throw CloudWatchError.invalid("The local CloudWatch answers MetricStat queries only (" + field + " has an Expression).");
            }
            JsonNode stat = query.path("MetricStat");
            if (stat.isMissingNode()) {
                throw new CloudWatchError(400, "MissingParameter", "The parameter " + field + ".MetricStat is required.");
            }
            if (!stat.path("Stat").asText("").equals("Sum")) {
                throw CloudWatchError.invalid("The local CloudWatch computes the Sum statistic only, not '"
                        + stat.path("Stat").asText("") + "' (" + field + ".MetricStat.Stat).");
            }
            int period = positive(stat, "Period", -1);
            if (period % 60 != 0) {
                throw CloudWatchError.invalid("The local CloudWatch keeps one-minute data: " + field
                        + ".MetricStat.Period must be a multiple of 60, not " + period + ".");
            }
            if (!query.path("ReturnData").asText("true").equals("true")) {
                continue;
            }
            JsonNode metric = stat.path("Metric");
            String label = query.path("Label").asText(metric.path("MetricName").asText(""));
            series.add(series(id, label, metric, period, start, end, ascending));
        }
        return page(series, request, maxDatapoints);
    }

    /** The sums per period, of the periods with requests, aligned to {@code start}. */
    private Series series(String id, String label, JsonNode metric, int period, Instant start, Instant end, boolean ascending) {
        NavigableMap<Long, LongAdder> minutes = requestCounts(metric);
        NavigableMap<Long, Double> sums = new java.util.TreeMap<>();
        long from = start.getEpochSecond();
        minutes.subMap(from, true, end.getEpochSecond(), false).forEach((minute, count) -> {
            long bucket = from + (minute - from) / period * period;
            if (count.sum() > 0) {
                sums.merge(bucket, (double) count.sum(), Double::sum);
            }
        });
        NavigableMap<Long, Double> ordered = ascending ? sums : sums.descendingMap();
        return new Series(id, label, new ArrayList<>(ordered.keySet()), new ArrayList<>(ordered.values()));
    }

    /** Only the load balancers' RequestCount with exactly its two dimensions has data. */
    private NavigableMap<Long, LongAdder> requestCounts(JsonNode metric) {
        if (!metric.path("Namespace").asText().equals(ELB_NAMESPACE) || !metric.path("MetricName").asText().equals(REQUEST_COUNT)) {
            return new ConcurrentSkipListMap<>();
        }
        String targetGroup = null;
        String loadBalancer = null;
        JsonNode dimensions = metric.path("Dimensions");
        for (JsonNode dimension : dimensions) {
            switch (dimension.path("Name").asText()) {
                case "TargetGroup" -> targetGroup = dimension.path("Value").asText();
                case "LoadBalancer" -> loadBalancer = dimension.path("Value").asText();
                default -> {
                    return new ConcurrentSkipListMap<>();
                }
            }
        }
        if (dimensions.size() != 2 || targetGroup == null || loadBalancer == null) {
            return new ConcurrentSkipListMap<>();
        }
        return requests.getOrDefault(new Metric(targetGroup, loadBalancer), new ConcurrentSkipListMap<>());
    }

    /**
     * The page that {@code NextToken} points at: at most {@code maxDatapoints} datapoints over all queries, in query
     * order. Every query has a result on every page; one whose datapoints go on past this page is {@code PartialData}.
     */
    private JsonNode page(List<Series> series, ObjectNode request, int maxDatapoints) {
        String fingerprint = fingerprint(request);
        long offset = 0;
        if (request.hasNonNull("NextToken")) {
            offset = offset(request.get("NextToken").asText(), fingerprint);
        }
        long total = series.stream().mapToLong(s -> s.timestamps().size()).sum();
        long pageEnd = Math.min(total, offset + maxDatapoints);
        ObjectNode result = Json.object();
        ArrayNode results = result.putArray("MetricDataResults");
        long position = 0;
        for (Series one : series) {
            int size = one.timestamps().size();
            int from = (int) Math.max(0, Math.min(size, offset - position));
            int to = (int) Math.max(0, Math.min(size, pageEnd - position));
            ObjectNode entry = results.addObject();
            entry.put("Id", one.id());
            entry.put("Label", one.label());
            ArrayNode timestamps = entry.putArray("Timestamps");
            ArrayNode values = entry.putArray("Values");
            for (int i = from; i < to; i++) {
                timestamps.add(Instant.ofEpochSecond(one.timestamps().get(i)).toString());
                values.add(Double.toString(one.values().get(i)));
            }
            entry.put("StatusCode", to < size ? "PartialData" : "Complete");
            position += size;
        }
        if (pageEnd < total) {
            result.put("NextToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((pageEnd + ":" + fingerprint).getBytes(StandardCharsets.UTF_8)));
        }
        result.putArray("Messages");
        return result;
    }

    /** What a token is for: the request without its token, so a token of another request is refused. */
    private static String fingerprint(ObjectNode request) {
        ObjectNode copy = request.deepCopy();
        copy.remove("NextToken");
        return Hashes.sha256Hex(Json.write(copy), 16);
    }

    private static long offset(String token, String fingerprint) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 2);
            if (parts.length == 2 && parts[1].equals(fingerprint)) {
                return Long.parseLong(parts[0]);
            }
        } catch (IllegalArgumentException malformed) {
            // refused below
        }
        throw new CloudWatchError(400, "InvalidNextToken", "The service returned an invalid next token for this request.");
    }

    private static Instant time(JsonNode request, String name) {
        String value = request.path(name).asText("");
        if (value.isEmpty()) {
            throw new CloudWatchError(400, "MissingParameter", "The parameter " + name + " is required.");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw CloudWatchError.invalid("The value " + value + " for parameter " + name + " is not a valid timestamp.");
        }
    }

    private static int positive(JsonNode node, String name, int absent) {
        String value = node.path(name).asText("");
        if (value.isEmpty() && absent > 0) {
            return absent;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw CloudWatchError.invalid("The value '" + value + "' for parameter " + name + " must be a positive whole number.");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
