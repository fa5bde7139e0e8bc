package dev.platform.local.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** What the stand-ins of AWS JSON 1.1 services (EventBridge, ECS, ECR) share: answers, errors, and their state saved whole. */
public final class AwsJson {
    private AwsJson() {
    }

    /** An error body as the SDK reads it: {@code __type} becomes the exception's error code. */
    public static ObjectNode error(String type, String message) {
        return Json.object().put("__type", type).put("message", message);
    }

    public static void answer(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        Exchanges.send(exchange, status, "application/x-amz-json-1.1", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code file} with {@code text} at once: a kill leaves the old state or the new one, never half of one. */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(next, text);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
