package dev.platform.core.sleep;

import dev.platform.core.deploy.DeployReports;
import dev.platform.core.deploy.Deployment;
import dev.platform.core.deploy.DeploymentStatus;
import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentHosts;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStatus;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.PromoteDeployment;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.events.PlatformEvent.DeploymentSucceeded;
import dev.platform.core.events.PlatformEvent.PreviewCommandRequested;
import dev.platform.core.events.PlatformEvent.PreviewWaking;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.app.CommentReactions;
import dev.platform.core.github.app.CommentReactions.Reaction;
import dev.platform.core.json.JsonLog;
import dev.platform.core.ledger.Ledger;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Projects;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Acts on a preview's {@code /preview} commands (sleep, wake, extend, redeploy), answering on the comment with
 * a reaction (+1 done, confused: nothing to act on, the reason logged); and keeps a project under its cap when
 * one of its previews starts running ({@code PreviewWaking}, a preview's {@code DeploymentSucceeded}).
 */
public final class ControlPreview {

    /** What happened, for the log. */
    public record Outcome(EnvironmentRef environment, String result) {
    }

    private final Projects projects;
    private final Ledger<EnvironmentRef, Environment> environments;
    private final SleepPreview sleeper;
    private final WakePreview waker;
    private final PromoteDeployment promoter;
    private final CommentReactions reactions;
    private final DeployReports reports;
    private final EnvironmentHosts hosts;
    private final Clock clock;

    public ControlPreview(Projects projects, EnvironmentStore environments, SleepPreview sleeper, WakePreview waker,
                          PromoteDeployment promoter, CommentReactions reactions, DeployReports reports,
                          EnvironmentHosts hosts, PlatformEventPublisher publisher, Clock clock) {
        this.projects = projects;
        this.environments = new Ledger<>(environments, publisher, clock);
        this.sleeper = sleeper;
        this.waker = waker;
        this.promoter = promoter;
        this.reactions = reactions;
        this.reports = reports;
        this.hosts = hosts;
        this.clock = clock;
    }

    public Outcome command(PreviewCommandRequested command) {
        EnvironmentRef ref = EnvironmentRef.preview(command.projectId(), command.pr());
        String by = "@" + command.requestedBy();
        Environment environment = environments.read(ref, "command:" + command.deliveryId()).map(s -> s.state())
                .filter(e -> !e.retired()).orElse(null);
        String result;
        boolean done;
        if (environment == null) {
            done = false;
            result = "no deployed preview to " + command.command().wireName();
        } else {
            switch (command.command()) {
                case SLEEP -> {
                    SleepPreview.Outcome outcome = sleeper.sleep(ref, "command");
                    done = outcome.slept() || environment.status() == EnvironmentStatus.SLEEPING;
                    result = outcome.result();
                }
                case WAKE -> {
                    WakePreview.Outcome outcome = waker.wake(ref, "command:" + command.requestedBy());
                    done = outcome.found();
                    result = outcome.result();
                }
                case EXTEND -> {
                    result = extend(environment, command);
                    done = result != null;
                    result = done ? result : "production does not expire";
                }
                case REDEPLOY -> {
                    result = redeploy(environment, command, by);
                    done = result != null;
                    result = done ? result : "nothing has served yet: push a commit to deploy";
                }
                default -> {
                    done = false;
                    result = command.command().wireName() + " is not acted on here";
                }
            }
        }
        react(command, done ? Reaction.PLUS_ONE : Reaction.CONFUSED, result);
        return new Outcome(ref, "/preview " + command.command().wireName() + " by " + by + ": " + result);
    }

    /** A preview started running: its project keeps at most its cap running, this one included. */
    public Outcome started(PreviewWaking waking) {
        return cap(EnvironmentRef.preview(waking.projectId(), waking.pr()));
    }

    public Outcome started(DeploymentSucceeded succeeded) {
        if (succeeded.target() != BuildTarget.PREVIEW) {
            return new Outcome(EnvironmentRef.production(succeeded.projectId()), "production has no cap");
        }
        return cap(EnvironmentRef.preview(succeeded.projectId(), succeeded.pr()));
    }

    private Outcome cap(EnvironmentRef started) {
        List<SleepPreview.Outcome> outcomes = sleeper.enforceCap(started.projectId(), started);
        long slept = outcomes.stream().filter(SleepPreview.Outcome::slept).count();
        int cap = sleeper.policy(started.projectId()).maxActivePreviews();
        return new Outcome(started, slept == 0 ? "within the cap of " + cap
                : "slept " + slept + " for the cap of " + cap + ": "
                        + outcomes.stream().map(o -> o.environment().serviceName()).toList());
    }

    /** The expiry moves {@code extendBy} later (from now if it already passed), never beyond 30 days from now. */
    private String extend(Environment environment, PreviewCommandRequested command) {
        if (environment.expiry() == null) {
            return null;
        }
        Instant now = clock.instant();
        Instant from = environment.expiry().at().isAfter(now) ? environment.expiry().at() : now;
        Instant limit = now.plus(dev.platform.core.preview.PreviewCommand.MAX_EXTENSION);
        Instant until = from.plus(command.extendBy()).isAfter(limit) ? limit : from.plus(command.extendBy());
        Environment after = environments.change(environment.ref(), "extend:" + command.deliveryId(),
                e -> e == null || e.retired() || e.expiry() == null ? e : e.withExpiry(e.expiry().extendedTo(until), now),
                (before, next) -> List.of()).orElse(environment);
        String at = DateTimeFormatter.ISO_INSTANT.format(after.expiry() == null ? until
                : after.expiry().at().truncatedTo(ChronoUnit.SECONDS));
        projects.project(environment.ref().projectId()).ifPresent(project -> reports.standing(project, after,
                describe(after) + "; expires at " + at + " (extended by @" + command.requestedBy() + ")",
                hosts.url(after.host())));
        return "expires at " + at;
    }

    /** The serving deployment rolls out again (a sleeping preview is woken: its wake is a fresh rollout). */
    private String redeploy(Environment environment, PreviewCommandRequested command, String by) {
        if (environment.routedToWaker()) {
            return waker.wake(environment.ref(), "command:" + command.requestedBy()).result();
        }
        Deployment latest = environment.latest();
        if (latest != null && latest.triggeredBy().contains(command.deliveryId())) {
            return "already redeployed as " + latest.deploymentId();
        }
        Deployment serving = environment.serving() != null ? environment.serving()
                : latest != null && latest.status() == DeploymentStatus.SUCCEEDED ? latest : null;
        if (serving == null) {
            return null;
        }
        Deployment rolling = promoter.promote(environment.ref().projectId(), serving.deploymentId(),
                "/preview redeploy by " + by + " (delivery " + command.deliveryId() + ")");
        return "redeploying as " + rolling.deploymentId();
    }

    private static String describe(Environment environment) {
        return switch (environment.status()) {
            case SLEEPING -> "Sleeping; the next request wakes it";
            case WAKING -> "Waking up";
            case DEPLOYING -> "Deploying";
            case FAILED -> "Failed";
            default -> "Ready";
        };
    }

    private void react(PreviewCommandRequested command, Reaction reaction, String result) {
        ProjectLink project = projects.project(command.projectId()).orElse(null);
        if (reaction == Reaction.CONFUSED) {
            JsonLog.info("preview command not acted on", Map.of("project", command.projectId().value(),
                    "pr", command.pr().value(), "command", command.command().wireName(), "reason", result));
        }
        if (project == null || project.installation() == null || command.commentId() <= 0) {
            // no comment to answer: the command came through the REST API
            return;
        }
        try {
            reactions.react(project.installation(), project.repository(), command.commentId(), reaction);
        } catch (RuntimeException e) {
            JsonLog.error("could not react to the /preview comment; the command was acted on", Map.of(
                    "project", command.projectId().value(), "pr", command.pr().value()), e);
        }
    }
}
