package dev.platform.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** An API answer: status, extra headers, JSON body (null: none, as for 204). */
public record ApiResponse(int status, Map<String, String> headers, JsonNode body) {
    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, Map.of(), body);
    }

    public static ApiResponse created(JsonNode body) {
        return new ApiResponse(201, Map.of(), body);
    }

    public static ApiResponse accepted(JsonNode body) {
        return new ApiResponse(202, Map.of(), body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), null);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, more, body);
    }

    public static ApiResponse problem(ApiProblem problem) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error").put("code", problem.code()).put("message", problem.getMessage());
        if (problem.field() != null) {
            error.put("field", problem.field());
        }
        return new ApiResponse(problem.status(), Map.of(), body);
    }
}
