package dev.platform.core.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PreviewCommandTest {

    private static PreviewCommand command(String line) {
        return assertInstanceOf(PreviewCommand.Parsed.Command.class, PreviewCommand.parse(line).orElseThrow(),
                line).command();
    }

    private static String refusal(String line) {
        return assertInstanceOf(PreviewCommand.Parsed.Refused.class, PreviewCommand.parse(line).orElseThrow(),
                line).reason();
    }

    @Test
    void theCommandsWithoutArgumentsAreRead() {
        assertEquals(PreviewCommand.sleep(), command("/preview sleep"));
        assertEquals(PreviewCommand.wake(), command("/preview wake"));
        assertEquals(PreviewCommand.redeploy(), command("/preview redeploy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/preview SLEEP", "/Preview Sleep", "  /preview \t  sleep  ", "/PREVIEW sleep"})
    void theWordsAreMatchedInAnyCaseAndSpacing(String line) {
        assertEquals(PreviewCommand.sleep(), command(line));
    }

    @Test
    void extendWithoutADurationIsSevenDays() {
        assertEquals(PreviewCommand.extend(Duration.ofDays(7)), command("/preview extend"));
    }

    @ParameterizedTest
    @CsvSource({
            "3d, P3D",
            "12h, PT12H",
            "90m, PT90M",
            "2D, P2D",
            "P3D, P3D",
            "PT12H, PT12H",
            "p1dt6h, PT30H",
            "30d, P30D",
            "720h, P30D"})
    void extendTakesShortOrIsoDurations(String argument, String expected) {
        assertEquals(PreviewCommand.extend(Duration.parse(expected)), command("/preview extend " + argument));
    }

    @ParameterizedTest
    @ValueSource(strings = {"31d", "P31D", "721h", "43201m", "999999999d"})
    void extensionsOverThirtyDaysAreRefused(String argument) {
        assertEquals("an extension is at most 30 days, not '" + argument + "'", refusal("/preview extend " + argument));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0d", "0m", "PT0S", "-P3D", "P-1D"})
    void extensionsOfZeroOrLessAreRefused(String argument) {
        assertEquals("an extension must be longer than zero, not '" + argument + "'", refusal("/preview extend " + argument));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "3", "3w", "P1W", "P1M", "1234567890d", "-3d"})
    void unreadableDurationsAreRefused(String argument) {
        String reason = refusal("/preview extend " + argument);
        assertTrue(reason.endsWith("write it like 3d, 12h, 90m, P3D or PT12H"), reason);
    }

    @Test
    void unknownCommandsAreRefusedNamingTheKnownOnes() {
        assertEquals("unknown command 'foo'; known commands: approve, sleep, wake, extend [duration], redeploy",
                refusal("/preview foo"));
        assertEquals("no command given; known commands: approve, sleep, wake, extend [duration], redeploy",
                refusal("/preview"));
        assertEquals("unknown command '" + "x".repeat(20) + "…'; known commands: " + PreviewCommand.KNOWN,
                refusal("/preview " + "x".repeat(500)), "the commenter's text is cut short");
    }

    @Test
    void argumentsWhereNoneBelongAreRefused() {
        assertEquals("'/preview sleep' takes no argument", refusal("/preview sleep now"));
        assertEquals("'/preview approve' takes no argument", refusal("/preview approve please"));
        assertTrue(refusal("/preview extend 3d 4h").startsWith("'/preview extend' takes one duration"));
    }

    @Test
    void approveIsReadAsTheApprovalItAlwaysWas() {
        assertEquals(Optional.of(new PreviewCommand.Parsed.Approve()), PreviewCommand.parse("/preview approve"));
        assertEquals(Optional.of(new PreviewCommand.Parsed.Approve()), PreviewCommand.parse("/preview  Approve"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "looks good", "/previewsleep", "preview sleep", "please /preview sleep", "/deploy"})
    void otherLinesAreNoCommandAtAll(String line) {
        assertEquals(Optional.empty(), PreviewCommand.parse(line));
    }

    @Test
    void aCommandHoldsADurationOnlyForExtendAndAtMostThirtyDays() {
        assertThrows(IllegalArgumentException.class, () -> new PreviewCommand(PreviewCommand.Kind.SLEEP, Duration.ofDays(1)));
        assertThrows(NullPointerException.class, () -> new PreviewCommand(PreviewCommand.Kind.EXTEND, null));
        assertThrows(IllegalArgumentException.class, () -> PreviewCommand.extend(Duration.ofDays(31)));
        assertEquals("/preview extend PT72H", PreviewCommand.extend(Duration.ofDays(3)).toString());
        assertEquals(PreviewCommand.Kind.REDEPLOY, PreviewCommand.Kind.fromWire("redeploy"));
        assertThrows(IllegalArgumentException.class, () -> PreviewCommand.Kind.fromWire("approve"));
    }
}
