package dev.platform.functions.waker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.platform.aws.dynamodb.DynamoEnvironmentStore;
import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.DeployTargets;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStatus;
import dev.platform.core.deploy.ServiceSpec;
import dev.platform.core.deploy.Slot;
import dev.platform.core.deploy.TaggedResource;
import dev.platform.core.deploy.TaskDefinitionSpec;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.preview.PreviewStatus;
import dev.platform.core.sleep.WakeOnRequest;
import dev.platform.core.sleep.WakePreview;
import dev.platform.embedded.EmbeddedDynamoDb;
import dev.platform.embedded.EmbeddedPlatform;
import dev.platform.embedded.LocalClients;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The waker's handler on the table's real adapter (DynamoDB Local): the sample request for an unknown host is a
 * 404; a sleeping preview's host starts its service once however many requests arrive and every caller gets the
 * 503 "waking up" answer, as a page or as JSON; a failed start is still a 503, and the preview sleeps again.
 */
class WakerHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));
    private static final String HOST = "pr-2-hello-world-abcdefghij.preview.localhost";
    private static EmbeddedDynamoDb embedded;
    private static DynamoDbClient dynamoDb;
    private static int tables;

    private final AtomicInteger wakes = new AtomicInteger();
    private final List<PlatformEvent> published = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean ecsDown;
    private DynamoEnvironmentStore store;
    private WakerHandler handler;

    @BeforeAll
    static void start() {
        embedded = EmbeddedDynamoDb.inMemory();
        dynamoDb = LocalClients.dynamoDb(embedded.endpoint());
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        embedded.close();
    }

    @BeforeEach
    void handler() {
        String table = "waker" + (++tables);
        EmbeddedPlatform.createTable(dynamoDb, table);
        store = new DynamoEnvironmentStore(dynamoDb, table);
        handler = new WakerHandler(new WakeOnRequest(store, store,
                new WakePreview(store, containers(), marks(), published::addAll, Clock.systemUTC())));
    }

    @Test
    void theSampleRequestForAHostWithoutAPreviewIsA404PageNamingNothingInternal() throws Exception {
        ApplicationLoadBalancerRequestEvent request;
        try (InputStream in = Files.newInputStream(ROOT.resolve("events/lambda/waker.json"))) {
            request = LambdaEventSerializers.serializerFor(ApplicationLoadBalancerRequestEvent.class,
                    getClass().getClassLoader()).fromJson(in);
        }

        ApplicationLoadBalancerResponseEvent response = handler.handleRequest(request, null);

        assertEquals(404, response.getStatusCode());
        assertEquals("text/html; charset=utf-8", response.getHeaders().get("Content-Type"));
        assertFalse(response.getBody().contains("arn:"), response.getBody());
        assertEquals(0, wakes.get());
    }

    @Test
    void twentyConcurrentRequestsToASleepingPreviewStartItOnceAndAllGetTheWakingPage() throws Exception {
        EnvironmentRef ref = sleepingPreview();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<ApplicationLoadBalancerResponseEvent>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(pool.submit(() -> handler.handleRequest(request(HOST + ":443", "text/html,*/*"), null)));
        }
        for (Future<ApplicationLoadBalancerResponseEvent> answer : answers) {
            ApplicationLoadBalancerResponseEvent response = answer.get();
            assertEquals(503, response.getStatusCode());
            assertEquals("5", response.getHeaders().get("Retry-After"));
            assertEquals("no-store", response.getHeaders().get("Cache-Control"));
            assertTrue(response.getBody().contains("<meta http-equiv=\"refresh\" content=\"5\">"), response.getBody());
            assertFalse(response.getBody().contains("hello-world"), "the page names nothing of the preview");
        }
        pool.shutdown();

        assertEquals(1, wakes.get(), "one start, however many requests");
        Environment waking = store.read(ref).orElseThrow().state();
        assertEquals(EnvironmentStatus.WAKING, waking.status());
        assertEquals("ecs-svc/wake-1", waking.wakeRollout());
        // owed through the preview's outbox: a reader that finds it owed publishes it again (at least once)
        assertEquals(1, published.stream().filter(PlatformEvent.PreviewWaking.class::isInstance).distinct().count());
    }

    @Test
    void anApiClientGetsJsonAndAFailedStartIsStillA503WithThePreviewAsleepAgain() {
        EnvironmentRef ref = sleepingPreview();
        ecsDown = true;

        ApplicationLoadBalancerResponseEvent failed = handler.handleRequest(request(HOST, "application/json"), null);

        assertEquals(503, failed.getStatusCode());
        assertEquals("application/json", failed.getHeaders().get("Content-Type"));
        assertEquals("{\"status\":\"waking\",\"retryAfterSeconds\":5}", failed.getBody());
        assertEquals(EnvironmentStatus.SLEEPING, store.read(ref).orElseThrow().state().status(),
                "the next request tries again");

        ecsDown = false;
        assertEquals(503, handler.handleRequest(request(HOST, "application/json"), null).getStatusCode());
        assertEquals(EnvironmentStatus.WAKING, store.read(ref).orElseThrow().state().status());
        assertEquals(404, handler.handleRequest(request("other.preview.localhost", "application/json"), null)
                .getStatusCode());
    }

    private EnvironmentRef sleepingPreview() {
        EnvironmentRef ref = EnvironmentRef.preview(ProjectId.of("hello-world"), PrNumber.of(2));
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        store.commit(new Environment(ref, EnvironmentStatus.SLEEPING, HOST, new Slot(0, 1), "arn:tg/hello-world-pr-2",
                "arn:rule/hello-world-pr-2", null, null, at, at, at, null, null), 0, List.of());
        return ref;
    }

    private static ApplicationLoadBalancerRequestEvent request(String host, String accept) {
        ApplicationLoadBalancerRequestEvent request = new ApplicationLoadBalancerRequestEvent();
        request.setHttpMethod("GET");
        request.setPath("/");
        request.setHeaders(Map.of("host", host, "accept", accept));
        return request;
    }

    private ContainerServices containers() {
        return new ContainerServices() {
            @Override
            public String wake(String serviceName) {
                if (ecsDown) {
                    throw new IllegalStateException("ECS is unavailable");
                }
                return "ecs-svc/wake-" + wakes.incrementAndGet();
            }

            @Override
            public String registerTaskDefinition(TaskDefinitionSpec spec) {
                throw new AssertionError("not expected");
            }

            @Override
            public void deregisterTaskDefinition(String taskDefinitionArn) {
                throw new AssertionError("not expected");
            }

            @Override
            public List<String> taskDefinitions(String family) {
                throw new AssertionError("not expected");
            }

            @Override
            public String deploy(ServiceSpec spec) {
                throw new AssertionError("not expected");
            }

            @Override
            public String update(String serviceName, String taskDefinitionArn) {
                throw new AssertionError("not expected");
            }

            @Override
            public void scale(String serviceName, int desiredCount) {
                throw new AssertionError("not expected");
            }

            @Override
            public void delete(String serviceName) {
                throw new AssertionError("not expected");
            }

            @Override
            public List<TaggedResource> services() {
                throw new AssertionError("not expected");
            }
        };
    }

    private static DeployTargets marks() {
        return new DeployTargets() {
            @Override
            public void deploying(EnvironmentRef environment, CommitSha commit) {
            }

            @Override
            public void deployed(EnvironmentRef environment, CommitSha commit, String url) {
            }

            @Override
            public void deployFailed(EnvironmentRef environment, CommitSha commit, String reason) {
            }

            @Override
            public void standing(EnvironmentRef environment, CommitSha commit, PreviewStatus status) {
            }

            @Override
            public void requested(EnvironmentRef environment, Instant lastRequestAt) {
            }
        };
    }
}
