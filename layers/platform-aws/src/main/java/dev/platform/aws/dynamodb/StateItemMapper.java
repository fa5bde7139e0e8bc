package dev.platform.aws.dynamodb;

import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.deploy.DeploySettings;
import dev.platform.core.sleep.SleepPolicy;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Stored;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.PreviewStatus;
import dev.platform.core.preview.ProductionBranch;
import dev.platform.core.preview.TrackedState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Items of the state the orchestrator keeps, and of repository links, to and from the domain's records. */
final class StateItemMapper {
    private StateItemMapper() {
    }

    /** A state as an item: its type, its key, the attributes to set and those to remove (absent values). */
    record StateItem(String type, Map<String, AttributeValue> key, Map<String, AttributeValue> set, List<String> remove) {
        String describe() {
            return key.get(Keys.PK).s() + "/" + key.get(Keys.SK).s();
        }
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(Keys.PK, Attr.s(pk), Keys.SK, Attr.s(sk));
    }

    /** A repository link or a project item: both carry what builds and the webhook path need. */
    static ProjectLink link(Map<String, AttributeValue> item) {
        long installation = Attr.number(item, "installationId");
        return new ProjectLink(ProjectId.of(Attr.string(item, "projectId")), Attr.string(item, "teamId"),
                Attr.string(item, "repository"), Attr.string(item, "productionBranch"), BuildSettingsAttributes.read(item),
                installation == 0 ? null : InstallationId.of(installation), deploySettings(item), previewPolicy(item));
    }

    /** A project's own preview policy as the API writes it on its item, or null (the platform's applies). */
    static SleepPolicy previewPolicy(Map<String, AttributeValue> item) {
        if (!item.containsKey("sleepAfter")) {
            return null;
        }
        return SleepPolicy.of(Attr.string(item, "sleepAfter"), Attr.string(item, "expireAfter"),
                item.containsKey("maxActivePreviews") ? Long.toString(Attr.number(item, "maxActivePreviews")) : null);
    }

    /** A project's deploy settings as the API writes them on its item; an item without them runs with the defaults. */
    static DeploySettings deploySettings(Map<String, AttributeValue> item) {
        if (!item.containsKey("port")) {
            return DeploySettings.DEFAULTS;
        }
        String health = Attr.string(item, "healthCheckPath");
        AttributeValue command = item.get("command");
        return new DeploySettings((int) Attr.number(item, "port"), health == null ? DeploySettings.DEFAULTS.healthCheckPath() : health,
                item.containsKey("cpu") ? (int) Attr.number(item, "cpu") : DeploySettings.DEFAULTS.cpu(),
                item.containsKey("memoryMiB") ? (int) Attr.number(item, "memoryMiB") : DeploySettings.DEFAULTS.memoryMiB(),
                command != null && command.hasL() ? command.l().stream().map(AttributeValue::s).toList() : java.util.List.of());
    }

    static Stored<Preview> preview(Map<String, AttributeValue> item) {
        return new Stored<>(
                new Preview(
                        ProjectId.of(Attr.string(item, "projectId")),
                        PrNumber.of((int) Attr.number(item, "pr")),
                        PreviewStatus.fromWire(Attr.string(item, "status")),
                        CommitSha.of(Attr.string(item, "headSha")),
                        Attr.string(item, "headRef"),
                        Attr.instant(item, "prUpdatedAt"),
                        Attr.flag(item, "draft"),
                        Attr.flag(item, "fork"),
                        optionalSha(item, "buildRequestedSha"),
                        optionalSha(item, "approvedSha"),
                        Attr.string(item, "buildId") == null ? null : new BuildId(Attr.string(item, "buildId")),
                        Attr.string(item, "statusReason"),
                        Attr.instant(item, "createdAt"),
                        Attr.instant(item, "changedAt"),
                        Attr.instant(item, "closedAt"),
                        Attr.instant(item, "lastRequestAt")),
                Attr.number(item, "version"), outbox(item), recentDeliveries(item));
    }

    static Stored<ProductionBranch> productionBranch(Map<String, AttributeValue> item) {
        return new Stored<>(
                new ProductionBranch(
                        ProjectId.of(Attr.string(item, "projectId")),
                        Attr.string(item, "branch"),
                        CommitSha.of(Attr.string(item, "headSha")),
                        Attr.number(item, "pushedAt"),
                        Attr.instant(item, "changedAt")),
                Attr.number(item, "version"), outbox(item), recentDeliveries(item));
    }

    static StateItem stateItem(TrackedState state) {
        Map<String, AttributeValue> set = new HashMap<>();
        List<String> remove = new ArrayList<>();
        return switch (state) {
            case Preview p -> {
                set.put("projectId", Attr.s(p.projectId().value()));
                set.put("pr", Attr.n(p.pr().value()));
                set.put("status", Attr.s(p.status().wireName()));
                set.put("headSha", Attr.s(p.headSha().value()));
                set.put("headRef", Attr.s(p.headRef()));
                set.put("prUpdatedAt", Attr.time(p.prUpdatedAt()));
                set.put("draft", Attr.bool(p.draft()));
                set.put("fork", Attr.bool(p.fork()));
                set.put("createdAt", Attr.time(p.createdAt()));
                set.put("changedAt", Attr.time(p.changedAt()));
                set.put("lastRequestAt", Attr.time(p.lastRequestAt()));
                optional(set, remove, "buildRequestedSha", p.buildRequestedSha() == null ? null : Attr.s(p.buildRequestedSha().value()));
                optional(set, remove, "closedAt", p.closedAt() == null ? null : Attr.time(p.closedAt()));
                optional(set, remove, "approvedSha", p.approvedSha() == null ? null : Attr.s(p.approvedSha().value()));
                optional(set, remove, "buildId", p.buildId() == null ? null : Attr.s(p.buildId().value()));
                optional(set, remove, "statusReason", p.statusReason() == null ? null : Attr.s(p.statusReason()));
                yield new StateItem("preview", key(Keys.project(p.projectId()), Keys.preview(p.pr())), set, remove);
            }
            case ProductionBranch b -> {
                set.put("projectId", Attr.s(b.projectId().value()));
                set.put("branch", Attr.s(b.branch()));
                set.put("headSha", Attr.s(b.headSha().value()));
                set.put("pushedAt", Attr.n(b.pushedAt()));
                set.put("changedAt", Attr.time(b.changedAt()));
                yield new StateItem("productionBranch", key(Keys.project(b.projectId()), Keys.productionBranch()), set, remove);
            }
        };
    }

    /** The outbox map's entries, oldest first. */
    private static List<Stored.OutboxEntry> outbox(Map<String, AttributeValue> item) {
        AttributeValue outbox = item.get("outbox");
        if (outbox == null || !outbox.hasM()) {
            return List.of();
        }
        ProjectId projectId = ProjectId.of(Attr.string(item, "projectId"));
        return outbox.m().entrySet().stream()
                .map(entry -> OutboxCodec.read(entry.getKey(), entry.getValue().s(), projectId))
                .sorted(Comparator.comparing(Stored.OutboxEntry::createdAt).thenComparing(Stored.OutboxEntry::key))
                .toList();
    }

    private static CommitSha optionalSha(Map<String, AttributeValue> item, String name) {
        String value = Attr.string(item, name);
        return value == null ? null : CommitSha.of(value);
    }

    private static List<String> recentDeliveries(Map<String, AttributeValue> item) {
        AttributeValue recent = item.get("recentDeliveries");
        return recent == null || !recent.hasL() ? List.of() : recent.l().stream().map(AttributeValue::s).toList();
    }

    private static void optional(Map<String, AttributeValue> set, List<String> remove, String name, AttributeValue value) {
        if (value == null) {
            remove.add(name);
        } else {
            set.put(name, value);
        }
    }
}
