package dev.platform.core.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;

/**
 * Structured logs: one JSON object per line on stdout, which Lambda ships to CloudWatch Logs. Every
 * line carries its time (CloudWatch adds its own, a local log does not). Callers pass ids and
 * outcomes, never secret values or request bodies; errors carry the exception's class, message,
 * cause chain and stack trace, which hold neither (exception messages here name fields and ids).
 */
public final class JsonLog {
    private static volatile PrintStream out = System.out;

    private JsonLog() {
    }

    public static void info(String message, Map<String, ?> fields) {
        write("INFO", message, fields);
    }

    public static void warn(String message, Map<String, ?> fields) {
        write("WARN", message, fields);
    }

    public static void error(String message, Map<String, ?> fields, Throwable error) {
        ObjectNode line = line("ERROR", message, fields);
        line.put("errorType", error.getClass().getName());
        line.put("error", String.valueOf(error.getMessage()));
        var causes = line.putArray("causes");
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable cause = error.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
            causes.addObject().put("errorType", cause.getClass().getName()).put("error", String.valueOf(cause.getMessage()));
        }
        java.io.StringWriter trace = new java.io.StringWriter();
        error.printStackTrace(new java.io.PrintWriter(trace));
        line.put("stackTrace", trace.toString());
        emit(line);
    }

    /**
     * A CloudWatch embedded-metric-format line: Lambda turns it into a metric without an API call.
     */
    public static void count(String namespace, String metric, String dimension, String value) {
        ObjectNode line = Json.object();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", Instant.now().toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        directive.putArray("Dimensions").addArray().add(dimension);
        directive.putArray("Metrics").addObject().put("Name", metric).put("Unit", "Count");
        line.put(dimension, value);
        line.put(metric, 1);
        emit(line);
    }

    private static void write(String level, String message, Map<String, ?> fields) {
        emit(line(level, message, fields));
    }

    private static ObjectNode line(String level, String message, Map<String, ?> fields) {
        ObjectNode line = Json.object();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("message", message);
        fields.forEach((k, v) -> line.set(k, Json.MAPPER.valueToTree(v)));
        return line;
    }

    private static void emit(ObjectNode line) {
        out.println(Json.write(line));
    }

    /** Lets the local runtime keep its own stdout for platform events and banners. */
    public static void redirect(PrintStream stream) {
        out = stream;
    }
}
