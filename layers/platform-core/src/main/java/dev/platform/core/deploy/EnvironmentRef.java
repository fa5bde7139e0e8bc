package dev.platform.core.deploy;

import dev.platform.core.Hashes;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names one environment that runs a project's images: a pull request's preview or the project's
 * production. Every resource name the platform gives it derives from here, so a retry names the same
 * resources and the deployment watcher finds the environment from the service an ECS event names.
 *
 * @param pr the pull request of a preview, null for production
 */
public record EnvironmentRef(ProjectId projectId, BuildTarget target, PrNumber pr) {
    /** {@code <project>-pr-<n>}: previews end in digits, so the two forms never read as each other. */
    private static final Pattern PREVIEW_SERVICE = Pattern.compile("(.+)-pr-(\\d+)");
    private static final Pattern PRODUCTION_SERVICE = Pattern.compile("(.+)-production");

    public EnvironmentRef {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(target, "target");
        if ((target == BuildTarget.PREVIEW) != (pr != null)) {
            throw new IllegalArgumentException("a preview has a pull request number and production has none");
        }
    }

    public static EnvironmentRef preview(ProjectId projectId, PrNumber pr) {
        return new EnvironmentRef(projectId, BuildTarget.PREVIEW, pr);
    }

    public static EnvironmentRef production(ProjectId projectId) {
        return new EnvironmentRef(projectId, BuildTarget.PRODUCTION, null);
    }

    public boolean preview() {
        return target == BuildTarget.PREVIEW;
    }

    /** The ECS service, and the task definition family: {@code <project>-pr-<n>} or {@code <project>-production}. */
    public String serviceName() {
        return projectId.value() + (preview() ? "-pr-" + pr.value() : "-production");
    }

    /** The environment named by one of its services' names; empty for a service the platform did not name. */
    public static Optional<EnvironmentRef> ofServiceName(String serviceName) {
        try {
            Matcher preview = PREVIEW_SERVICE.matcher(serviceName);
            if (preview.matches()) {
                return Optional.of(preview(ProjectId.of(preview.group(1)), PrNumber.of(Integer.parseInt(preview.group(2)))));
            }
            Matcher production = PRODUCTION_SERVICE.matcher(serviceName);
            if (production.matches()) {
                return Optional.of(production(ProjectId.of(production.group(1))));
            }
        } catch (IllegalArgumentException notOurs) {
            // not a project id or a pull request number: not a platform service
        }
        return Optional.empty();
    }

    /** A target group name: at most 32 characters, so a hash of the environment ({@code e-} and 24 hex digits). */
    public String targetGroupName() {
        return "e-" + Hashes.sha256Hex(key(), 24);
    }

    /** The service's creation token: ECS allows at most 36 characters. */
    public String clientToken() {
        return Hashes.sha256Hex("service\n" + key(), 32);
    }

    /** The tags every resource of this environment carries ({@link ResourceTags}). */
    public Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(ResourceTags.PROJECT, projectId.value());
        tags.put(ResourceTags.ENVIRONMENT, target.wireName());
        if (preview()) {
            tags.put(ResourceTags.PR, Integer.toString(pr.value()));
        }
        return tags;
    }

    /** Whether a resource with these tags belongs to this environment. */
    public boolean owns(Map<String, String> resourceTags) {
        return projectId.value().equals(resourceTags.get(ResourceTags.PROJECT))
                && target.wireName().equals(resourceTags.get(ResourceTags.ENVIRONMENT))
                && Objects.equals(preview() ? Integer.toString(pr.value()) : null, resourceTags.get(ResourceTags.PR));
    }

    @Override
    public String toString() {
        return preview() ? "preview pr-" + pr.value() + " of " + projectId : "production of " + projectId;
    }

    private String key() {
        return projectId.value() + "\n" + target.wireName() + "\n" + (preview() ? pr.value() : "");
    }
}
