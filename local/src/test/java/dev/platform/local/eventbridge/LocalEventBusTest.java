package dev.platform.local.eventbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import dev.platform.embedded.EmbeddedSqs;
import dev.platform.embedded.FreePort;
import dev.platform.embedded.LocalClients;
import dev.platform.topology.Topology;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The local bus as its callers see it, through the real EventBridge client: every accepted event is
 * recorded once and reaches each matching rule's queue, whatever the batch size or the number of
 * publishers at once; what a target could not take is refused per entry, as EventBridge refuses it.
 */
class LocalEventBusTest {
    private static final String BUS = "platform-test";

    @TempDir
    Path dir;

    private EmbeddedSqs elasticMq;
    private SqsClient sqs;
    private LocalEventBus bus;
    private EventBridgeClient eventBridge;
    private String builds;

    @BeforeEach
    void start() throws Exception {
        elasticMq = EmbeddedSqs.start();
        sqs = LocalClients.sqs(elasticMq.endpoint());
        builds = sqs.createQueue(r -> r.queueName("builds")).queueUrl();
        bus = LocalEventBus.start(FreePort.LOOPBACK, BUS, dir.resolve("events.jsonl"), new PrintStream(PrintStream.nullOutputStream()), sqs);
        bus.addRule(new LocalEventBus.Rule("build-launcher", BUS,
                new EventPattern(List.of(Topology.EVENT_SOURCE), List.of("BuildRequested"), Map.of()), builds));
        eventBridge = EventBridgeClient.builder().endpointOverride(bus.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @AfterEach
    void stop() throws Exception {
        eventBridge.close();
        bus.close();
        sqs.close();
        elasticMq.close();
    }

    @Test
    void moreEntriesThanOneSqsBatchAllReachTheRulesQueueAndAnUnknownBusIsRefusedAlone() throws Exception {
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            entries.add(entry(BUS, "BuildRequested", i));
        }
        entries.add(entry("no-such-bus", "BuildRequested", 9));
        for (int i = 10; i < 13; i++) {
            entries.add(entry(BUS, i == 12 ? "PreviewTeardownRequested" : "BuildRequested", i));
        }

        PutEventsResponse response = eventBridge.putEvents(r -> r.entries(entries));

        assertEquals(1, response.failedEntryCount());
        List<PutEventsResultEntry> results = response.entries();
        assertEquals(13, results.size());
        assertEquals("NotFoundException", results.get(9).errorCode());
        IntStream.range(0, 13).filter(i -> i != 9).forEach(i -> assertNull(results.get(i).errorCode(), "entry " + i));
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11), numbersIn(drain(builds)), "only the rule's detail type, every one once");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12), recorded().stream().map(e -> e.path("detail").path("n").asInt()).toList(),
                "events.jsonl: the platform bus's events, in the order of the call");
    }

    @Test
    void concurrentPublishersLoseNothingAndTheirLinesStayWhole() throws Exception {
        int publishers = 8;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(publishers);
        try {
            List<Future<PutEventsResponse>> calls = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                for (int call = 0; call < each / 5; call++) {
                    int first = p * each + call * 5;
                    calls.add(pool.submit(() -> eventBridge.putEvents(r -> r.entries(
                            IntStream.range(first, first + 5).mapToObj(n -> entry(BUS, "BuildRequested", n)).toList()))));
                }
            }
            for (Future<PutEventsResponse> call : calls) {
                assertEquals(0, call.get().failedEntryCount());
            }
        } finally {
            pool.shutdownNow();
        }
        Set<Integer> all = new HashSet<>();
        IntStream.range(0, publishers * each).forEach(all::add);
        assertEquals(all, numbersIn(drain(builds)));
        List<JsonNode> lines = recorded(); // each line parses: none torn or interleaved
        assertEquals(publishers * each, lines.size());
        assertEquals(all, new HashSet<>(lines.stream().map(e -> e.path("detail").path("n").asInt()).toList()));
    }

    @Test
    void anEventItsTargetCannotTakeIsRefusedSoTheCallerRetriesIt() {
        sqs.deleteQueue(r -> r.queueUrl(builds));

        PutEventsResponse response = eventBridge.putEvents(r -> r.entries(entry(BUS, "BuildRequested", 1),
                entry(BUS, "PreviewTeardownRequested", 2)));

        assertEquals(1, response.failedEntryCount());
        assertEquals("InternalException", response.entries().get(0).errorCode());
        assertNull(response.entries().get(1).errorCode(), "no rule matches it: accepted");
    }

    private static PutEventsRequestEntry entry(String bus, String detailType, int n) {
        return PutEventsRequestEntry.builder().eventBusName(bus).source(Topology.EVENT_SOURCE).detailType(detailType)
                .detail("{\"n\":" + n + "}").build();
    }

    private List<Message> drain(String queue) {
        List<Message> all = new ArrayList<>();
        for (List<Message> got = receive(queue); !got.isEmpty(); got = receive(queue)) {
            all.addAll(got);
            got.forEach(m -> sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle())));
        }
        return all;
    }

    private List<Message> receive(String queue) {
        return sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
    }

    /** Each message's detail number; a repeated one fails the test. */
    private static Set<Integer> numbersIn(List<Message> messages) throws Exception {
        Set<Integer> numbers = new HashSet<>();
        for (Message message : messages) {
            int n = Json.MAPPER.readTree(message.body()).path("detail").path("n").asInt();
            if (!numbers.add(n)) {
                throw new AssertionError("event " + n + " reached the queue twice");
            }
        }
        return numbers;
    }

    private List<JsonNode> recorded() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
            lines.add(Json.MAPPER.readTree(line));
        }
        return lines;
    }
}
