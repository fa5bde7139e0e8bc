package dev.platform.core.ids;

/** A pull request's number in its repository: positive. */
public record PrNumber(int value) {
    public PrNumber {
        if (value < 1) {
            throw new IllegalArgumentException("a pull request number is positive: " + value);
        }
    }

    public static PrNumber of(int value) {
        return new PrNumber(value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
