package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import dev.platform.local.elb.LambdaTargets;
import dev.platform.local.elb.LocalElb;
import dev.platform.local.elb.LocalRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/**
 * The runtime's HTTP server hands a sleeping preview's host, whose rule forwards to a lambda target group, to the
 * function behind it, many requests at once: none waits for another's invocation.
 */
class LambdaTargetRoutingTest {
    private static final String WAKER = "arn:aws:lambda:us-east-1:000000000000:function:waker";
    private static final String HOST = "hello-world-pr-2.preview.localhost";
    private static final int CONCURRENT = 50;

    private LocalElb elb;
    private LocalHttpServer http;
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private final CountDownLatch allInside = new CountDownLatch(CONCURRENT);

    private record Response(int status, String head, String body) {
    }

    @BeforeEach
    void start() throws IOException {
        elb = LocalElb.start("127.0.0.1", null, 1);
        String waker = elb.ensureLambdaTargetGroup("waker-0", WAKER);
        try (ElasticLoadBalancingV2Client client = ElasticLoadBalancingV2Client.builder().endpointOverride(elb.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            client.createRule(r -> r.listenerArn(elb.previewListenerArns().get(0)).priority(1)
                    .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values(HOST)))
                    .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(waker)));
        }
        // The waker as its contract says: 503 with Retry-After while the service starts. This one answers only once
        // every request is inside it, so the test passes only if all 50 invocations run at the same time.
        LambdaTargets lambdas = (arn, event) -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            allInside.countDown();
            try {
                allInside.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inside.decrementAndGet();
            }
            ApplicationLoadBalancerResponseEvent response = new ApplicationLoadBalancerResponseEvent();
            response.setStatusCode(503);
            response.setStatusDescription("503 Service Unavailable");
            response.setHeaders(Map.of("Content-Type", "text/html; charset=utf-8", "Retry-After", "5"));
            response.setBody("<p>Waking up " + event.getHeaders().get("host") + "</p>");
            return response;
        };
        http = new LocalHttpServer("127.0.0.1", 0);
        http.routeHosts(new LocalRouter(elb, arn -> Optional.empty(), lambdas, "preview.localhost", Clock.systemUTC()));
        http.start();
    }

    @AfterEach
    void stop() {
        http.close();
        elb.close();
    }

    private Response get(String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", http.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /some/page?x=1 HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String whole = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = whole.indexOf("\r\n\r\n");
            String head = whole.substring(0, split);
            return new Response(Integer.parseInt(head.split(" ")[1]), head, whole.substring(split + 4));
        }
    }

    @Test
    void fiftyRequestsToASleepingHostAreAnsweredByTheWakerAtOnce() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT);
        try {
            List<Future<Response>> responses = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                responses.add(clients.submit(() -> get(HOST + ":8080")));
            }
            for (Future<Response> future : responses) {
                Response response = future.get(30, TimeUnit.SECONDS);
                assertEquals(503, response.status());
                assertTrue(response.head().toLowerCase(Locale.ROOT).contains("\r\nretry-after: 5"), response.head());
                assertTrue(response.head().toLowerCase(Locale.ROOT).contains("\r\ncontent-type: text/html"), response.head());
                assertEquals("<p>Waking up " + HOST + ":8080</p>", response.body());
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(CONCURRENT, mostInside.get(), "every invocation ran at the same time");
    }
}
