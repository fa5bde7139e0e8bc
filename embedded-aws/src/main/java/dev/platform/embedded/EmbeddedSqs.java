package dev.platform.embedded;

import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ (the SQS API, FIFO queues and redrive policies included) on one interface, in memory. */
public final class EmbeddedSqs implements AutoCloseable {
    private final SQSRestServer server;
    private final String host;
    private final int port;

    private EmbeddedSqs(SQSRestServer server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /** On 127.0.0.1. */
    public static EmbeddedSqs start() {
        return start(FreePort.LOOPBACK);
    }

    /** @param host the address to listen on, e.g. {@code 127.0.0.1} */
    public static EmbeddedSqs start(String host) {
        return start(host, null);
    }

    /**
     * @param host the address to listen on, e.g. {@code 127.0.0.1}
     * @param advertised the endpoint queue URLs name (a front that forwards to this server), or null for this server
     */
    public static EmbeddedSqs start(String host, URI advertised) {
        int port = FreePort.find();
        URI named = advertised == null ? FreePort.url(host, port) : advertised;
        SQSRestServer server = SQSRestServerBuilder
                .withInterface(host)
                .withServerAddress(new NodeAddress(named.getScheme(), named.getHost(), named.getPort(), ""))
                .withPort(port)
                .withAWSRegion("us-east-1")
                .withAWSAccountId("000000000000")
                .start();
        server.waitUntilStarted();
        return new EmbeddedSqs(server, host, port);
    }

    public URI endpoint() {
        return FreePort.url(host, port);
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
