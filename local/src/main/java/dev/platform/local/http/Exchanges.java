package dev.platform.local.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/** How the local runtime's HTTP servers (its own and every stand-in's) listen and answer. */
public final class Exchanges {
    private Exchanges() {
    }

    /**
     * A server bound now (not yet started) that handles each exchange on a virtual thread.
     *
     * @param port 0 for any free port
     * @throws java.net.BindException when the port is taken
     */
    public static HttpServer listen(String host, int port, int backlog) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), backlog);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        return server;
    }

    /** The whole answer; an empty body is sent as none. @param contentType null: as already set, if at all */
    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        // closing the response sends it now, even when the request body is still unread
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
