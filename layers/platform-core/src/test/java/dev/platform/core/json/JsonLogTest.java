package dev.platform.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonLogTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        JsonLog.redirect(System.out);
    }

    private JsonNode lastLine() throws Exception {
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        return Json.MAPPER.readTree(lines[lines.length - 1]);
    }

    @Test
    void everyLineCarriesItsTime() throws Exception {
        JsonLog.redirect(new PrintStream(out, true, StandardCharsets.UTF_8));
        Instant before = Instant.now();
        JsonLog.info("hello", Map.of("deliveryId", "d1"));
        JsonNode line = lastLine();
        Instant time = Instant.parse(line.path("time").asText());
        assertTrue(!time.isBefore(before) && !time.isAfter(Instant.now()), line.toString());
        assertEquals("INFO", line.path("level").asText());
        assertEquals("d1", line.path("deliveryId").asText());
    }

    @Test
    void errorsCarryTheirClassCauseChainAndStackTrace() throws Exception {
        JsonLog.redirect(new PrintStream(out, true, StandardCharsets.UTF_8));
        Exception root = new java.net.SocketTimeoutException("Read timed out");
        Exception middle = new java.io.UncheckedIOException("unable to execute HTTP request", new java.io.IOException("io", root));
        JsonLog.error("delivery not queued", Map.of("deliveryId", "d2"), new IllegalStateException("queue unavailable", middle));
        JsonNode line = lastLine();
        assertEquals("ERROR", line.path("level").asText());
        assertEquals("java.lang.IllegalStateException", line.path("errorType").asText());
        assertEquals("queue unavailable", line.path("error").asText());
        assertEquals(3, line.path("causes").size());
        assertEquals("java.io.UncheckedIOException", line.path("causes").get(0).path("errorType").asText());
        assertEquals("java.net.SocketTimeoutException", line.path("causes").get(2).path("errorType").asText());
        assertEquals("Read timed out", line.path("causes").get(2).path("error").asText());
        assertTrue(line.path("stackTrace").asText().contains("at dev.platform.core.json.JsonLogTest."), line.path("stackTrace").asText());
        assertTrue(line.has("time"));
    }
}
