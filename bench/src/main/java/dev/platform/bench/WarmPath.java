package dev.platform.bench;

import com.amazonaws.services.lambda.runtime.events.*;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.sqs.SqsRepoEventQueue;
import dev.platform.core.github.*;
import dev.platform.core.orchestration.OrchestrateRepoEvent;
import dev.platform.core.repoevent.*;
import dev.platform.functions.githubwebhook.GitHubWebhookHandler;
import dev.platform.functions.previeworchestrator.PreviewOrchestratorHandler;
import dev.platform.topology.Topology;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import org.openjdk.jmh.annotations.*;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The warm path as JMH benchmarks on one thread. Fork 0, on the harness's long-lived services: in a fresh fork the emulators and the SDK
 * client path were still getting faster after 20 s of warm-up (up to 2× slower), which would measure their JIT, not the platform's code.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(0)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WarmPath {
    static final List<String> KINDS = List.of("opened", "synchronize", "duplicate", "closed");
    static Services services;
    private static int trials;

    /** Fails the benchmark when a call did not do its work; the message is a constant, so the check costs nothing. */
    static boolean check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
        return ok;
    }

    /** Each trial's own repo-events queue and seeded table (fresh pull requests), and the orchestrator on them. */
    @State(Scope.Thread)
    public static class Platform {
        String name = "warm-" + (++trials);
        String queueUrl = services.createQueue(Topology.REPO_EVENTS, name);
        // Events go to an in-memory publisher: the orchestrator's own cost, not the bus's.
        OrchestrateRepoEvent orchestrate = Services.orchestrate(services.dynamoDb, name, events -> { });
        PreviewOrchestratorHandler orchestrator = new PreviewOrchestratorHandler(orchestrate);
        int n;

        @Setup
        public void setUp() {
            services.createSeededTable(name);
        }
    }

    /** One operation per fork, so the call site stays monomorphic and the JIT inlines the operation into JMH's loop. */
    @State(Scope.Thread)
    public static class Part {
        @Param({"refSha256", "verify", "parse", "verifiedParsed", "refSqs", "enqueue", "webhookHandler", "refGetItem"})
        String name;
        Callable<Object> call;

        @Setup
        public void setUp(Platform p) throws Exception {
            byte[] body = Payloads.opened();
            String signature = Payloads.signature(body);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            // No-op queue: the "verified and parsed deliveries per second, enqueue excluded".
            var noQueue = new AcceptGitHubDelivery(() -> Payloads.SECRET, event -> { }, AcceptGitHubDelivery.DEFAULT_MAX_BODY_BYTES);
            var queue = new SqsRepoEventQueue(services.sqs, p.queueUrl);
            RepoEvent.PullRequest e = Payloads.parse("template", body);
            var webhook = new GitHubWebhookHandler(new PlatformConfig(services.functionSettings(p.name, Map.of(Topology.REPO_EVENTS.name(),
                    p.queueUrl))));
            APIGatewayProxyRequestEvent sample = LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class,
                    getClass().getClassLoader()).fromJson(Files.readString(Bench.path("events/lambda/github-webhook.json")));
            call = switch (name) {
                case "refSha256" -> () -> sha256.digest(body);
                case "verify" -> () -> check(WebhookSignature.verify(Payloads.SECRET, body, signature), "the sample's signature does not verify");
                case "parse" -> () -> GitHubPayloads.parse("pull_request", "d-" + p.n++, body);
                case "verifiedParsed" -> () -> check(noQueue.accept(AcceptGitHubDelivery.headers(Map.of("X-Hub-Signature-256", signature,
                        "X-GitHub-Event", "pull_request", "X-GitHub-Delivery", "d-" + p.n++)), body) instanceof AcceptGitHubDelivery.Outcome.Accepted,
                        "the sample delivery was not accepted");
                case "refSqs" -> () -> services.sqs.getQueueAttributes(r -> r.queueUrl(p.queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
                // A new delivery id per call, as FIFO deduplication would drop a repeated one.
                case "enqueue" -> () -> {
                    queue.send(new RepoEvent.PullRequest("e-" + p.n++, e.repository(), e.installation(), e.action(), e.number(), e.headSha(),
                            e.headRef(), e.baseRef(), e.updatedAt(), e.draft(), e.fork()));
                    return null;
                };
                case "webhookHandler" -> () -> {
                    Map<String, String> headers = new HashMap<>(sample.getHeaders());
                    headers.put("X-GitHub-Delivery", "h-" + p.n++);
                    return check(webhook.handleRequest(sample.clone().withHeaders(headers), null).getStatusCode() == 202,
                            "the webhook did not answer 202");
                };
                case "refGetItem" -> () -> check(services.dynamoDb.getItem(r -> r.tableName(p.name).consistentRead(true)
                        .key(Services.DEMO_PROJECT_KEY)).hasItem(), "the seeded project is missing");
                default -> throw new IllegalArgumentException(name);
            };
        }
    }

    @Benchmark
    public Object part(Part part) throws Exception {
        return part.call.call();
    }

    /** Per call a new pull request, the messages before the measured one applied untimed; "handler": an opened as a one-message SQS batch. */
    @State(Scope.Thread)
    public static class Step {
        @Param({"opened", "synchronize", "duplicate", "closed", "handler"})
        String kind;
        RepoEvent.PullRequest next;
        SQSEvent batch = new SQSEvent();

        @Setup(Level.Invocation)
        public void prepare(Platform p) throws Exception {
            List<RepoEvent.PullRequest> sequence = sequence(1_000 + p.n++);
            int index = Math.max(0, KINDS.indexOf(kind));
            sequence.subList(0, index).forEach(p.orchestrate::handle);
            next = sequence.get(index);
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("m-" + p.n);
            message.setBody(RepoEventCodec.write(next));
            message.setAttributes(Map.of("MessageGroupId", SqsRepoEventQueue.messageGroupId(next), "MessageDeduplicationId", next.deliveryId()));
            batch.setRecords(List.of(message));
        }
    }

    @Benchmark
    public Object orchestrator(Platform p, Step step) {
        if (!step.kind.equals("handler")) {
            return p.orchestrate.handle(step.next);
        }
        var response = p.orchestrator.handleRequest(step.batch, null);
        return check(response.getBatchItemFailures().isEmpty(), "the orchestrator handler reported a failure");
    }

    /** Per pull request: opened, synchronize (a new head, a later updated_at), that synchronize again, closed. */
    static List<RepoEvent.PullRequest> sequence(int pr) throws Exception {
        Instant at = Instant.parse("2024-01-01T00:00:00Z").plus(Duration.ofMinutes(pr));
        List<RepoEvent.PullRequest> events = new ArrayList<>();
        for (PullRequestAction action : List.of(PullRequestAction.OPENED, PullRequestAction.SYNCHRONIZE, PullRequestAction.CLOSED)) {
            byte[] body = Payloads.pullRequest(action, pr, Payloads.sha("warm-" + action + "-" + pr), at.plusSeconds(10L * events.size()));
            events.add(Payloads.parse("warm-" + action.wireName() + "-" + pr, body));
        }
        return List.of(events.get(0), events.get(1), events.get(1), events.get(2));
    }
}
