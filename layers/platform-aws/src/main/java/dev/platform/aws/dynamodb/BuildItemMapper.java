package dev.platform.aws.dynamodb;

import dev.platform.core.build.Build;
import dev.platform.core.build.BuildRequest;
import dev.platform.core.build.BuildStatus;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.Stored;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Build records ({@code BUILD#<buildId>} / {@code META}) to and from {@link Build} (the outbox is
 * {@link VersionedItems}'s).
 */
final class BuildItemMapper {
    private BuildItemMapper() {
    }

    static Map<String, AttributeValue> key(BuildId buildId) {
        return StateItemMapper.key("BUILD#" + buildId.value(), Keys.META);
    }

    /** Every attribute of the build; absent values are not written. */
    static Map<String, AttributeValue> attributes(Build build) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("buildId", Attr.s(build.buildId().value()));
        item.put("projectId", Attr.s(build.projectId().value()));
        item.put("commitSha", Attr.s(build.commitSha().value()));
        BuildSettingsAttributes.write(build.settings(), item);
        item.put("repository", Attr.s(build.repository()));
        if (build.installation() != null) {
            item.put("installationId", Attr.n(build.installation().value()));
        }
        item.put("status", Attr.s(build.status().wireName()));
        item.put("attempt", Attr.n(build.attempt()));
        List<AttributeValue> requests = new ArrayList<>();
        for (BuildRequest request : build.requests()) {
            Map<String, AttributeValue> entry = new HashMap<>(Map.of(
                    "target", Attr.s(request.target().wireName()), "requestId", Attr.s(request.requestId())));
            if (request.pr() != null) {
                entry.put("pr", Attr.n(request.pr().value()));
            }
            requests.add(AttributeValue.fromM(entry));
        }
        item.put("requests", AttributeValue.fromL(requests));
        putIfPresent(item, "taskId", build.taskId());
        putIfPresent(item, "image", build.image());
        putIfPresent(item, "failureReason", build.failureReason());
        if (build.checkRunId() != null) {
            item.put("checkRunId", Attr.n(build.checkRunId()));
        }
        item.put("createdAt", Attr.time(build.createdAt()));
        if (build.startedAt() != null) {
            item.put("startedAt", Attr.time(build.startedAt()));
        }
        if (build.finishedAt() != null) {
            item.put("finishedAt", Attr.time(build.finishedAt()));
        }
        return item;
    }

    /** The attributes a build may lose from one version to the next. */
    static final List<String> OPTIONAL = List.of("installationId", "taskId", "image", "failureReason", "checkRunId",
            "startedAt", "finishedAt", "buildTarget", "buildArgs");

    static Stored<Build> build(Map<String, AttributeValue> item) {
        List<BuildRequest> requests = new ArrayList<>();
        AttributeValue stored = item.get("requests");
        if (stored != null && stored.hasL()) {
            for (AttributeValue entry : stored.l()) {
                Map<String, AttributeValue> request = entry.m();
                long pr = Attr.number(request, "pr");
                requests.add(new BuildRequest(BuildTarget.fromWire(Attr.string(request, "target")),
                        pr == 0 ? null : PrNumber.of((int) pr), Attr.string(request, "requestId")));
            }
        }
        long installation = Attr.number(item, "installationId");
        long checkRun = Attr.number(item, "checkRunId");
        Build build = new Build(
                new BuildId(Attr.string(item, "buildId")),
                ProjectId.of(Attr.string(item, "projectId")),
                CommitSha.of(Attr.string(item, "commitSha")),
                BuildSettingsAttributes.read(item),
                Attr.string(item, "repository"),
                installation == 0 ? null : InstallationId.of(installation),
                BuildStatus.fromWire(Attr.string(item, "status")),
                (int) Attr.number(item, "attempt"),
                requests,
                Attr.string(item, "taskId"),
                Attr.string(item, "image"),
                Attr.string(item, "failureReason"),
                checkRun == 0 ? null : checkRun,
                Attr.instant(item, "createdAt"),
                Attr.instant(item, "startedAt"),
                Attr.instant(item, "finishedAt"));
        return VersionedItems.stored(build, item);
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, Attr.s(value));
        }
    }
}
