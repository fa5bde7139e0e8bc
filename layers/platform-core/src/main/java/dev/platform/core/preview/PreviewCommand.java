package dev.platform.core.preview;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code /preview <command>} comment on a pull request asks of its preview: {@code sleep},
 * {@code wake}, {@code redeploy}, or {@code extend [duration]} (how much longer the preview may live).
 * {@code /preview approve} is read here too but stays its own path (a fork approval, not a command on a
 * preview).
 *
 * @param extendBy for {@link Kind#EXTEND}, more than zero and at most {@link #MAX_EXTENSION}; null otherwise
 */
public record PreviewCommand(Kind kind, Duration extendBy) {
    /** The word every command starts with. */
    public static final String PREFIX = "/preview";
    /** {@code /preview extend} without a duration. */
    public static final Duration DEFAULT_EXTENSION = Duration.ofDays(7);
    public static final Duration MAX_EXTENSION = Duration.ofDays(30);
    /** What a refusal tells the commenter they could have written. */
    static final String KNOWN = "approve, sleep, wake, extend [duration], redeploy";
    /** Echoed words are cut here, so a refusal stays short whatever was written. */
    private static final int MAX_ECHO = 20;
    /** {@code 3d}, {@code 12h}, {@code 90m}; nine digits at most, so no count overflows a duration. */
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})([dhm])", Pattern.CASE_INSENSITIVE);

    public enum Kind {
        SLEEP, WAKE, EXTEND, REDEPLOY;

        /** The command's word, which is also its name in events and messages. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromWire(String value) {
            for (Kind kind : values()) {
                if (kind.wireName().equals(value)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown preview command '" + value + "'");
        }
    }

    public PreviewCommand {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.EXTEND) {
            Objects.requireNonNull(extendBy, "extend needs a duration");
            if (extendBy.isNegative() || extendBy.isZero() || extendBy.compareTo(MAX_EXTENSION) > 0) {
                throw new IllegalArgumentException("an extension is more than 0 and at most 30 days: " + extendBy);
            }
        } else if (extendBy != null) {
            throw new IllegalArgumentException(kind.wireName() + " takes no duration");
        }
    }

    public static PreviewCommand sleep() {
        return new PreviewCommand(Kind.SLEEP, null);
    }

    public static PreviewCommand wake() {
        return new PreviewCommand(Kind.WAKE, null);
    }

    public static PreviewCommand redeploy() {
        return new PreviewCommand(Kind.REDEPLOY, null);
    }

    public static PreviewCommand extend(Duration by) {
        return new PreviewCommand(Kind.EXTEND, by);
    }

    /** {@code /preview sleep}, {@code /preview extend PT72H}: how it reads in logs and reasons. */
    @Override
    public String toString() {
        return PREFIX + " " + kind.wireName() + (extendBy == null ? "" : " " + extendBy);
    }

    /** What a comment's first line turned out to be. */
    public sealed interface Parsed {
        record Command(PreviewCommand command) implements Parsed {
        }

        /** {@code /preview approve}: a fork approval ({@code RepoEvent.Approval}), as before commands existed. */
        record Approve() implements Parsed {
        }

        /** A {@code /preview} line that asks for nothing the platform does; the reason says why, for the commenter. */
        record Refused(String reason) implements Parsed {
        }
    }

    /**
     * Reads a comment's first line. The words are separated by any whitespace and matched ignoring case.
     *
     * @return empty when the line is not a {@code /preview} command at all (other comments are chatter)
     */
    public static Optional<Parsed> parse(String firstLine) {
        List<String> words = List.of(firstLine.strip().split("\\s+"));
        if (!words.getFirst().equalsIgnoreCase(PREFIX)) {
            return Optional.empty();
        }
        if (words.size() == 1) {
            return refused("no command given; known commands: " + KNOWN);
        }
        String word = words.get(1).toLowerCase(Locale.ROOT);
        List<String> arguments = words.subList(2, words.size());
        return Optional.of(switch (word) {
            case "approve" -> arguments.isEmpty() ? new Parsed.Approve() : noArgument(word);
            case "sleep" -> arguments.isEmpty() ? new Parsed.Command(sleep()) : noArgument(word);
            case "wake" -> arguments.isEmpty() ? new Parsed.Command(wake()) : noArgument(word);
            case "redeploy" -> arguments.isEmpty() ? new Parsed.Command(redeploy()) : noArgument(word);
            case "extend" -> switch (arguments.size()) {
                case 0 -> new Parsed.Command(extend(DEFAULT_EXTENSION));
                case 1 -> extension(arguments.getFirst());
                default -> new Parsed.Refused("'" + PREFIX + " extend' takes one duration, such as 3d, 12h, 90m or P3D");
            };
            default -> new Parsed.Refused("unknown command '" + echo(words.get(1)) + "'; known commands: " + KNOWN);
        });
    }

    private static Parsed extension(String text) {
        Duration by;
        Matcher shortForm = SHORT_DURATION.matcher(text);
        try {
            if (shortForm.matches()) {
                long count = Long.parseLong(shortForm.group(1));
                by = switch (shortForm.group(2).toLowerCase(Locale.ROOT)) {
                    case "d" -> Duration.ofDays(count);
                    case "h" -> Duration.ofHours(count);
                    default -> Duration.ofMinutes(count);
                };
            } else {
                by = Duration.parse(text);  // ISO-8601, letters in either case
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            return new Parsed.Refused("'" + echo(text) + "' is not a duration; write it like 3d, 12h, 90m, P3D or PT12H");
        }
        if (by.isNegative() || by.isZero()) {
            return new Parsed.Refused("an extension must be longer than zero, not '" + echo(text) + "'");
        }
        if (by.compareTo(MAX_EXTENSION) > 0) {
            return new Parsed.Refused("an extension is at most 30 days, not '" + echo(text) + "'");
        }
        return new Parsed.Command(extend(by));
    }

    private static Parsed noArgument(String word) {
        return new Parsed.Refused("'" + PREFIX + " " + word + "' takes no argument");
    }

    private static Optional<Parsed> refused(String reason) {
        return Optional.of(new Parsed.Refused(reason));
    }

    /** The commenter's own text in a reason: cut short, so a long first line never makes a long message. */
    private static String echo(String text) {
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "…";
    }
}
