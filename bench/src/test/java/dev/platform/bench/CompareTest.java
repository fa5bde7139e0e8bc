package dev.platform.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareTest {

    @Test
    void aReportRowReadsBackCellByCellEvenWithPipesInside() {
        Report report = new Report();
        report.add(new Report.Row("cold.x.total", "x | y", "1,234 ms / 1,500 ms", "40 ms", "30.9× / 37.5×", "≤ 8× floor", "missed"));
        String line = report.table().lines().filter(l -> l.startsWith("| `")).findFirst().orElseThrow();
        List<String> cells = Compare.cells(line);
        assertEquals(List.of("`cold.x.total`", "x | y", "1,234 ms / 1,500 ms", "40 ms", "30.9× / 37.5×", "≤ 8× floor", "missed"), cells);
    }

    @Test
    void changeIsTheRelativeDifferenceOfTheFirstNumbers() {
        assertEquals("+50.0%", Compare.change("10.0× / 12×", "15.0× / 11×"));
        assertEquals("-25.0%", Compare.change("1,000 B", "750 B"));
        assertEquals("", Compare.change("not built", "750 B"));
        assertEquals(1234.5, Compare.firstNumber("p50 1,234.5 ms"));
    }

    @Test
    void comparesTwoResultFilesRowByRow(@TempDir Path dir) throws Exception {
        Path older = dir.resolve("older.md");
        Path newer = dir.resolve("newer.md");
        Files.writeString(older, table(new Report.Row("a", "A", "100 ms", "10 ms", "10.0×", "—", "—"),
                new Report.Row("gone", "G", "1 B", "—", "—", "—", "—")));
        Files.writeString(newer, table(new Report.Row("a", "A", "80 ms", "10 ms", "8.0×", "—", "—"),
                new Report.Row("size", "S", "2,048 B", "—", "—", "—", "—")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Compare.run(older, newer, null, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(true, out.contains("| `a` | 10.0× | 8.0× | -20.0% | — → — |"), out);
        assertEquals(true, out.contains("| `size` | (new row) | 2,048 B |"), out);
        assertEquals(true, out.contains("| `gone` | 1 B | (row gone) |"), out);
    }

    private static String table(Report.Row... rows) {
        Report report = new Report();
        for (Report.Row row : rows) {
            report.add(row);
        }
        return "# Benchmark results\n\n" + report.table();
    }
}
