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
 * show that a new topology entry becomes correctly configured resources by itself, including the
 * rule path the deployed topology does not use yet.
 */
final class TestTopology {
    static final QueueSpec BUILD_JOBS = new QueueSpec("build-jobs", false, 6, "build-jobs-dlq");

    static final FunctionSpec BUILD_LAUNCHER = new FunctionSpec(
            "build-launcher", "dev.example.BuildLauncherHandler", 768, 45,
            new Trigger.EventRule(List.of("BuildRequested", "BuildRetried")),
            List.of(new Grant.ReadWriteTable(), new Grant.SendMessages(BUILD_JOBS)));

    static final FunctionSpec BUILD_WORKER = new FunctionSpec(
            "build-worker", "dev.example.BuildWorkerHandler", 256, 20,
            new Trigger.QueueTrigger(BUILD_JOBS, 5),
            List.of(new Grant.PutPlatformEvents()));

    static final Synth.Variant EXTENDED = new Synth.Variant("extended", PlatformSettings.defaults(), functions());

    private TestTopology() {
    }

    private static List<FunctionSpec> functions() {
        List<FunctionSpec> functions = new ArrayList<>(Topology.functions());
        functions.add(BUILD_LAUNCHER);
        functions.add(BUILD_WORKER);
        return List.copyOf(functions);
    }
}
