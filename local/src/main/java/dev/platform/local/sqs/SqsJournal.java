package dev.platform.local.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local queues' durable journal: an append-only file of sent messages and of the ones deleted
 * after processing. A message is appended, and handed to the operating system, before the queue
 * accepts it; so once a sender hears "sent", a {@code kill -9} cannot lose it (the process dies, the
 * OS keeps the bytes; a power cut is out of scope for a development runtime, so there is no fsync).
 * At start the file is read, compacted to the messages never deleted, and those are sent again.
 *
 * <p>Lines are JSON: {@code {"op":"send","id":7,"queue":"repo-events.fifo","request":"<SendMessage JSON>"}}
 * and {@code {"op":"done","id":7}}. A torn last line (the process died while writing it) was never
 * acknowledged to its sender and is skipped.
 */
final class SqsJournal implements AutoCloseable {

    /** A message sent and not yet deleted: its queue and the SendMessage request that sent it. */
    record Entry(long id, String queue, String request) {
    }

    private final Path file;
    private final Map<Long, Entry> pending = new LinkedHashMap<>();
    private BufferedWriter out;
    private long nextId = 1;

    private SqsJournal(Path file) {
        this.file = file;
    }

    /** Reads the journal (if any), keeps the pending entries in send order and rewrites the file with only them. */
    static SqsJournal open(Path file) {
        SqsJournal journal = new SqsJournal(file);
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                journal.load(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
            Path compacted = file.resolveSibling(file.getFileName() + ".compacting");
            try (BufferedWriter writer = Files.newBufferedWriter(compacted, StandardCharsets.UTF_8)) {
                for (Entry entry : journal.pending.values()) {
                    writer.write(sendLine(entry));
                    writer.newLine();
                }
            }
            Files.move(compacted, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            journal.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return journal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the queue journal " + file, e);
        }
    }

    private void load(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line;
            try {
                line = Json.MAPPER.readTree(lines.get(i));
            } catch (IOException torn) {
                JsonLog.warn("queue journal: unreadable line skipped (a write cut short by a kill)",
                        Map.of("file", file.toString(), "line", i + 1));
                continue;
            }
            if (line == null || !line.has("id")) {
                continue;
            }
            long id = line.path("id").asLong();
            nextId = Math.max(nextId, id + 1);
            switch (line.path("op").asText()) {
                case "send" -> pending.put(id, new Entry(id, line.path("queue").asText(), line.path("request").asText()));
                case "done" -> pending.remove(id);
                default -> JsonLog.warn("queue journal: unknown line skipped", Map.of("file", file.toString(), "line", i + 1));
            }
        }
    }

    /** Records a message about to be sent; returns its journal id. */
    synchronized long append(String queue, String request) {
        Entry entry = new Entry(nextId++, queue, request);
        write(sendLine(entry));
        pending.put(entry.id(), entry);
        return entry.id();
    }

    /** Records that a message was deleted (processed, purged or refused by the queue). */
    synchronized void done(long id) {
        if (pending.remove(id) != null) {
            ObjectNode line = Json.object().put("op", "done").put("id", id);
            write(Json.write(line));
        }
    }

    synchronized List<Entry> pending() {
        return new ArrayList<>(pending.values());
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    Path file() {
        return file;
    }

    private void write(String line) {
        try {
            out.write(line);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the queue journal " + file, e);
        }
    }

    private static String sendLine(Entry entry) {
        ObjectNode line = Json.object().put("op", "send").put("id", entry.id()).put("queue", entry.queue())
                .put("request", entry.request());
        return Json.write(line);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
