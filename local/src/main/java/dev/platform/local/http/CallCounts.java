package dev.platform.local.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.json.Json;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many calls a stand-in answered, per operation, since the runtime started: {@code calls} of
 * {@code GET /_local/resources}, so a run can tell what a preview costs in API calls.
 */
public final class CallCounts {
    private final Map<String, LongAdder> counts = new ConcurrentSkipListMap<>();

    public void count(String operation) {
        counts.computeIfAbsent(operation, key -> new LongAdder()).increment();
    }

    public ObjectNode json() {
        ObjectNode json = Json.object();
        counts.forEach((operation, count) -> json.put(operation, count.sum()));
        return json;
    }
}
