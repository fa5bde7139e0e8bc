package dev.platform.core.deploy;

import dev.platform.core.github.app.PullRequestFeedback;
import dev.platform.core.github.app.PullRequestFeedback.State;
import dev.platform.core.json.JsonLog;
import dev.platform.core.orchestration.ProjectLink;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * A preview on its pull request: a GitHub deployment per commit (environment {@code preview/pr-<n>},
 * transient, not production) with statuses queued (accepted: the first resource call comes next) → in_progress
 * (the service rolls out) → success (the URL) or failure, each with a link to the environment's logs, marked inactive on
 * teardown; and one comment, created once and edited in place (found again by a hidden marker), with the
 * status, URL, commit and last update. Production deploys are not reported on pull requests. Reporting
 * never fails a deploy: a failure (after the GitHub adapter's own retries) is logged and the deploy goes on.
 */
public final class DeployReports {
    private final PullRequestFeedback feedback;
    private final Clock clock;
    private final String logsUrlTemplate;

    /** @param logsUrlTemplate the environment's logs, with {@code {serviceName}}; null: statuses carry no log link */
    public DeployReports(PullRequestFeedback feedback, Clock clock, String logsUrlTemplate) {
        this.feedback = feedback;
        this.clock = clock;
        this.logsUrlTemplate = logsUrlTemplate;
    }

    static String environmentName(EnvironmentRef ref) {
        return "preview/pr-" + ref.pr().value();
    }

    static String marker(EnvironmentRef ref) {
        return "<!-- platform:preview " + ref.projectId() + " -->";
    }

    /** The deployment's first status; the comment waits for the next one, a moment later. */
    void queued(ProjectLink project, Deployment deployment, String url) {
        report(project, deployment, State.QUEUED, null, "Queued " + deployment.commitSha().shortForm(), null, url);
    }

    void deploying(ProjectLink project, Deployment deployment, String url) {
        report(project, deployment, State.IN_PROGRESS, null, "Deploying " + deployment.commitSha().shortForm(),
                "Deploying", url);
    }

    void succeeded(ProjectLink project, Deployment deployment, String url) {
        report(project, deployment, State.SUCCESS, url, "Serving " + deployment.commitSha().shortForm(), "Ready", url);
    }

    void failed(ProjectLink project, Deployment deployment, String url, String reason) {
        report(project, deployment, State.FAILURE, null, reason, "Failed: " + reason, url);
    }

    void tornDown(ProjectLink project, EnvironmentRef ref) {
        tornDown(project, ref, "The pull request was closed: the preview is removed", "Removed (the pull request was closed)");
    }

    /** The preview is removed though its pull request is open: it went too long without a new commit. */
    void expired(ProjectLink project, EnvironmentRef ref) {
        tornDown(project, ref, "Expired without a new commit: the preview is removed",
                "Expired (no new commit for too long); push a commit to deploy it again");
    }

    /**
     * The comment shows where the preview stands between deploys (sleeping, waking, expiring), with its URL and
     * the deployment that serves; the GitHub deployment keeps its last status.
     */
    public void standing(ProjectLink project, Environment environment, String status, String url) {
        EnvironmentRef ref = environment.ref();
        if (!usable(project, ref)) {
            return;
        }
        Deployment shown = environment.serving() != null ? environment.serving() : environment.latest();
        attempt("update the comment of", ref, () -> feedback.comment(project.installation(), project.repository(), ref.pr(),
                marker(ref), body(ref, status, url, shown)));
    }

    private void tornDown(ProjectLink project, EnvironmentRef ref, String description, String status) {
        if (!usable(project, ref)) {
            return;
        }
        attempt("mark inactive", ref, () -> feedback.latestDeployment(project.installation(), project.repository(),
                environmentName(ref)).ifPresent(id -> feedback.status(project.installation(), project.repository(), id,
                State.INACTIVE, null, null, description)));
        attempt("update the comment of", ref, () -> feedback.comment(project.installation(), project.repository(), ref.pr(),
                marker(ref), body(ref, status, null, null)));
    }

    /** @param status the comment's status line; null: the comment is left as it is */
    private void report(ProjectLink project, Deployment deployment, State state, String environmentUrl, String description,
                        String status, String url) {
        EnvironmentRef ref = deployment.environment();
        if (!usable(project, ref)) {
            return;
        }
        attempt("report", ref, () -> {
            long id = feedback.deployment(project.installation(), project.repository(), deployment.commitSha(),
                    environmentName(ref));
            feedback.status(project.installation(), project.repository(), id, state, environmentUrl, logsUrl(ref),
                    description);
        });
        if (status != null) {
            attempt("update the comment of", ref, () -> feedback.comment(project.installation(), project.repository(),
                    ref.pr(), marker(ref), body(ref, status, url, deployment)));
        }
    }

    private String logsUrl(EnvironmentRef ref) {
        return logsUrlTemplate == null ? null : logsUrlTemplate.replace("{serviceName}", ref.serviceName());
    }

    private String body(EnvironmentRef ref, String status, String url, Deployment deployment) {
        StringBuilder body = new StringBuilder(marker(ref)).append("\n**Preview of pull request #").append(ref.pr().value())
                .append("**\n\n| | |\n|---|---|\n| Status | ").append(status).append(" |\n");
        if (url != null) {
            body.append("| URL | ").append(url).append(" |\n");
        }
        if (deployment != null) {
            body.append("| Commit | `").append(deployment.commitSha().shortForm()).append("` |\n")
                    .append("| Deployment | `").append(deployment.deploymentId()).append("` |\n");
        }
        body.append("| Updated | ").append(DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)))
                .append(" |\n");
        return body.toString();
    }

    private static boolean usable(ProjectLink project, EnvironmentRef ref) {
        return ref.preview() && project != null && project.installation() != null;
    }

    private static void attempt(String what, EnvironmentRef ref, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            JsonLog.error("could not " + what + " the pull request; the deploy goes on",
                    Map.of("environment", ref.serviceName()), e);
        }
    }
}
