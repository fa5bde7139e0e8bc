package dev.platform.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.dynamodb.DynamoDeploymentStateStore;
import dev.platform.aws.dynamodb.ProjectRegistry;
import dev.platform.aws.sqs.SqsRepoEventQueue;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.AcceptGitHubDelivery;
import dev.platform.core.github.GitHubPayloads;
import dev.platform.core.github.WebhookSignature;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.orchestration.OrchestrateRepoEvent;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventCodec;
import dev.platform.functions.githubwebhook.GitHubWebhookHandler;
import dev.platform.functions.previeworchestrator.PreviewOrchestratorHandler;
import dev.platform.topology.Topology;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The warm path, in this JVM after warm-up, on one thread: the webhook's parts (signature
 * verification, parsing, enqueue) and the whole handler on the 28 KB real pull_request payload; the
 * orchestrator per message against DynamoDB Local, with the capacity units DynamoDB reports for each
 * kind of event. Each part is compared with a reference operation measured in the same run.
 */
final class WarmPathBench {
    private static final int CPU_WARMUP = 5_000;
    private static final int CPU_ITERATIONS = 20_000;
    private static final int IO_WARMUP = 500;
    private static final int IO_ITERATIONS = 2_000;
    private static final int PR_WARMUP = 100;
    private static final int PR_ITERATIONS = 300;
    static final double MAX_WRITE_UNITS = 3;
    static final double MAX_READ_UNITS = 2;
    static final double MIN_VERIFIED_PARSED_PER_SECOND = 5_000;

    private final Repo repo;
    private final Services services;
    private final Report report;
    private final Payloads payloads;

    WarmPathBench(Repo repo, Services services, Report report) {
        this.repo = repo;
        this.services = services;
        this.report = report;
        this.payloads = new Payloads(repo);
    }

    void run() throws Exception {
        webhook();
        orchestrator();
    }

    private void webhook() throws Exception {
        byte[] body = payloads.openedBytes();
        byte[] secret = Payloads.SECRET;
        String header = WebhookSignature.sign(secret, body);
        String size = Fmt.count(body.length) + " B";

        progress("warm: webhook parts");
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        Sampler.Result reference = Sampler.measure(CPU_WARMUP, CPU_ITERATIONS, i -> Sampler.sink = sha256.digest(body));
        report.add(row("warm.ref.sha256", "reference: SHA-256 of the same " + size + " body (JDK MessageDigest)",
                reference, null));

        Sampler.Result verify = Sampler.measure(CPU_WARMUP, CPU_ITERATIONS, i -> {
            if (!WebhookSignature.verify(secret, body, header)) {
                throw new IllegalStateException("signature of the sample does not verify");
            }
        });
        report.add(row("warm.webhook.verify", "webhook: signature verification (WebhookSignature.verify, " + size + ")",
                verify, reference));

        Sampler.Result parse = Sampler.measure(CPU_WARMUP, CPU_ITERATIONS, i ->
                Sampler.sink = GitHubPayloads.parse("pull_request", "d-" + i, body));
        report.add(row("warm.webhook.parse", "webhook: parsing (GitHubPayloads.parse → RepoEvent)", parse, reference));

        AcceptGitHubDelivery noQueue = new AcceptGitHubDelivery(() -> secret, event -> Sampler.sink = event,
                AcceptGitHubDelivery.DEFAULT_MAX_BODY_BYTES);
        Sampler.Result accepted = Sampler.measure(CPU_WARMUP, CPU_ITERATIONS, i -> {
            Map<String, String> headers = AcceptGitHubDelivery.headers(Map.of(
                    "X-Hub-Signature-256", header, "X-GitHub-Event", "pull_request", "X-GitHub-Delivery", "d-" + i));
            if (!(noQueue.accept(headers, body) instanceof AcceptGitHubDelivery.Outcome.Accepted)) {
                throw new IllegalStateException("the sample delivery was not accepted");
            }
        });
        report.add(new Report.Row("warm.webhook.verified-parsed",
                "webhook: verified + parsed deliveries on one thread, enqueue excluded (AcceptGitHubDelivery, no-op queue)",
                Fmt.rate(accepted.perSecond()) + " (p50 " + Fmt.time(accepted.latency().median()) + ", p99 "
                        + Fmt.time(accepted.latency().p99()) + ")",
                Fmt.time(reference.latency().median()) + " (SHA-256 p50)",
                Fmt.ratio(accepted.latency().median(), reference.latency().median()),
                "≥ " + Fmt.rate(MIN_VERIFIED_PARSED_PER_SECOND) + " per core",
                Report.verdict(accepted.perSecond() >= MIN_VERIFIED_PARSED_PER_SECOND)));

        progress("warm: webhook enqueue and handler");
        String queueUrl = services.createQueue(Topology.REPO_EVENTS, "warm");
        Sampler.Result sqsReference = Sampler.measure(IO_WARMUP, IO_ITERATIONS, i -> Sampler.sink =
                services.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)));
        report.add(row("warm.ref.sqs", "reference: SQS GetQueueAttributes round trip to ElasticMQ", sqsReference, null));

        SqsRepoEventQueue queue = new SqsRepoEventQueue(services.sqs(), queueUrl);
        RepoEvent.PullRequest template = Payloads.parse("template", body);
        Sampler.Result enqueue = Sampler.measure(IO_WARMUP, IO_ITERATIONS, i -> queue.send(withDelivery(template, "e-" + i)));
        report.add(row("warm.webhook.enqueue", "webhook: enqueue (SqsRepoEventQueue.send to a FIFO queue on ElasticMQ)",
                enqueue, sqsReference));
        services.sqs().purgeQueue(r -> r.queueUrl(queueUrl));

        GitHubWebhookHandler handler = new GitHubWebhookHandler(new PlatformConfig(
                services.functionSettings("unused", Map.of(Topology.REPO_EVENTS.name(), queueUrl))));
        APIGatewayProxyRequestEvent sample;
        try (InputStream in = Files.newInputStream(repo.lambdaSample(Topology.GITHUB_WEBHOOK.name()))) {
            sample = LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class, getClass().getClassLoader())
                    .fromJson(in);
        }
        Sampler.Result whole = Sampler.measure(IO_WARMUP, IO_ITERATIONS, i -> {
            Map<String, String> headers = new HashMap<>(sample.getHeaders());
            headers.put("X-GitHub-Delivery", "h-" + i);
            APIGatewayProxyResponseEvent response = handler.handleRequest(sample.clone().withHeaders(headers), null);
            if (response.getStatusCode() != 202) {
                throw new IllegalStateException("webhook answered " + response.getStatusCode() + ": " + response.getBody());
            }
        });
        report.add(new Report.Row("warm.webhook.handler",
                "webhook: whole handler on one thread (handleRequest: verify, parse, enqueue, log, respond 202)",
                Fmt.rate(whole.perSecond()) + " (p50 " + Fmt.time(whole.latency().median()) + ", p99 "
                        + Fmt.time(whole.latency().p99()) + ")",
                Fmt.time(sqsReference.latency().median()) + " (SQS round trip p50)",
                Fmt.ratio(whole.latency().median(), sqsReference.latency().median()), Report.NONE, Report.NONE));
        services.deleteQueue(queueUrl);
        report.note("Warm path: " + Fmt.count(CPU_WARMUP) + " warm-up + " + Fmt.count(CPU_ITERATIONS)
                + " timed calls for CPU-only parts, " + Fmt.count(IO_WARMUP) + " + " + Fmt.count(IO_ITERATIONS)
                + " for calls to ElasticMQ; one thread; each call timed alone; throughput = timed calls ÷ wall time. "
                + "The payload is events/github/pull_request.opened.json byte for byte; each call carries a new delivery id. "
                + "ElasticMQ and DynamoDB Local run in the same JVM, sharing its " + Runtime.getRuntime().availableProcessors()
                + " cores. Handler logs are written to a null stream (their JSON is still built).");
    }

    private void orchestrator() throws Exception {
        progress("warm: orchestrator");
        String table = "warm";
        services.createSeededTable(table);
        CapacityMeter meter = new CapacityMeter();
        DynamoDbClient dynamoDb = services.dynamoDb(meter);
        Recorder published = new Recorder();
        OrchestrateRepoEvent orchestrate = new OrchestrateRepoEvent(new DynamoDeploymentStateStore(dynamoDb, table),
                new ProjectRegistry(dynamoDb, table), (installation, repository, login) -> RepositoryPermission.READ,
                published, Clock.systemUTC());

        Map<String, AttributeValue> projectKey = Map.of("PK", AttributeValue.fromS("PROJECT#" + Services.DEMO_PROJECT.projectId()),
                "SK", AttributeValue.fromS("META"));
        Sampler.Result reference = Sampler.measure(IO_WARMUP, IO_ITERATIONS, i -> {
            if (!dynamoDb.getItem(r -> r.tableName(table).key(projectKey).consistentRead(true)).hasItem()) {
                throw new IllegalStateException("the seeded project is missing");
            }
        });
        meter.reset();
        dynamoDb.getItem(r -> r.tableName(table).key(projectKey).consistentRead(true));
        CapacityMeter.Usage referenceUsage = meter.usage();
        report.add(row("warm.ref.getitem", "reference: DynamoDB Local GetItem round trip (consistent read, one small item; "
                + Fmt.units(referenceUsage.readUnits()) + " RCU reported)", reference, null));

        // Per pull request: opened, synchronize (new head), the same synchronize again, closed.
        List<String> kinds = List.of("opened", "synchronize", "duplicate", "closed");
        Map<String, long[]> latencies = new LinkedHashMap<>();
        Map<String, CapacityMeter.Usage> usage = new LinkedHashMap<>();
        Map<String, String> expectedEvent = Map.of("opened", "BuildRequested", "synchronize", "BuildRequested",
                "duplicate", "", "closed", "PreviewTeardownRequested");
        for (String kind : kinds) {
            latencies.put(kind, new long[PR_ITERATIONS]);
        }
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        for (int n = 0; n < PR_WARMUP + PR_ITERATIONS; n++) {
            int pr = 1_000 + n;
            Instant at = start.plus(Duration.ofMinutes(n));
            RepoEvent.PullRequest opened = event(PullRequestAction.OPENED, pr, "o", at);
            RepoEvent.PullRequest synchronize = event(PullRequestAction.SYNCHRONIZE, pr, "s", at.plusSeconds(10));
            RepoEvent.PullRequest closed = event(PullRequestAction.CLOSED, pr, "c", at.plusSeconds(20));
            List<RepoEvent.PullRequest> sequence = List.of(opened, synchronize, synchronize, closed);
            for (int k = 0; k < kinds.size(); k++) {
                String kind = kinds.get(k);
                meter.reset();
                published.clear();
                long before = System.nanoTime();
                List<OrchestrateRepoEvent.Outcome> outcomes = orchestrate.handle(sequence.get(k));
                long elapsed = System.nanoTime() - before;
                String events = String.join(",", published.types());
                if (outcomes.size() != 1 || !events.equals(expectedEvent.get(kind))) {
                    throw new IllegalStateException("orchestrator: " + kind + " of PR " + pr + " published [" + events
                            + "], expected [" + expectedEvent.get(kind) + "]; outcomes " + outcomes);
                }
                if (n >= PR_WARMUP) {
                    latencies.get(kind)[n - PR_WARMUP] = elapsed;
                    CapacityMeter.Usage now = meter.usage();
                    CapacityMeter.Usage seen = usage.get(kind);
                    if (seen != null && (seen.readUnits() != now.readUnits() || seen.writeUnits() != now.writeUnits())) {
                        report.note("Capacity of `" + kind + "` varied between events: " + describe(seen) + " vs " + describe(now));
                    }
                    usage.putIfAbsent(kind, now);
                }
            }
        }
        Map<String, String> what = Map.of(
                "opened", "opened (new preview, BuildRequested)",
                "synchronize", "synchronize (new head, BuildRequested)",
                "duplicate", "the same synchronize again (duplicate, no change)",
                "closed", "closed (PreviewTeardownRequested)");
        for (String kind : kinds) {
            Stats.Summary summary = Stats.summarize(latencies.get(kind));
            report.add(new Report.Row("warm.orchestrator." + kind, "orchestrator per message: " + what.get(kind),
                    "p50 " + Fmt.time(summary.median()) + ", p90 " + Fmt.time(summary.p90()) + ", p99 " + Fmt.time(summary.p99()),
                    Fmt.time(reference.latency().median()) + " (GetItem p50)",
                    Fmt.ratio(summary.median(), reference.latency().median()), Report.NONE, Report.NONE));
        }
        for (String kind : kinds) {
            CapacityMeter.Usage u = usage.get(kind);
            boolean reported = u.unreported() == 0;
            report.add(new Report.Row("ddb." + kind, "DynamoDB capacity per " + what.get(kind) + ": " + u.describeCalls(),
                    reported ? describe(u) : "not reported by DynamoDB Local for " + u.unreported() + " call(s)",
                    Report.NONE, Report.NONE, "≤ " + Fmt.units(MAX_READ_UNITS) + " RCU, ≤ " + Fmt.units(MAX_WRITE_UNITS) + " WCU",
                    reported ? Report.verdict(u.readUnits() <= MAX_READ_UNITS && u.writeUnits() <= MAX_WRITE_UNITS) : Report.NONE));
        }
        orchestratorHandler(table, reference);
        report.note("Orchestrator: `OrchestrateRepoEvent` over `DynamoDeploymentStateStore` on a DynamoDB client whose "
                + "interceptor sets ReturnConsumedCapacity=TOTAL on every call and adds up what DynamoDB Local returns "
                + "(production code unchanged); events go to an in-memory publisher. " + PR_WARMUP + " warm-up pull requests, then "
                + PR_ITERATIONS + " measured, each: opened, synchronize (new head, newer updated_at), that synchronize again, closed, "
                + "derived from the real payloads. Capacity units are DynamoDB Local's figures for the same requests.");
    }

    /** The full orchestrator handler on one-message SQS batches: adds the message codec, logging and the batch response. */
    private void orchestratorHandler(String table, Sampler.Result reference) throws Exception {
        Recorder published = new Recorder();
        PreviewOrchestratorHandler handler = new PreviewOrchestratorHandler(new OrchestrateRepoEvent(
                new DynamoDeploymentStateStore(services.dynamoDb(), table), new ProjectRegistry(services.dynamoDb(), table),
                (installation, repository, login) -> RepositoryPermission.READ, published, Clock.systemUTC()));
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        Sampler.Result result = Sampler.measure(PR_WARMUP, PR_ITERATIONS, i -> {
            RepoEvent.PullRequest opened = event(PullRequestAction.OPENED, 50_000 + i, "h", start.plus(Duration.ofMinutes(i)));
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("m-" + i);
            message.setBody(RepoEventCodec.write(opened));
            message.setAttributes(Map.of("MessageGroupId", SqsRepoEventQueue.messageGroupId(opened), "MessageDeduplicationId", opened.deliveryId()));
            SQSEvent batch = new SQSEvent();
            batch.setRecords(List.of(message));
            SQSBatchResponse response = handler.handleRequest(batch, null);
            if (!response.getBatchItemFailures().isEmpty()) {
                throw new IllegalStateException("orchestrator handler reported a failure for PR " + opened.number());
            }
        });
        if (published.total.get() != PR_WARMUP + PR_ITERATIONS) {
            throw new IllegalStateException("orchestrator handler published " + published.total.get() + " events, expected "
                    + (PR_WARMUP + PR_ITERATIONS));
        }
        report.add(new Report.Row("warm.orchestrator.handler",
                "orchestrator handler, one-message SQS batch (opened), incl. message codec and logs",
                "p50 " + Fmt.time(result.latency().median()) + ", p90 " + Fmt.time(result.latency().p90()) + ", p99 "
                        + Fmt.time(result.latency().p99()) + "; " + Fmt.rate(result.perSecond()),
                Fmt.time(reference.latency().median()) + " (GetItem p50)",
                Fmt.ratio(result.latency().median(), reference.latency().median()), Report.NONE, Report.NONE));
    }

    private RepoEvent.PullRequest event(PullRequestAction action, int pr, String seed, Instant updatedAt) {
        byte[] body = payloads.pullRequest(action, pr, Payloads.sha("warm-" + seed + "-" + pr), updatedAt);
        return Payloads.parse("warm-" + action.wireName() + "-" + pr + "-" + seed, body);
    }

    private static RepoEvent.PullRequest withDelivery(RepoEvent.PullRequest e, String deliveryId) {
        return new RepoEvent.PullRequest(deliveryId, e.repository(), e.installation(), e.action(), e.number(), e.headSha(), e.headRef(),
                e.baseRef(), e.updatedAt(), e.draft(), e.fork());
    }

    private static String describe(CapacityMeter.Usage usage) {
        return Fmt.units(usage.readUnits()) + " RCU, " + Fmt.units(usage.writeUnits()) + " WCU";
    }

    private static Report.Row row(String id, String figure, Sampler.Result result, Sampler.Result reference) {
        return new Report.Row(id, figure, result.describe(),
                reference == null ? Report.NONE : Fmt.time(reference.latency().median()) + " (reference p50)",
                reference == null ? Report.NONE : Fmt.ratio(result.latency().median(), reference.latency().median()),
                Report.NONE, Report.NONE);
    }

    /** The platform bus, in memory: which events a call published. */
    private static final class Recorder implements PlatformEventPublisher {
        private final List<String> types = new ArrayList<>();
        private final AtomicLong total = new AtomicLong();

        @Override
        public synchronized void publish(List<PlatformEvent> events) {
            for (PlatformEvent event : events) {
                types.add(event.detailType());
                total.incrementAndGet();
            }
        }

        synchronized List<String> types() {
            return List.copyOf(types);
        }

        synchronized void clear() {
            types.clear();
        }
    }

    private static void progress(String message) {
        System.err.println("[bench] " + message);
    }
}
