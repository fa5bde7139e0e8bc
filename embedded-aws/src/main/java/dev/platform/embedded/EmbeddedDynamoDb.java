package dev.platform.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local on one interface (127.0.0.1 unless told otherwise), in memory or persisted in a folder.
 * DynamoDB Local has no option for the interface and listens on all of them by default, so its Jetty
 * connector is pointed at the given address before it starts.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    private static final List<String> NATIVE_LIBRARIES = List.of(
            "libsqlite4java-linux-amd64.so", "libsqlite4java-osx.dylib", "sqlite4java-win32-x64.dll");

    private final DynamoDBProxyServer server;
    private final String host;
    private final int port;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /** In memory on 127.0.0.1: gone when the JVM stops. */
    public static EmbeddedDynamoDb inMemory() {
        return start(null, FreePort.LOOPBACK);
    }

    /**
     * @param dataDir where the database file lives (created if missing), or null for in-memory
     * @param host the address to listen on, e.g. {@code 127.0.0.1}
     */
    public static EmbeddedDynamoDb start(Path dataDir, String host) {
        prepareNativeLibraries();
        int port = FreePort.find();
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-disableTelemetry"));
        // One database whatever the credentials, as one AWS account has: without -sharedDb DynamoDB Local
        // keeps a separate database per access key and region.
        args.add("-sharedDb");
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            args.addAll(List.of("-dbPath", dataDir.toAbsolutePath().toString()));
        }
        // DynamoDB Local prints its configuration on stdout, which belongs to the caller: drop it.
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            listenOn(server, host);
            server.start();
            return new EmbeddedDynamoDb(server, host, port);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        } finally {
            System.setOut(stdout);
        }
    }

    public URI endpoint() {
        return FreePort.url(host, port);
    }

    /** The proxy keeps its Jetty server private and binds it to every interface; narrow its connectors. */
    private static void listenOn(DynamoDBProxyServer proxy, String host) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(proxy);
        for (Connector connector : jetty.getConnectors()) {
            if (!(connector instanceof ServerConnector serverConnector)) {
                throw new IllegalStateException("unexpected DynamoDB Local connector " + connector);
            }
            serverConnector.setHost(host);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }

    /** Extracts SQLite's native libraries once per JVM and points sqlite4java at them. */
    private static synchronized void prepareNativeLibraries() {
        if (System.getProperty("sqlite4java.library.path") != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("platform-sqlite4java");
            dir.toFile().deleteOnExit();
            for (String name : NATIVE_LIBRARIES) {
                try (InputStream in = EmbeddedDynamoDb.class.getResourceAsStream("sqlite4java/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("native library missing from the jar: " + name);
                    }
                    Path target = dir.resolve(name);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().deleteOnExit();
                }
            }
            System.setProperty("sqlite4java.library.path", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract sqlite4java native libraries", e);
        }
    }
}
