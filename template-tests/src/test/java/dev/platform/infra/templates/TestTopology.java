package dev.platform.infra.templates;

import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Grant;
import dev.platform.topology.QueueSpec;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import dev.platform.infra.PlatformSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The deployed topology plus two functions that exist only here: one triggered by a bus rule, one by
 * a new standard queue. The stacks are not edited for them, so the tests that run over this variant
 * show that a new topology entry becomes correctly configured resources by itself.
 */
final class TestTopology {
    static final QueueSpec JOBS = new QueueSpec("jobs", false, 6, "jobs-dlq");

    static final FunctionSpec JOB_LAUNCHER = new FunctionSpec(
            "job-launcher", "dev.example.JobLauncherHandler", 768, 45,
            new Trigger.EventRule(List.of("JobRequested", "JobRetried")),
            List.of(new Grant.ReadWriteTable(), new Grant.SendMessages(JOBS)));

    static final FunctionSpec JOB_WORKER = new FunctionSpec(
            "job-worker", "dev.example.JobWorkerHandler", 256, 20,
            new Trigger.QueueTrigger(JOBS, 5),
            List.of(new Grant.PutPlatformEvents()));

    static final Synth.Variant EXTENDED = new Synth.Variant("extended", PlatformSettings.defaults(), functions());

    private TestTopology() {
    }

    private static List<FunctionSpec> functions() {
        List<FunctionSpec> functions = new ArrayList<>(Topology.functions());
        functions.add(JOB_LAUNCHER);
        functions.add(JOB_WORKER);
        return List.copyOf(functions);
    }
}
