package dev.platform.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** format then parse gives back exactly the same names and values, in order, with no warnings. */
class DotenvRoundTripTest {
    private static final String NAME_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
    private static final String NAME_REST = NAME_FIRST + "0123456789";
    /** The characters a value is drawn from: the ones quoting has to get right, and some that need none. */
    private static final String[] VALUE_PIECES = {
        "a", "Z", "0", "_", ".", "/", ":", "@", "+", ",", "-", " ", "  ", "\t", "\n", "\r", "\r\n", "\"", "'", "\\",
        "\\n", "\\\"", "#", " #", "$", "${X}", "$X", "=", "`", "é", "日本", "🚀", "\u0000", "\u00a0", "\u2028", "\uFEFF",
        "export ", "A=b", "\"\"", "''",
    };

    private static String name(Random random) {
        while (true) {
            StringBuilder name = new StringBuilder().append(NAME_FIRST.charAt(random.nextInt(NAME_FIRST.length())));
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                name.append(NAME_REST.charAt(random.nextInt(NAME_REST.length())));
            }
            if (EnvVarNames.nameProblem(name.toString()).isEmpty()) {
                return name.toString();
            }
        }
    }

    private static String value(Random random) {
        int pieces = random.nextInt(5) == 0 ? 0 : random.nextInt(16);
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            value.append(VALUE_PIECES[random.nextInt(VALUE_PIECES.length)]);
        }
        return value.toString();
    }

    private static void assertRoundTrip(List<Dotenv.Entry> entries) {
        String body = Dotenv.format(entries);
        Dotenv.Parsed parsed = Dotenv.parse(body);
        assertEquals(List.of(), parsed.warnings(), body);
        assertEquals(entries.size(), parsed.entries().size(), body);
        for (int i = 0; i < entries.size(); i++) {
            Dotenv.Entry read = parsed.entries().get(i);
            assertEquals(entries.get(i).name(), read.name(), body);
            assertEquals(entries.get(i).value(), read.value(), body);
            // one line each: every line break in a value is written as an escape
            assertEquals(i + 1, read.line(), body);
        }
    }

    @Test
    void randomNamesAndValuesRoundTrip() {
        for (long seed = 1; seed <= 3000; seed++) {
            Random random = new Random(seed);
            Map<String, String> variables = new LinkedHashMap<>();
            int count = 1 + random.nextInt(8);
            while (variables.size() < count) {
                variables.put(name(random), value(random));
            }
            List<Dotenv.Entry> entries = new ArrayList<>();
            variables.forEach((name, value) -> entries.add(new Dotenv.Entry(name, value)));
            assertRoundTrip(entries);
            assertEquals(Dotenv.format(entries), Dotenv.format(variables), "seed " + seed);
        }
    }

    @Test
    void formatOfTheParsedFixtureParsesBackIdentically() throws IOException {
        String fixture;
        try (InputStream in = DotenvRoundTripTest.class.getResourceAsStream("every-syntax.env")) {
            fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Dotenv.Parsed parsed = Dotenv.parse(fixture);
        String formatted = Dotenv.format(parsed.entries());
        assertEquals(parsed.asMap(), Dotenv.parse(formatted).asMap());
        // formatting is stable: a second round writes the same text
        assertEquals(formatted, Dotenv.format(Dotenv.parse(formatted).entries()));
    }

    @Test
    void theSimplestSafeQuotingIsChosen() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("BARE", "postgres://u@db.local:5432/app,x+y-z_1");
        variables.put("EMPTY", "");
        variables.put("SPACE", " padded ");
        variables.put("ESCAPES", "a\\b\"c\nd\re\tf$g");
        variables.put("OTHER", "it's #1 é");
        assertEquals("""
                BARE=postgres://u@db.local:5432/app,x+y-z_1
                EMPTY=""
                SPACE=" padded "
                ESCAPES="a\\\\b\\"c\\nd\\re\\tf\\$g"
                OTHER="it's #1 é"
                """, Dotenv.format(variables));
        assertEquals("", Dotenv.format(Map.of()));
    }

    @Test
    void formatRefusesWhatCouldNotBeReadBack() {
        assertThrows(IllegalArgumentException.class, () -> Dotenv.format(Map.of("AWS_REGION", "x")));
        assertThrows(IllegalArgumentException.class, () -> Dotenv.format(Map.of("A-B", "x")));
        assertThrows(IllegalArgumentException.class, () -> Dotenv.format(Map.of("A", "x".repeat(65537))));
        assertThrows(IllegalArgumentException.class,
                () -> Dotenv.format(List.of(new Dotenv.Entry("A", "1"), new Dotenv.Entry("A", "2"))));
    }
}
