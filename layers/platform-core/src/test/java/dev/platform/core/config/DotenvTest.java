package dev.platform.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a dotenv body: every syntax form, refusals by line, duplicates, limits. */
class DotenvTest {

    private static String fixture() throws IOException {
        try (InputStream in = DotenvTest.class.getResourceAsStream("every-syntax.env")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> expected() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("PLAIN", "value");
        map.put("EXPORTED", "yes");
        map.put("SPACED", "around the equals sign");
        map.put("EMPTY", "");
        map.put("EMPTY_WITH_SPACES", "");
        map.put("EMPTY_BEFORE_COMMENT", "");
        map.put("INLINE", "b");
        map.put("HASH_NO_SPACE", "b#c");
        map.put("HASH_FIRST", "#not-a-comment");
        map.put("TAB_COMMENT", "b");
        map.put("URL", "https://example.com/a?b=c&d=e");
        map.put("EQUALS_IN_VALUE", "a=b=c");
        map.put("INTERNAL_QUOTES", "it's \"fine\" here");
        map.put("NO_INTERPOLATION", "${PLAIN} and $PLAIN");
        map.put("SINGLE", "literal \\n $PLAIN \"double\" # not a comment");
        map.put("SINGLE_EMPTY", "");
        map.put("SINGLE_MULTI", "first\n  second");
        map.put("DOUBLE", "tab\there\nnewline \"quoted\" back\\slash $dollar # kept");
        map.put("DOUBLE_UNKNOWN", "C:\\Users\\x");
        map.put("DOUBLE_EMPTY", "");
        map.put("DOUBLE_MULTI", "one\ntwo\nthree");
        map.put("QUOTED_THEN_COMMENT", "kept");
        map.put("SINGLE_THEN_SPACES", "kept");
        map.put("UNICODE", "héllo 日本 🚀");
        map.put("TABBED_EXPORT", "tab");
        map.put("export", "a variable named export");
        map.put("lower_case_ok", "1");
        map.put("_leading_underscore", "2");
        map.put("AFTER_MULTI", "last");
        return map;
    }

    @Test
    void theFixtureWithEverySyntaxFormReadsToTheExpectedVariablesInOrder() throws IOException {
        Dotenv.Parsed parsed = Dotenv.parse(fixture());
        assertEquals(List.copyOf(expected().entrySet()), List.copyOf(parsed.asMap().entrySet()));
        assertEquals(List.of(), parsed.warnings());
        // line numbers are where each NAME= starts; the multi-line values move the later ones down
        Map<String, Integer> lines = new LinkedHashMap<>();
        parsed.entries().forEach(entry -> lines.put(entry.name(), entry.line()));
        assertEquals(6, lines.get("PLAIN"));
        assertEquals(22, lines.get("SINGLE_MULTI"));
        assertEquals(24, lines.get("DOUBLE"));
        assertEquals(27, lines.get("DOUBLE_MULTI"));
        assertEquals(29, lines.get("QUOTED_THEN_COMMENT"));
        assertEquals(36, lines.get("AFTER_MULTI"));
    }

    @Test
    void windowsLineEndingsAndALeadingByteOrderMarkReadTheSame() throws IOException {
        Map<String, String> unix = Dotenv.parse(fixture()).asMap();
        assertEquals(unix, Dotenv.parse(fixture().replace("\n", "\r\n")).asMap());
        assertEquals(unix, Dotenv.parse("\uFEFF" + fixture()).asMap());
        assertEquals(unix, Dotenv.parse("\uFEFF" + fixture().replace("\n", "\r\n")).asMap());
        // a multi-line value in a CRLF file holds LF only; a lone CR is not a line break
        assertEquals("a\nb", Dotenv.parse("A=\"a\r\nb\"\r\n").asMap().get("A"));
        assertEquals("a\rb", Dotenv.parse("A=a\rb\n").asMap().get("A"));
        // a BOM is ignored only at the very start
        assertEquals("\uFEFFx", Dotenv.parse("A=\uFEFFx").asMap().get("A"));
    }

    @Test
    void anEmptyBodyOrOnlyCommentsIsNoVariables() {
        assertEquals(List.of(), Dotenv.parse("").entries());
        assertEquals(List.of(), Dotenv.parse("\n\n# nothing\n   \n").entries());
        assertEquals("no newline", Dotenv.parse("A=no newline").asMap().get("A"));
    }

    @Test
    void everyMalformedLineIsReportedByNumberAndNothingIsReturned() {
        String body = String.join("\n",
                "GOOD=1",                          // 1
                "no equals sign here",             // 2
                "1BAD=x",                          // 3
                "AWS_REGION=eu-west-1",            // 4
                "A=\"closed\" trailing",            // 5
                "B='multi",                        // 6
                "line' junk",                      // 7
                "C=\"tight\"#comment",              // 8
                "=no name",                        // 9
                "BAD-NAME=\"spans",                // 10
                "two lines\"",                     // 11
                "ALSO_GOOD=2",                     // 12
                "D=\"never closes",                // 13
                "E=swallowed by the open quote");  // 14
        DotenvException e = assertThrows(DotenvException.class, () -> Dotenv.parse(body));
        assertEquals(List.of(
                new LineError(2, "expected NAME=value"),
                new LineError(3, "name must match ^[A-Za-z_][A-Za-z0-9_]*$"),
                new LineError(4, "name AWS_REGION is reserved (AWS_*, ECS_*, PLATFORM_* are set by the platform)"),
                new LineError(5, "only whitespace or a \" #comment\" may follow the closing quote"),
                new LineError(7, "only whitespace or a \" #comment\" may follow the closing quote"),
                new LineError(8, "only whitespace or a \" #comment\" may follow the closing quote"),
                new LineError(9, "name is required"),
                new LineError(10, "name must match ^[A-Za-z_][A-Za-z0-9_]*$"),
                new LineError(13, "unterminated double quote: the value never closes")), e.errors());
        assertTrue(e.getMessage().startsWith("line 2: expected NAME=value; line 3: "), e.getMessage());
    }

    @Test
    void anUnterminatedQuoteNamesTheLineItOpenedOn() {
        DotenvException single = assertThrows(DotenvException.class, () -> Dotenv.parse("A=1\n\nB='open\nC=3\n"));
        assertEquals(List.of(new LineError(3, "unterminated single quote: the value never closes")), single.errors());
        DotenvException escaped = assertThrows(DotenvException.class, () -> Dotenv.parse("A=\"ends in an escaped quote\\\""));
        assertEquals(List.of(new LineError(1, "unterminated double quote: the value never closes")), escaped.errors());
    }

    @Test
    void errorsNeverQuoteAValue() {
        String secret = "sk_live_abcdef123456";
        DotenvException e = assertThrows(DotenvException.class,
                () -> Dotenv.parse(secret + "\nX=\"" + secret + "\" " + secret + "\nbad name=" + secret + "\n"));
        assertEquals(3, e.errors().size());
        assertTrue(!e.getMessage().contains(secret), e.getMessage());
    }

    @Test
    void aNameSetTwiceKeepsItsLastValueAtItsLastLineWithAWarning() {
        Dotenv.Parsed parsed = Dotenv.parse(String.join("\n",
                "FOO=first",    // 1
                "BAR=bar",      // 2
                "FOO=second",   // 3
                "",             // 4
                "BAZ=baz",      // 5
                "",             // 6
                "FOO=third"));  // 7
        assertEquals(List.of(
                new Dotenv.Entry("BAR", "bar", 2),
                new Dotenv.Entry("BAZ", "baz", 5),
                new Dotenv.Entry("FOO", "third", 7)), parsed.entries());
        assertEquals(List.of(
                new Dotenv.Warning(3, "FOO is also set on line 1; the last value wins"),
                new Dotenv.Warning(7, "FOO is also set on line 3; the last value wins")), parsed.warnings());
        assertEquals("line 7: FOO is also set on line 3; the last value wins", parsed.warnings().get(1).toString());
        // names are case-sensitive, as on Linux: these are two variables
        assertEquals(2, Dotenv.parse("foo=1\nFOO=2").entries().size());
    }

    @Test
    void reservedAndInvalidNamesAreLineErrors() {
        for (String name : List.of("AWS_REGION", "ECS_CONTAINER_METADATA_URI", "PLATFORM_PROJECT", "aws_region", "Ecs_x", "platform_")) {
            DotenvException e = assertThrows(DotenvException.class, () -> Dotenv.parse("OK=1\n" + name + "=x\n"), name);
            assertEquals(List.of(new LineError(2, "name " + name + " is reserved (AWS_*, ECS_*, PLATFORM_* are set by the platform)")),
                    e.errors());
        }
        for (String name : List.of("9LIVES", "A-B", "A.B", "A B", "É", "export A B")) {
            DotenvException e = assertThrows(DotenvException.class, () -> Dotenv.parse(name + "=x"), name);
            assertEquals(List.of(new LineError(1, "name must match ^[A-Za-z_][A-Za-z0-9_]*$")), e.errors(), name);
        }
        assertEquals(Map.of("AWS", "1", "AWSX", "2", "PLATFORMS", "3"), Dotenv.parse("AWS=1\nAWSX=2\nPLATFORMS=3").asMap());
    }

    @Test
    void valuesUpTo64KiBOfUtf8AreAcceptedAndLargerOnesAreLineErrors() {
        String atLimit = "a".repeat(EnvVarNames.MAX_VALUE_BYTES);
        assertEquals(atLimit, Dotenv.parse("A=" + atLimit).asMap().get("A"));
        DotenvException e = assertThrows(DotenvException.class, () -> Dotenv.parse("A=1\nB=" + atLimit + "b\nC=3"));
        assertEquals(List.of(new LineError(2, "value is over 64 KiB")), e.errors());
        // counted in UTF-8 bytes, not characters: 21846 three-byte characters are 65538 bytes
        String wide = "€".repeat(21846);
        assertThrows(DotenvException.class, () -> Dotenv.parse("A='" + wide + "'"));
        assertEquals(21845, Dotenv.parse("A='" + "€".repeat(21845) + "'").asMap().get("A").length());
    }
}
