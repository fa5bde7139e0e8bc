package dev.platform.local;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventCodec;
import dev.platform.core.events.PlatformEventPublisher;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The local stand-in for the platform bus: every event becomes one JSON line
 * {@code {"source":"platform","detail-type":"...","detail":{...}}}, appended to events.jsonl and
 * printed on stdout.
 */
final class EventLog implements PlatformEventPublisher, AutoCloseable {
    private final BufferedWriter file;
    private final PrintStream console;

    EventLog(Path path, PrintStream console) {
        this.console = console;
        try {
            Files.createDirectories(path.getParent());
            this.file = Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path, e);
        }
    }

    @Override
    public synchronized void publish(List<PlatformEvent> events) {
        try {
            for (PlatformEvent event : events) {
                String line = PlatformEventCodec.envelope(event);
                file.write(line);
                file.newLine();
                console.println(line);
            }
            file.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to events.jsonl", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}
