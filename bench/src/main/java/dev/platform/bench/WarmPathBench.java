package dev.platform.bench;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.json.JsonLog;
import dev.platform.core.orchestration.OrchestrateRepoEvent;
import java.io.*;
import java.nio.file.Path;
import java.util.*;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Runs {@link WarmPath} through JMH's Runner in this JVM into warm.* rows, and counts the DynamoDB capacity per kind of event. */
final class WarmPathBench {
    static final double MIN_VERIFIED_PARSED_PER_SECOND = 5_000;
    static final Map<String, String> KIND = Map.of("opened", "opened (new preview, BuildRequested)", "synchronize", "synchronize (new head, "
            + "BuildRequested)", "duplicate", "the same synchronize again (duplicate, no change)", "closed", "closed (PreviewTeardownRequested)");

    static void run(Services services, Report report, Path work) throws Exception {
        // First: 400 orchestrator calls also warm its code and DynamoDB Local up before JMH measures (its first benchmark is the orchestrator).
        Map<String, CapacityMeter.Usage> usage = capacity(services);
        Path log = work.resolve("jmh.log");
        Bench.progress("warm: JMH, about 2 minutes (log: " + log + ")");
        // Handler logs go to a null stream: their JSON is still built, the text is dropped.
        JsonLog.redirect(new PrintStream(OutputStream.nullOutputStream()));
        WarmPath.services = services;
        Map<String, Statistics> r = new HashMap<>();
        var options = new OptionsBuilder().include(Pattern.quote(WarmPath.class.getName()) + "\\.").shouldFailOnError(true).output(log.toString());
        for (RunResult result : new Runner(options.build()).run()) {
            String name = result.getParams().getParam("name");
            r.put(name != null ? name : result.getParams().getParam("kind"), result.getPrimaryResult().getStatistics());
        }
        Statistics sha = r.get("refSha256");
        Statistics sqs = r.get("refSqs");
        Statistics getItem = r.get("refGetItem");
        Statistics accepted = r.get("verifiedParsed");
        String size = Report.count(Payloads.opened().length) + " B";
        row(report, "warm.ref.sha256", "reference: SHA-256 of the same " + size + " body (JDK MessageDigest)", sha, null, null);
        row(report, "warm.webhook.verify", "webhook: signature verification (WebhookSignature.verify, " + size + ")", r.get("verify"), sha,
                "reference p50");
        row(report, "warm.webhook.parse", "webhook: parsing (GitHubPayloads.parse → RepoEvent)", r.get("parse"), sha, "reference p50");
        report.add("warm.webhook.verified-parsed", "webhook: verified + parsed deliveries on one thread, enqueue excluded (AcceptGitHubDelivery, "
                + "no-op queue)", rate(accepted), p50(sha) + " (SHA-256 p50)", ratio(accepted, sha),
                "≥ " + Report.rate(MIN_VERIFIED_PARSED_PER_SECOND) + " per core",
                Report.verdict(1e9 / accepted.getMean() >= MIN_VERIFIED_PARSED_PER_SECOND));
        row(report, "warm.ref.sqs", "reference: SQS GetQueueAttributes round trip to ElasticMQ", sqs, null, null);
        row(report, "warm.webhook.enqueue", "webhook: enqueue (SqsRepoEventQueue.send to a FIFO queue on ElasticMQ)", r.get("enqueue"), sqs,
                "reference p50");
        report.add("warm.webhook.handler", "webhook: whole handler on one thread (handleRequest: verify, parse, enqueue, log, respond 202)",
                rate(r.get("webhookHandler")), p50(sqs) + " (SQS round trip p50)", ratio(r.get("webhookHandler"), sqs));
        row(report, "warm.ref.getitem", "reference: DynamoDB Local GetItem round trip (consistent read, one small item; "
                + Report.format("%.1f", usage.get("reference").readUnits()) + " RCU reported)", getItem, null, null);
        for (String kind : WarmPath.KINDS) {
            Statistics s = r.get(kind);
            report.add("warm.orchestrator." + kind, "orchestrator per message: " + KIND.get(kind), percentiles(s), p50(getItem) + " (GetItem p50)",
                    ratio(s, getItem));
        }
        for (String kind : WarmPath.KINDS) {
            CapacityMeter.Usage u = usage.get(kind);
            report.add("ddb." + kind, "DynamoDB capacity per " + KIND.get(kind) + ": " + u.calls(), u.units(), null, null, "≤ 2.0 RCU, ≤ 3.0 WCU",
                    u.unreported() > 0 ? null : Report.verdict(u.readUnits() <= 2 && u.writeUnits() <= 3));
        }
        BuildCapacity.Usage build = BuildCapacity.measure(services);
        report.add("ddb.build", "DynamoDB capacity per build, BuildRequested → BuildSucceeded (the orchestrator's write is ddb.opened): launcher "
                + build.launcher().calls() + "; watcher " + build.watcher().calls(), build.launcher().plus(build.watcher()).units());
        SweepCost.measure(services, report);
        row(report, "warm.orchestrator.handler", "orchestrator handler, one-message SQS batch (opened), incl. message codec and logs",
                r.get("handler"), getItem, "GetItem p50");
        report.notes.add("Warm path: JMH, " + r.get("verify").getN() + " calls sampled for the signature, " + r.get("handler").getN()
                + " for the orchestrator handler.");
    }

    /** Per kind of event, the capacity one event consumed (checked to be the same for every pull request), and the GetItem reference's. */
    private static Map<String, CapacityMeter.Usage> capacity(Services services) throws Exception {
        Bench.progress("warm: DynamoDB capacity per event");
        services.createSeededTable("capacity");
        CapacityMeter meter = new CapacityMeter();
        DynamoDbClient metered = services.dynamoDb(meter);
        List<String> published = new ArrayList<>();
        OrchestrateRepoEvent orchestrate = Services.orchestrate(metered, "capacity",
                events -> events.stream().map(PlatformEvent::detailType).forEach(published::add));
        Map<String, CapacityMeter.Usage> usage = new HashMap<>();
        metered.getItem(q -> q.tableName("capacity").consistentRead(true).key(Services.DEMO_PROJECT_KEY));
        usage.put("reference", meter.take());
        List<String> expected = List.of("[BuildRequested]", "[BuildRequested]", "[]", "[PreviewTeardownRequested]");
        for (int pr = 1; pr <= 100; pr++) {
            var sequence = WarmPath.sequence(pr);
            for (int k = 0; k < sequence.size(); k++) {
                published.clear();
                orchestrate.handle(sequence.get(k));
                CapacityMeter.Usage now = meter.take();
                // PR 1's first delivery also records the GitHub App installation on the project, once: not per event
                CapacityMeter.Usage first = pr == 1 ? null : usage.putIfAbsent(WarmPath.KINDS.get(k), now);
                if (!published.toString().equals(expected.get(k)) || (first != null && !first.equals(now))) {
                    throw new IllegalStateException(WarmPath.KINDS.get(k) + " of PR " + pr + " published " + published + " and consumed " + now);
                }
            }
        }
        services.dynamoDb.deleteTable(q -> q.tableName("capacity"));
        return usage;
    }

    /** Percentiles and throughput (1 ÷ mean time per call), against a reference's p50 where there is one. */
    private static void row(Report report, String id, String figure, Statistics s, Statistics reference, String what) {
        report.add(id, figure, percentiles(s) + "; " + Report.rate(1e9 / s.getMean()), reference == null ? null : p50(reference) + " (" + what + ")",
                reference == null ? null : ratio(s, reference));
    }

    private static String percentiles(Statistics s) {
        return "p50 " + p50(s) + ", p90 " + Report.time(s.getPercentile(90)) + ", p99 " + Report.time(s.getPercentile(99));
    }

    private static String p50(Statistics s) {
        return Report.time(s.getPercentile(50));
    }

    private static String ratio(Statistics s, Statistics reference) {
        return Report.ratio(s.getPercentile(50), reference.getPercentile(50));
    }

    private static String rate(Statistics s) {
        return Report.rate(1e9 / s.getMean()) + " (p50 " + p50(s) + ", p99 " + Report.time(s.getPercentile(99)) + ")";
    }
}
