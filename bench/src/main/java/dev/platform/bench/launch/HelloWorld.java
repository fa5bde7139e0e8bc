package dev.platform.bench.launch;

/** The floor: the smallest Java program, printing the same marker line as {@link ColdStart} so both are measured alike. */
public final class HelloWorld {

    public static void main(String[] args) {
        long main = System.nanoTime();
        // StringBuilder, not '+': string concatenation would bootstrap invokedynamic and load extra classes.
        System.out.println(new StringBuilder("Hello, world\n").append(ColdStart.TIMES_PREFIX).append("main=").append(main)
                .append(" init=").append(main).append(" done=").append(System.nanoTime()));
        System.out.flush();
    }
}
