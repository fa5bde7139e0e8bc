package dev.platform.core.orchestration;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.app.CommentReactions;
import dev.platform.core.github.app.GitHubException;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.github.app.RepositoryPermissions;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.JsonLog;
import dev.platform.core.preview.Decision;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.PreviewCommandPolicy;
import dev.platform.core.preview.PreviewPolicy;
import dev.platform.core.preview.ProductionBranch;
import dev.platform.core.preview.ProductionPushPolicy;
import dev.platform.core.preview.TrackedState;
import dev.platform.core.repoevent.RepoEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Applies repository events to every project linked to their repository.
 *
 * <p>Per project: read the state; a delivery that already changed it is a duplicate; decide, then
 * commit the new state, its events (in the state's outbox) and the delivery in one conditional
 * write; publish; remove the published entries from the outbox.
 * A crash between commit and publish loses nothing: the redelivered message finds its own entries
 * and publishes them, and entries older than {@link #OUTBOX_LEASE} (their writer is surely gone)
 * are published by whoever reads them next. Entries of a live writer are left to it, so concurrent
 * writers do not publish each other's events twice. A lost race is retried here a few times, then
 * thrown so the queue redelivers the message.
 *
 * <p>A queue batch is one {@link Batch}: the repository's project links are read once, a state
 * committed by one message is what the next message of that state starts from (no second read), and
 * the batch's events are published together, then their outbox entries removed, once per state.
 *
 * <p>A {@code /preview} command is answered with a reaction on its comment once it is decided (and, when
 * accepted, committed); a duplicate delivery is not answered again.
 */
public final class OrchestrateRepoEvent {

    /** The result for one project. */
    public record Outcome(ProjectId projectId, boolean changed, String reason, List<PlatformEvent> events) {
    }

    static final int MAX_ATTEMPTS = 4;
    /** Longer than the orchestrator's Lambda timeout: a writer this old was stopped. */
    public static final Duration OUTBOX_LEASE = Duration.ofMinutes(2);

    private final DeploymentStateStore store;
    private final Projects projects;
    private final RepositoryPermissions permissions;
    private final CommentReactions reactions;
    private final PlatformEventPublisher publisher;
    private final Clock clock;

    /**
     * @param projects where the GitHub App installation of each project's repository is kept current
     * @param permissions who may approve a fork's builds and command previews
     * @param reactions how {@code /preview} commands are answered on their comments
     */
    public OrchestrateRepoEvent(DeploymentStateStore store, Projects projects, RepositoryPermissions permissions,
                                CommentReactions reactions, PlatformEventPublisher publisher, Clock clock) {
        this.store = store;
        this.projects = projects;
        this.permissions = permissions;
        this.reactions = reactions;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * One event on its own: applied, and its events published.
     *
     * @return one outcome per linked project (none when no project uses the repository)
     */
    public List<Outcome> handle(RepoEvent event) {
        Batch batch = batch();
        List<Outcome> outcomes = batch.handle(event);
        batch.publish();
        return outcomes;
    }

    /** A unit of work for several events in a row (a queue batch); {@link Batch#publish()} ends it. */
    public Batch batch() {
        return new Batch();
    }

    /** The events of a batch so far, and what it already knows. Not thread-safe: one batch, one thread. */
    public final class Batch {
        private final Map<String, List<ProjectLink>> linksByRepository = new HashMap<>();
        /** states as this batch committed them, by state key */
        private final Map<String, Stored<? extends TrackedState>> committed = new HashMap<>();
        /** committed, not yet published: per state key, the latest state and its entries, in commit order */
        private final Map<String, Pending> pending = new LinkedHashMap<>();
        private final Set<String> pendingKeys = new HashSet<>();

        private record Pending(TrackedState state, List<Stored.OutboxEntry> entries) {
        }

        private Batch() {
        }

        /**
         * Applies the event and commits its changes; their events are published by {@link #publish()}.
         *
         * @return one outcome per linked project (none when no project uses the repository)
         */
        public List<Outcome> handle(RepoEvent event) {
            List<Outcome> outcomes = new ArrayList<>();
            switch (event) {
                case RepoEvent.OfRepository ofRepository -> {
                    for (ProjectLink project : linksOf(ofRepository.repository())) {
                        // a delivery without an installation (a plain repository webhook) forgets none
                        ProjectLink current = ofRepository.installation() == null ? project
                                : installedAs(project, ofRepository.installation());
                        outcomes.add(handleFor(current, ofRepository));
                    }
                }
                case RepoEvent.Installation installation -> {
                    for (String repository : installation.added()) {
                        for (ProjectLink project : linksOf(repository)) {
                            outcomes.add(installationOutcome(project, installedAs(project, installation.installation())));
                        }
                    }
                    for (String repository : installation.removed()) {
                        for (ProjectLink project : linksOf(repository)) {
                            boolean servedByIt = installation.installation().equals(project.installation());
                            outcomes.add(installationOutcome(project,
                                    servedByIt ? installedAs(project, null) : project));
                        }
                    }
                }
            }
            return outcomes;
        }

        private List<ProjectLink> linksOf(String repository) {
            return linksByRepository.computeIfAbsent(RepoEvent.repositoryKey(repository), store::projectsOf);
        }

        /** The project served by {@code installation} (null: none), recorded when that is news. */
        private ProjectLink installedAs(ProjectLink project, InstallationId installation) {
            if (java.util.Objects.equals(installation, project.installation())) {
                return project;
            }
            projects.setInstallation(project, installation);
            ProjectLink updated = project.withInstallation(installation);
            linksByRepository.computeIfPresent(RepoEvent.repositoryKey(project.repository()), (repo, links) -> links.stream()
                    .map(link -> link.projectId().equals(project.projectId()) ? updated : link).toList());
            return updated;
        }

        private Outcome installationOutcome(ProjectLink before, ProjectLink after) {
            boolean changed = !java.util.Objects.equals(before.installation(), after.installation());
            return new Outcome(before.projectId(), changed, changed
                    ? "GitHub App installation " + (after.installation() == null ? "removed" : after.installation())
                    : "GitHub App installation unchanged", List.of());
        }

        /**
         * Publishes the events committed by this batch, oldest first, and removes them from their
         * states' outboxes. If this throws, the events are still in the outboxes: the messages of the
         * batch must be retried, and their redelivery publishes them.
         */
        public void publish() {
            List<Stored.OutboxEntry> entries = pending.values().stream().flatMap(p -> p.entries().stream()).toList();
            if (!entries.isEmpty()) {
                publisher.publish(entries.stream().map(Stored.OutboxEntry::event).toList());
                for (Pending published : pending.values()) {
                    store.removeFromOutbox(published.state(), published.entries());
                }
            }
            pending.clear();
            pendingKeys.clear();
            committed.clear();
        }

        private Outcome handleFor(ProjectLink project, RepoEvent.OfRepository event) {
            for (int attempt = 1; ; attempt++) {
                Evaluated evaluated = evaluate(project, event, event.deliveryId());
                if (evaluated.stored().isPresent() && evaluated.stored().get().changedBy(event.deliveryId())) {
                    return new Outcome(project.projectId(), false, "duplicate delivery " + event.deliveryId(), List.of());
                }
                // decided only now: a duplicate asks nobody's permission
                Verdict verdict = evaluated.verdict().get();
                if (!(verdict.decision() instanceof Decision.Changed changed)) {
                    answer(project, event, verdict.reaction());
                    return new Outcome(project.projectId(), false, verdict.decision().reason(), List.of());
                }
                long expected = evaluated.stored().map(Stored::version).orElse(0L);
                List<Stored.OutboxEntry> entries = Stored.OutboxEntry.of(event.deliveryId(), changed.events(), clock.instant());
                List<String> recent = Stored.recentDeliveriesAfter(evaluated.stored(), event.deliveryId());
                String key = key(changed.next());
                try {
                    store.commit(changed.next(), expected, entries, recent);
                } catch (DeploymentStateStore.ConcurrentUpdateException lostRace) {
                    committed.remove(key);
                    if (attempt >= MAX_ATTEMPTS) {
                        throw lostRace;
                    }
                    backOff(attempt);
                    continue;
                }
                List<Stored.OutboxEntry> outbox = new ArrayList<>(evaluated.stored().map(Stored::outbox).orElse(List.of()));
                outbox.addAll(entries);
                committed.put(key, new Stored<>(changed.next(), expected + 1, outbox, recent));
                if (!entries.isEmpty()) {
                    Pending before = pending.remove(key);
                    List<Stored.OutboxEntry> all = new ArrayList<>(before == null ? List.of() : before.entries());
                    all.addAll(entries);
                    pending.put(key, new Pending(changed.next(), all));
                    entries.forEach(entry -> pendingKeys.add(entry.key()));
                }
                answer(project, event, verdict.reaction());
                return new Outcome(project.projectId(), true, changed.reason(), changed.events());
            }
        }

        /** The state (entries abandoned in its outbox published first) and the decision made against it. */
        private Evaluated evaluate(ProjectLink project, RepoEvent.OfRepository event, String deliveryId) {
            return switch (event) {
                case RepoEvent.PullRequest pr -> {
                    Optional<Stored<Preview>> stored = known(previewKey(project.projectId(), pr),
                            () -> store.preview(project.projectId(), pr.number()), deliveryId);
                    yield new Evaluated(stored, () -> Verdict.of(PreviewPolicy.decide(stored.map(Stored::state), pr,
                            project.projectId(), project.buildSettings(), clock.instant())));
                }
                case RepoEvent.Push push -> {
                    Optional<Stored<ProductionBranch>> stored = known(productionKey(project.projectId()),
                            () -> store.productionBranch(project.projectId()), deliveryId);
                    yield new Evaluated(stored, () -> Verdict.of(ProductionPushPolicy.decide(stored.map(Stored::state), push,
                            project.projectId(), project.productionBranch(), project.buildSettings(), clock.instant())));
                }
                case RepoEvent.Approval approval -> {
                    Optional<Stored<Preview>> stored = known(previewKey(project.projectId(), approval.number().value()),
                            () -> store.preview(project.projectId(), approval.number()), deliveryId);
                    yield new Evaluated(stored, () -> Verdict.of(PreviewPolicy.approve(stored.map(Stored::state), approval,
                            () -> permissionOf(project, approval, approval.login()), project.buildSettings(), clock.instant())));
                }
                case RepoEvent.PreviewCommand command -> {
                    Optional<Stored<Preview>> stored = known(previewKey(project.projectId(), command.number().value()),
                            () -> store.preview(project.projectId(), command.number()), deliveryId);
                    yield new Evaluated(stored, () -> {
                        PreviewCommandPolicy.Answer answer = PreviewCommandPolicy.decide(stored.map(Stored::state), command,
                                () -> permissionOf(project, command, command.login()));
                        return new Verdict(answer.decision(), answer.reaction());
                    });
                }
            };
        }

        /** The state as this batch committed it, else as stored; without the abandoned entries it published. */
        @SuppressWarnings("unchecked")
        private <T extends TrackedState> Optional<Stored<T>> known(String key, Supplier<Optional<Stored<T>>> read,
                                                                   String deliveryId) {
            Stored<? extends TrackedState> mine = committed.get(key);
            Optional<Stored<T>> stored = mine != null ? Optional.of((Stored<T>) mine) : read.get();
            return stored.map(s -> publishAbandoned(s, deliveryId));
        }

        /**
         * Publishes outbox entries whose writer failed: this delivery's own earlier attempt, or expired
         * ones; never entries this batch committed and has yet to publish.
         *
         * @return the state without the entries published
         */
        private <T extends TrackedState> Stored<T> publishAbandoned(Stored<T> stored, String deliveryId) {
            var expiredBefore = clock.instant().minus(OUTBOX_LEASE);
            List<Stored.OutboxEntry> abandoned = stored.outbox().stream()
                    .filter(entry -> !pendingKeys.contains(entry.key()))
                    .filter(entry -> entry.fromDelivery(deliveryId) || entry.createdAt().isBefore(expiredBefore))
                    .toList();
            if (abandoned.isEmpty()) {
                return stored;
            }
            publisher.publish(abandoned.stream().map(Stored.OutboxEntry::event).toList());
            store.removeFromOutbox(stored.state(), abandoned);
            List<Stored.OutboxEntry> remaining = stored.outbox().stream().filter(entry -> !abandoned.contains(entry)).toList();
            return new Stored<>(stored.state(), stored.version(), remaining, stored.recentDeliveries());
        }
    }

    /** What {@code login} may do in the repository, asked through the installation the delivery came through. */
    private RepositoryPermission permissionOf(ProjectLink project, RepoEvent.OfRepository event, String login) {
        InstallationId installation = installationOf(project, event);
        if (installation == null) {
            return RepositoryPermission.NONE; // without an installation nobody's permission can be checked
        }
        try {
            return permissions.permissionOf(installation, project.repository(), login);
        } catch (GitHubException e) {
            if (e.kind() == GitHubException.Kind.UNAVAILABLE) {
                throw e; // the message is retried
            }
            return RepositoryPermission.NONE;
        }
    }

    /**
     * Answers a {@code /preview} command on its comment. A reaction that fails is logged and never fails the
     * delivery: what was decided stands, and a retry would only answer it again.
     */
    private void answer(ProjectLink project, RepoEvent.OfRepository event, CommentReactions.Reaction reaction) {
        if (reaction == null || !(event instanceof RepoEvent.PreviewCommand command)) {
            return;
        }
        InstallationId installation = installationOf(project, event);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("deliveryId", event.deliveryId());
        fields.put("projectId", project.projectId().value());
        fields.put("commentId", command.commentId());
        fields.put("reaction", reaction.content());
        if (installation == null) {
            fields.put("error", "no GitHub App installation serves " + project.repository());
            JsonLog.warn("command not answered", fields);
            return;
        }
        try {
            reactions.react(installation, project.repository(), command.commentId(), reaction);
        } catch (RuntimeException e) {
            fields.put("error", String.valueOf(e.getMessage()));
            JsonLog.warn("command not answered", fields);
        }
    }

    /** The installation the delivery came through, else the one the project was last served by (null: none). */
    private static InstallationId installationOf(ProjectLink project, RepoEvent.OfRepository event) {
        return event.installation() != null ? event.installation() : project.installation();
    }

    /** The stored state (if any) and how to decide against it, asked only when the delivery is not a duplicate. */
    private record Evaluated(Optional<? extends Stored<? extends TrackedState>> stored, Supplier<Verdict> verdict) {
    }

    /** A policy's decision and the reaction it owes a command's comment (null: none). */
    private record Verdict(Decision decision, CommentReactions.Reaction reaction) {
        static Verdict of(Decision decision) {
            return new Verdict(decision, null);
        }
    }

    private static String key(TrackedState state) {
        return switch (state) {
            case Preview p -> previewKey(p.projectId(), p.pr().value());
            case ProductionBranch b -> productionKey(b.projectId());
        };
    }

    private static String previewKey(ProjectId project, RepoEvent.PullRequest pr) {
        return previewKey(project, pr.number().value());
    }

    private static String previewKey(ProjectId project, int pr) {
        return project.value() + "/preview/" + pr;
    }

    private static String productionKey(ProjectId project) {
        return project.value() + "/production";
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a lost race", e);
        }
    }
}
