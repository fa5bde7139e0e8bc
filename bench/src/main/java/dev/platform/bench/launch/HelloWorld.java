package dev.platform.bench.launch;

/**
 * The floor: the smallest Java program, started the same way as {@link ColdStart}. It prints the
 * same marker line so the harness measures both identically.
 */
public final class HelloWorld {
    private HelloWorld() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        // StringBuilder, not '+': string concatenation would bootstrap invokedynamic and load extra classes.
        StringBuilder line = new StringBuilder("Hello, world\n")
                .append(ColdStart.TIMES_PREFIX)
                .append("main=").append(main)
                .append(" init=").append(main)
                .append(" done=").append(System.nanoTime());
        System.out.println(line);
        System.out.flush();
    }
}
