package dev.platform.bench;

import dev.platform.aws.dynamodb.DynamoEnvironmentStore;
import dev.platform.aws.dynamodb.ProjectRegistry;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStatus;
import dev.platform.core.deploy.Expiry;
import dev.platform.core.deploy.Slot;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.sleep.SleepPolicy;
import dev.platform.core.sleep.SleepPreview;
import dev.platform.core.sleep.SweepPreviews;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The auto-sleep sweep's cost over 100, 1,000 and 10,000 previews of which 5 % run, on the real DynamoDB adapter:
 * its calls, the capacity they consume and its time. The running previews were all requested just now (none
 * sleeps) and none is due to expire, so the sweep's reads are what every sweep pays; traffic comes from a stub
 * that reports no request (CloudWatch is one call per 500 running previews, not counted here).
 */
final class SweepCost {
    private static final int[] PREVIEWS = {100, 1_000, 10_000};
    private static final int RUNS = 5;

    static void measure(Services services, Report report) throws Exception {
        for (int previews : PREVIEWS) {
            Bench.progress("warm: auto-sleep sweep over " + previews + " previews, 5 % running");
            String table = "sweep-" + previews;
            services.createSeededTable(table);
            populate(services.dynamoDb, table, previews);
            CapacityMeter meter = new CapacityMeter();
            DynamoDbClient metered = services.dynamoDb(meter);
            DynamoEnvironmentStore store = new DynamoEnvironmentStore(metered, table);
            // each running preview's project is read once per sweep, for its own policy
            SleepPreview sleeper = new SleepPreview(new ProjectRegistry(metered, table), store, store, null, null, List.of(), null, null, null,
                    SleepPolicy.DEFAULTS, events -> { }, Clock.systemUTC());
            SweepPreviews sweep = new SweepPreviews(null, store, store, (sources, since, until) -> Map.of(), sleeper, null, null,
                    null, null, events -> { }, Clock.systemUTC());
            // every sweep does the same work (nothing sleeps, nothing is due): the first one's calls are each one's
            sweep.sweep();
            CapacityMeter.Usage usage = meter.take();
            long[] times = new long[RUNS];
            SweepPreviews.Outcome outcome = null;
            for (int run = 0; run < RUNS; run++) {
                long before = System.nanoTime();
                outcome = sweep.sweep();
                times[run] = System.nanoTime() - before;
            }
            if (outcome.running() != previews / 20 || outcome.slept() != 0) {
                throw new IllegalStateException("the sweep over " + previews + " previews found " + outcome);
            }
            report.add("sweep." + previews, "auto-sleep sweep over " + Report.count(previews) + " previews, " + (previews / 20)
                    + " running, per sweep: " + usage.calls(), Report.Summary.of(times).medianP99() + "; "
                    + Report.format("%.1f RCU", usage.readUnits()));
            services.dynamoDb.deleteTable(q -> q.tableName(table));
        }
    }

    /**
     * Every 20th preview runs (requested now), the others sleep; 200 previews per project, so each runs 10 (the cap: none sleeps for
     * it). Written by 8 threads: DynamoDB Local answers writes one by one.
     */
    private static void populate(DynamoDbClient dynamoDb, String table, int previews) throws Exception {
        DynamoEnvironmentStore store = new DynamoEnvironmentStore(dynamoDb, table);
        Instant now = Instant.now();
        try (ExecutorService writers = Executors.newFixedThreadPool(8)) {
            List<Future<?>> writes = new ArrayList<>();
            for (int n = 1; n <= previews; n++) {
                int pr = n;
                writes.add(writers.submit(() -> {
                    EnvironmentRef ref = EnvironmentRef.preview(ProjectId.of("project-" + pr / 200), PrNumber.of(pr));
                    EnvironmentStatus status = pr % 20 == 0 ? EnvironmentStatus.ACTIVE : EnvironmentStatus.SLEEPING;
                    store.commit(new Environment(ref, status, "pr-" + pr + ".preview.localhost", new Slot(pr % 3, pr),
                            "arn:tg/" + pr, "arn:rule/" + pr, null, null, now, now, now,
                            Expiry.after(now, SleepPolicy.DEFAULTS.expireAfter()), null), 0, List.of());
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        }
    }
}
