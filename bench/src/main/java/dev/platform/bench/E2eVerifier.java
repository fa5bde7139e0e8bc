package dev.platform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import java.nio.file.*;
import java.util.*;

/** Whether events.jsonl holds exactly the expected events: none missing, none more often than expected, none else of their kinds. */
record E2eVerifier(int expected, int recorded, List<String> missing, List<String> duplicated, List<String> unexpected) {
    /** What identifies an event: its type, project, pull request and commit (those it has). */
    static String key(String type, String projectId, int pr, String sha) {
        return type + " " + projectId + (pr > 0 ? " PR " + pr : "")
                + (sha.isEmpty() ? "" : " @ " + sha.substring(0, Math.min(12, sha.length())));
    }

    static String key(JsonNode event) {
        JsonNode detail = event.path("detail");
        return key(event.path("detail-type").asText(), detail.path("projectId").asText(), detail.path("pr").asInt(),
                detail.path("commitSha").asText());
    }

    static E2eVerifier check(Path eventsFile, Map<String, Integer> expected) throws Exception {
        // Only the kinds of event the scenario expects: the builds they cause publish more (BuildSucceeded, ...).
        Set<String> types = new HashSet<>();
        expected.keySet().forEach(key -> types.add(key.substring(0, key.indexOf(' '))));
        Map<String, Integer> recorded = new TreeMap<>();
        for (String line : Files.readAllLines(eventsFile)) {
            JsonNode event = Json.MAPPER.readTree(line);
            if (types.contains(event.path("detail-type").asText())) {
                recorded.merge(key(event), 1, Integer::sum);
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        expected.forEach((key, count) -> {
            int seen = recorded.getOrDefault(key, 0);
            if (seen != count) {
                (seen < count ? missing : duplicated).add(key + " ×" + seen);
            }
        });
        return new E2eVerifier(expected.values().stream().mapToInt(Integer::intValue).sum(),
                recorded.values().stream().mapToInt(Integer::intValue).sum(), missing, duplicated,
                recorded.keySet().stream().filter(key -> !expected.containsKey(key)).toList());
    }

    boolean exact() {
        return missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty();
    }

    String summary() {
        return missing.size() + " missing " + head(missing) + ", " + duplicated.size() + " duplicated " + head(duplicated) + ", "
                + unexpected.size() + " unexpected " + head(unexpected);
    }

    static String head(List<String> items) {
        return items.isEmpty() ? "" : "(" + String.join("; ", items.subList(0, Math.min(5, items.size()))) + (items.size() > 5 ? "; ..." : "") + ")";
    }
}
