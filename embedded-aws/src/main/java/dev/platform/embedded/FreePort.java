package dev.platform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A free loopback port, asked of the OS, and the URL of a local endpoint. */
public final class FreePort {
    /** Where the embedded services listen unless told otherwise. */
    public static final String LOOPBACK = "127.0.0.1";

    private FreePort() {
    }

    /**
     * {@code http://host:port}, for a client on this machine: a wildcard address (listening on every
     * interface) is reached through loopback; IPv6 literals are bracketed.
     */
    public static java.net.URI url(String host, int port) {
        String reachable = switch (host) {
            case "0.0.0.0" -> LOOPBACK;
            case "::", "[::]" -> "[::1]";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
        return java.net.URI.create("http://" + reachable + ":" + port);
    }

    public static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
