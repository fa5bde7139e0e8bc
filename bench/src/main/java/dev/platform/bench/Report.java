package dev.platform.bench;

import java.util.ArrayList;
import java.util.List;

/** The one table every benchmark adds its rows to, plus the notes printed under it. */
final class Report {

    /**
     * One line of the table.
     *
     * @param id stable key, used to compare two runs
     * @param baseline what the value is compared with, measured in the same run ("—" if none)
     * @param ratio value ÷ baseline ("—" if none)
     * @param target the target, if it sets one ("—" otherwise)
     * @param verdict met / missed / pass / FAIL / —
     */
    record Row(String id, String figure, String value, String baseline, String ratio, String target, String verdict) {
    }

    static final String NONE = "—";
    static final String MET = "met";
    static final String MISSED = "missed";
    static final String PASS = "pass";
    static final String FAIL = "FAIL";

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    void note(String note) {
        notes.add(note);
    }

    /** A check that failed: the run still prints its table, then exits non-zero. */
    void fail(String why) {
        failures.add(why);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    static String verdict(boolean met) {
        return met ? MET : MISSED;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append("| id | figure | value | baseline (same run) | ratio | target | verdict |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| `").append(row.id()).append("` | ").append(cell(row.figure()))
                    .append(" | ").append(cell(row.value()))
                    .append(" | ").append(cell(row.baseline()))
                    .append(" | ").append(cell(row.ratio()))
                    .append(" | ").append(cell(row.target()))
                    .append(" | ").append(cell(row.verdict())).append(" |\n");
        }
        return out.toString();
    }

    String notes() {
        StringBuilder out = new StringBuilder();
        for (String note : notes) {
            out.append("- ").append(note).append('\n');
        }
        for (String failure : failures) {
            out.append("- **FAILED:** ").append(failure).append('\n');
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
