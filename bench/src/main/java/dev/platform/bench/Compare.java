package dev.platform.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two results side by side, row by row (matched on the id column). Ratios are what carries over
 * between runs on different or differently loaded machines, so the ratio column is compared where a
 * row has one; otherwise (sizes, capacity units, counts) the value itself.
 */
final class Compare {
    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z0-9.,])-?[0-9][0-9,]*(\\.[0-9]+)?");

    private Compare() {
    }

    /** One row of a result table. */
    record Parsed(String id, String figure, String value, String ratio, String verdict) {
        /** What to compare: the ratio when there is one, else the value. */
        String measure() {
            return Report.NONE.equals(ratio) ? value : ratio;
        }
    }

    /** @return the exit status */
    static int run(Path older, Path newer, Path root, PrintStream out) throws IOException {
        Path newest = newer != null ? newer
                : (root != null ? root : Path.of(".")).resolve("bench/results/latest.md");
        Map<String, Parsed> before = read(older);
        Map<String, Parsed> after = read(newest);
        out.println("Comparing " + older + " (older) with " + newest + " (newer): ratio to the same-run baseline where "
                + "the row has one, else the value. change = newer ÷ older − 1 of the first number.");
        out.println();
        out.println("| id | older | newer | change | verdict (older → newer) |");
        out.println("|---|---|---|---|---|");
        for (Map.Entry<String, Parsed> entry : after.entrySet()) {
            Parsed now = entry.getValue();
            Parsed then = before.get(entry.getKey());
            if (then == null) {
                out.println("| `" + now.id() + "` | (new row) | " + now.measure() + " | | " + now.verdict() + " |");
                continue;
            }
            out.println("| `" + now.id() + "` | " + then.measure() + " | " + now.measure() + " | "
                    + change(then.measure(), now.measure()) + " | " + then.verdict() + " → " + now.verdict() + " |");
        }
        for (String id : before.keySet()) {
            if (!after.containsKey(id)) {
                out.println("| `" + id + "` | " + before.get(id).measure() + " | (row gone) | | |");
            }
        }
        return 0;
    }

    static Map<String, Parsed> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no result file at " + file);
        }
        Map<String, Parsed> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            List<String> cells = cells(line);
            if (cells.size() != 7) {
                continue;
            }
            String id = cells.get(0).replace("`", "");
            rows.put(id, new Parsed(id, cells.get(1), cells.get(2), cells.get(4), cells.get(6)));
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no result table");
        }
        return rows;
    }

    /** The cells of a markdown table row; {@code \|} is a pipe inside a cell. */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        String body = line.trim();
        body = body.substring(1, body.endsWith("|") && !body.endsWith("\\|") ? body.length() - 1 : body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length() && body.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }

    /** newer ÷ older − 1 of the first number in each text, or blank when either has none. */
    static String change(String older, String newer) {
        Double a = firstNumber(older);
        Double b = firstNumber(newer);
        if (a == null || b == null || a == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%+.1f%%", (b / a - 1) * 100);
    }

    static Double firstNumber(String text) {
        Matcher matcher = NUMBER.matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group().replace(",", "")) : null;
    }
}
