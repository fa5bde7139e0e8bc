package dev.platform.core.config;

/** One malformed line of a dotenv body: its number (1-based) and what is wrong, never the line's text. */
public record LineError(int line, String message) {
    @Override
    public String toString() {
        return "line " + line + ": " + message;
    }
}
