package dev.platform.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Environment variables to and from a dotenv body, the form people paste and download.
 *
 * <p>Syntax read: one {@code NAME=value} per line, an optional leading {@code export }, whitespace around the
 * name and the {@code =}; blank lines and {@code #} lines are skipped. An unquoted value is trimmed and ends at
 * a {@code #} that follows whitespace ({@code A=b #c} is {@code b}, {@code A=b#c} is {@code b#c}). A single-quoted
 * value is literal; a double-quoted one knows {@code \n \r \t \" \\ \$}. Both may span lines. After a closing
 * quote only whitespace and a comment may follow. CRLF line endings and a leading UTF-8 BOM are accepted.
 *
 * <p>Choices: no interpolation ({@code ${X}} stays as written) — the platform stores values, it does not
 * evaluate them, and a value must not change when another one does. An unknown escape such as {@code \x} in
 * double quotes stays as both characters, as in a POSIX shell, so a pasted Windows path survives. A name set
 * twice keeps its last value, at the position of its last line, with a warning.
 */
public final class Dotenv {
    /** Values made only of these are written bare; everything else is double-quoted. */
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_./:@+,-]+");

    private Dotenv() {
    }

    /** One variable: the line its {@code NAME=} starts on ({@code 0} when it was not read from a body). */
    public record Entry(String name, String value, int line) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        public Entry(String name, String value) {
            this(name, value, 0);
        }
    }

    /** Something accepted but worth telling, such as a name set twice. */
    public record Warning(int line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /** A body read in full: each name once, in the order of the lines that won, and the warnings. */
    public record Parsed(List<Entry> entries, List<Warning> warnings) {
        public Parsed {
            entries = List.copyOf(entries);
            warnings = List.copyOf(warnings);
        }

        /** The variables as a map, in the same order as {@link #entries()}. */
        public SequencedMap<String, String> asMap() {
            SequencedMap<String, String> map = new LinkedHashMap<>();
            entries.forEach(entry -> map.put(entry.name(), entry.value()));
            return Collections.unmodifiableSequencedMap(map);
        }
    }

    /**
     * Reads a whole dotenv body.
     *
     * @throws DotenvException listing every malformed line (with nothing returned), when any line is malformed
     */
    public static Parsed parse(String body) {
        Objects.requireNonNull(body, "body");
        String text = body.startsWith("\uFEFF") ? body.substring(1) : body;
        // CRLF is one line break; a value that needs a carriage return writes it as \r in double quotes
        Reader reader = new Reader(text.replace("\r\n", "\n"));
        reader.readAll();
        if (!reader.errors.isEmpty()) {
            throw new DotenvException(reader.errors);
        }
        return lastWins(reader.entries);
    }

    private static Parsed lastWins(List<Entry> all) {
        Map<String, Integer> lastIndex = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            lastIndex.put(all.get(i).name(), i);
        }
        List<Entry> kept = new ArrayList<>();
        List<Warning> warnings = new ArrayList<>();
        Map<String, Integer> previousLine = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            Entry entry = all.get(i);
            Integer previous = previousLine.put(entry.name(), entry.line());
            if (previous != null) {
                warnings.add(new Warning(entry.line(),
                        entry.name() + " is also set on line " + previous + "; the last value wins"));
            }
            if (lastIndex.get(entry.name()) == i) {
                kept.add(entry);
            }
        }
        return new Parsed(kept, warnings);
    }

    /** {@link #format(List)} of a map's entries, in the map's iteration order. */
    public static String format(Map<String, String> variables) {
        List<Entry> entries = new ArrayList<>();
        variables.forEach((name, value) -> entries.add(new Entry(name, value)));
        return format(entries);
    }

    /**
     * A body that {@link #parse} reads back to exactly these names and values, in this order, with no warnings:
     * one {@code NAME=value} line each and a trailing newline. A value is bare when it is non-empty and only
     * {@code [A-Za-z0-9_./:@+,-]}, otherwise double-quoted with {@code \\ \" \n \r \t \$} escaped ({@code $} too,
     * so dotenv readers that do interpolate read the same value).
     *
     * @throws IllegalArgumentException for a name or value {@link EnvVarNames} refuses, or a name given twice
     */
    public static String format(List<Entry> entries) {
        StringBuilder out = new StringBuilder();
        Set<String> seen = new HashSet<>();
        for (Entry entry : entries) {
            EnvVarNames.nameProblem(entry.name()).or(() -> EnvVarNames.valueProblem(entry.value())).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            if (!seen.add(entry.name())) {
                throw new IllegalArgumentException(entry.name() + " is given twice");
            }
            out.append(entry.name()).append('=');
            if (BARE.matcher(entry.value()).matches()) {
                out.append(entry.value());
            } else {
                quote(entry.value(), out);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void quote(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '$' -> out.append("\\$");
                default -> out.append(c);
            }
        }
        out.append('"');
    }

    /** One pass over a body with CRLF already folded: a cursor, the line it is on, and what it found. */
    private static final class Reader {
        private final String text;
        private final List<Entry> entries = new ArrayList<>();
        private final List<LineError> errors = new ArrayList<>();
        private int pos;
        private int line = 1;

        Reader(String text) {
            this.text = text;
        }

        void readAll() {
            while (pos < text.length()) {
                readStatement();
            }
        }

        /** Reads from the start of a line to the start of the next unread line. */
        private void readStatement() {
            int start = line;
            int eol = endOfLine(pos);
            int i = skipBlanks(pos, eol);
            if (i == eol || text.charAt(i) == '#') {
                nextLine(eol);
                return;
            }
            i = skipExport(i, eol);
            int equals = text.indexOf('=', i);
            if (equals < 0 || equals >= eol) {
                errors.add(new LineError(start, "expected NAME=value"));
                nextLine(eol);
                return;
            }
            String name = trimmed(i, equals);
            int v = skipBlanks(equals + 1, eol);
            String value;
            if (v < eol && (text.charAt(v) == '\'' || text.charAt(v) == '"')) {
                value = quoted(v, start);
                if (value == null) {
                    return; // the error is recorded and the cursor has moved past what was consumed
                }
            } else {
                value = unquoted(equals + 1, eol);
                nextLine(eol);
            }
            // the value is read first so that a bad name does not turn a multi-line value into more errors
            EnvVarNames.nameProblem(name).or(() -> EnvVarNames.valueProblem(value)).ifPresentOrElse(
                    problem -> errors.add(new LineError(start, problem)),
                    () -> entries.add(new Entry(name, value, start)));
        }

        /** {@code export NAME=...}; a variable named {@code export} ({@code export = 1}) is left as it is. */
        private int skipExport(int i, int eol) {
            if (!text.startsWith("export", i)) {
                return i;
            }
            int after = i + "export".length();
            int next = skipBlanks(after, eol);
            if (next == after || next == eol || text.charAt(next) == '=') {
                return i;
            }
            return next;
        }

        /** The value up to a {@code #} that follows whitespace, trimmed of spaces and tabs. */
        private String unquoted(int from, int eol) {
            int end = eol;
            for (int k = from + 1; k < eol; k++) {
                if (text.charAt(k) == '#' && isBlank(text.charAt(k - 1))) {
                    end = k;
                    break;
                }
            }
            return trimmed(from, end);
        }

        /** The text between the two indexes without leading or trailing spaces and tabs. */
        private String trimmed(int from, int end) {
            int first = skipBlanks(from, end);
            int last = end;
            while (last > first && isBlank(text.charAt(last - 1))) {
                last--;
            }
            return text.substring(first, last);
        }

        /**
         * The quoted value opening at {@code open}, with the cursor moved to the line after its closing quote; or
         * null with an error recorded (an unterminated quote consumes the rest of the body).
         */
        private String quoted(int open, int start) {
            char quote = text.charAt(open);
            StringBuilder value = new StringBuilder();
            int k = open + 1;
            int closing = -1;
            while (k < text.length()) {
                char c = text.charAt(k);
                if (c == quote) {
                    closing = k;
                    break;
                }
                if (quote == '"' && c == '\\' && k + 1 < text.length()) {
                    char next = text.charAt(k + 1);
                    switch (next) {
                        case 'n' -> value.append('\n');
                        case 'r' -> value.append('\r');
                        case 't' -> value.append('\t');
                        case '"', '\\', '$' -> value.append(next);
                        default -> value.append(c).append(next);
                    }
                    if (next == '\n') {
                        line++;
                    }
                    k += 2;
                    continue;
                }
                if (c == '\n') {
                    line++;
                }
                value.append(c);
                k++;
            }
            if (closing < 0) {
                errors.add(new LineError(start, "unterminated " + (quote == '"' ? "double" : "single")
                        + " quote: the value never closes"));
                pos = text.length();
                return null;
            }
            int eol = endOfLine(closing);
            int rest = skipBlanks(closing + 1, eol);
            boolean clean = rest == eol || (text.charAt(rest) == '#' && rest > closing + 1);
            int closingLine = line;
            nextLine(eol);
            if (!clean) {
                errors.add(new LineError(closingLine, "only whitespace or a \" #comment\" may follow the closing quote"));
                return null;
            }
            return value.toString();
        }

        private int endOfLine(int from) {
            int eol = text.indexOf('\n', from);
            return eol < 0 ? text.length() : eol;
        }

        private void nextLine(int eol) {
            pos = eol + 1;
            line++;
        }

        private int skipBlanks(int from, int end) {
            int k = from;
            while (k < end && isBlank(text.charAt(k))) {
                k++;
            }
            return k;
        }

        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t';
        }
    }
}
