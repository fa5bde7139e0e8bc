package dev.platform.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** A dotenv body refused as a whole: every malformed line, in line order, so one round of fixes is enough. */
public final class DotenvException extends RuntimeException {
    private final List<LineError> errors;

    public DotenvException(List<LineError> errors) {
        // an input refusal, not a fault: no stack trace to fill
        super(errors.stream().map(LineError::toString).collect(Collectors.joining("; ")), null, false, false);
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a DotenvException needs at least one line error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<LineError> errors() {
        return errors;
    }
}
