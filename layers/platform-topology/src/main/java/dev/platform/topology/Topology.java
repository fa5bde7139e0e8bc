package dev.platform.topology;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one place that declares every function, its trigger and what it may reach, plus the shared
 * table, queues and event bus. The CDK app builds AWS resources from it and the local runtime
 * wires the same triggers in-process from it: adding a function is one entry here.
 */
public final class Topology {

    /** {@code source} of every event the platform puts on its bus. */
    public static final String EVENT_SOURCE = dev.platform.core.events.PlatformEvent.SOURCE;

    public static final DataTable TABLE = new DataTable(
            "platform",
            "PK", "SK",
            List.of(
                    // memberships by user: USER#<userId> -> TEAM#<teamId>
                    new DataTable.GlobalIndex("GSI1", "GSI1PK", "GSI1SK", DataTable.Projection.ALL),
                    // sparse: only active previews, sorted by last inbound request. Keys only, so the
                    // frequent preview writes that leave its keys alone do not write the index as well.
                    new DataTable.GlobalIndex("GSI2", "GSI2PK", "GSI2SK", DataTable.Projection.KEYS_ONLY)),
            "expiresAt");

    public static final QueueSpec REPO_EVENTS =
            new QueueSpec("repo-events.fifo", true, 5, "repo-events-dlq.fifo");

    public static final FunctionSpec GITHUB_WEBHOOK = new FunctionSpec(
            "github-webhook",
            "dev.platform.functions.githubwebhook.GitHubWebhookHandler",
            512, 10,
            new Trigger.HttpRoute("POST", "/webhooks/github"),
            List.of(new Grant.SendMessages(REPO_EVENTS), new Grant.ReadWebhookSecret()));

    public static final FunctionSpec PREVIEW_ORCHESTRATOR = new FunctionSpec(
            "preview-orchestrator",
            "dev.platform.functions.previeworchestrator.PreviewOrchestratorHandler",
            1024, 30,
            new Trigger.QueueTrigger(REPO_EVENTS, 10),
            List.of(new Grant.ReadWriteTable(), new Grant.PutPlatformEvents()));

    private static final List<FunctionSpec> FUNCTIONS = List.of(GITHUB_WEBHOOK, PREVIEW_ORCHESTRATOR);

    private Topology() {
    }

    public static List<FunctionSpec> functions() {
        return FUNCTIONS;
    }

    public static Optional<FunctionSpec> function(String name) {
        return FUNCTIONS.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Every queue that triggers a function or receives messages from one. */
    public static List<QueueSpec> queues() {
        return queuesOf(FUNCTIONS);
    }

    /** The queues these functions are triggered by or send to, each once. */
    public static List<QueueSpec> queuesOf(List<FunctionSpec> functions) {
        return functions.stream()
                .flatMap(f -> Stream.concat(
                        f.trigger() instanceof Trigger.QueueTrigger q ? Stream.of(q.queue()) : Stream.empty(),
                        f.grants().stream()
                                .flatMap(g -> g instanceof Grant.SendMessages s ? Stream.of(s.queue()) : Stream.empty())))
                .distinct()
                .toList();
    }
}
