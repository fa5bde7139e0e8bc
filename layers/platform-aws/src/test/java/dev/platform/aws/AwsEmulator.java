package dev.platform.aws;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The AWS API emulator for contract tests: {@code AWS_ENDPOINT_URL} when set, otherwise a moto server
 * started here from {@code MOTO_SERVER} (which {@code ./dev test} installs). Neither is a failure,
 * never a skip: a contract suite that did not run did not pass.
 */
public final class AwsEmulator {
    private static URI endpoint;

    private AwsEmulator() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            String configured = System.getenv("AWS_ENDPOINT_URL");
            endpoint = configured != null && !configured.isBlank() ? URI.create(configured) : startMoto();
        }
        return endpoint;
    }

    /** Settings that point every client at the emulator. */
    public static PlatformConfig config(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_ENDPOINT_URL", endpoint().toString()));
        settings.putAll(extra);
        return new PlatformConfig(settings);
    }

    private static URI startMoto() {
        String server = System.getenv("MOTO_SERVER");
        if (server == null || !Files.isExecutable(Path.of(server))) {
            throw new IllegalStateException("No AWS emulator: set AWS_ENDPOINT_URL, or MOTO_SERVER to a moto_server "
                    + "executable (./dev test installs one into .venv)");
        }
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            Process process = new ProcessBuilder(server, "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "moto-" + port + ".log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            URI uri = URI.create("http://127.0.0.1:" + port);
            awaitReady(process, uri);
            return uri;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + server, e);
        }
    }

    private static void awaitReady(Process process, URI uri) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto server exited with " + process.exitValue());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri.resolve("/moto-api/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("moto server did not answer on " + uri);
    }
}
