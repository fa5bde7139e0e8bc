package dev.platform.bench;

/**
 * A measured loop: a fixed number of warm-up calls, then a fixed number of timed calls on the
 * calling thread, each timed on its own. Throughput is timed calls ÷ wall time of the timed loop.
 */
final class Sampler {
    /** Keeps results alive so the JIT cannot drop the work that produced them. */
    static volatile Object sink;

    private Sampler() {
    }

    interface Op {
        void run(int i) throws Exception;
    }

    record Result(Stats.Summary latency, double perSecond) {
        String describe() {
            return "p50 " + Fmt.time(latency.median()) + ", p90 " + Fmt.time(latency.p90()) + ", p99 "
                    + Fmt.time(latency.p99()) + "; " + Fmt.rate(perSecond);
        }
    }

    static Result measure(int warmup, int iterations, Op op) throws Exception {
        if (warmup < 0 || iterations < 1) {
            throw new IllegalArgumentException("warmup >= 0 and iterations >= 1 required");
        }
        for (int i = 0; i < warmup; i++) {
            op.run(i);
        }
        long[] samples = new long[iterations];
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            long before = System.nanoTime();
            op.run(warmup + i);
            samples[i] = System.nanoTime() - before;
        }
        long wall = System.nanoTime() - start;
        return new Result(Stats.summarize(samples), Stats.perSecond(iterations, wall));
    }
}
