package dev.platform.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The REST API over HTTP, as a user's client calls it. Every answer is checked against the OpenAPI document
 * (status documented for the route, body valid against its schema) and kept, so a test can scan them all.
 */
final class ApiClient {
    private static final OpenApiContract CONTRACT = OpenApiContract.load();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final List<String> answered = new ArrayList<>();

    ApiClient(URI base) {
        this.base = base;
    }

    record Answer(int status, JsonNode body, String raw, HttpResponse<String> response) {
        String text(String field) {
            return body.path(field).asText();
        }
    }

    /**
     * @param template the route as the document writes it, e.g. {@code /v1/teams/{teamId}}
     * @param path the path with its parameters filled in
     * @param token null: no Authorization header
     * @param body null: no body
     */
    Answer call(String method, String template, String path, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String raw = response.body();
            if (CONTRACT.routes().contains(method + " " + template)) {
                CONTRACT.check(method, template, response.statusCode(), response.headers().map(), raw);
            } else {
                CONTRACT.checkUnknownRoute(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), raw);
            }
            synchronized (answered) {
                answered.add(raw);
            }
            JsonNode parsed = raw.isEmpty() ? MissingNode.getInstance() : Json.MAPPER.readTree(raw);
            return new Answer(response.statusCode(), parsed, raw, response);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer call(String method, String template, String path, String token, String body) {
        return call(method, template, path, token, body, Map.of());
    }

    /** For a route without path parameters. */
    Answer call(String method, String path, String token, String body) {
        return call(method, path, path, token, body, Map.of());
    }

    /** Every response body so far. */
    List<String> answered() {
        synchronized (answered) {
            return List.copyOf(answered);
        }
    }
}
