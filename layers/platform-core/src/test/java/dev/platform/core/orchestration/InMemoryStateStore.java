package dev.platform.core.orchestration;

import dev.platform.core.github.app.CommentReactions;
import dev.platform.core.github.app.GitHubException;
import dev.platform.core.github.app.RepositoryPermission;
import dev.platform.core.github.app.RepositoryPermissions;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.preview.Preview;
import dev.platform.core.preview.ProductionBranch;
import dev.platform.core.preview.TrackedState;
import dev.platform.core.repoevent.RepoEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state store port in memory, with the adapter's semantics (version check, outbox entries added
 * and removed by key, recent deliveries replaced), so the orchestration's rules are tested in
 * milliseconds. DynamoDB Local stays for the adapter's own tests.
 */
final class InMemoryStateStore implements DeploymentStateStore, Projects, RepositoryPermissions, CommentReactions {
    private final Map<String, List<ProjectLink>> linksByRepository = new HashMap<>();
    private final Map<String, Stored<? extends TrackedState>> states = new HashMap<>();
    /** Runs before each commit, for tests that let another writer win a race. */
    volatile Runnable beforeCommit = () -> { };
    int commits;
    int reads;
    int linkQueries;
    int outboxRemovals;

    void link(ProjectLink project) {
        linksByRepository.computeIfAbsent(RepoEvent.repositoryKey(project.repository()), r -> new ArrayList<>()).add(project);
    }

    @Override
    public synchronized List<ProjectLink> projectsOf(String repository) {
        linkQueries++;
        return List.copyOf(linksByRepository.getOrDefault(repository, List.of()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized Optional<Stored<Preview>> preview(ProjectId projectId, PrNumber pr) {
        reads++;
        return Optional.ofNullable((Stored<Preview>) states.get(projectId + "/preview/" + pr));
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized Optional<Stored<ProductionBranch>> productionBranch(ProjectId projectId) {
        reads++;
        return Optional.ofNullable((Stored<ProductionBranch>) states.get(projectId + "/production"));
    }

    @Override
    public void commit(TrackedState next, long expectedVersion, List<Stored.OutboxEntry> events, List<String> recentDeliveries) {
        beforeCommit.run();
        synchronized (this) {
            commits++;
            Stored<? extends TrackedState> current = states.get(key(next));
            long version = current == null ? 0 : current.version();
            if (version != expectedVersion) {
                throw new ConcurrentUpdateException(key(next) + " changed since version " + expectedVersion);
            }
            Map<String, Stored.OutboxEntry> outbox = new LinkedHashMap<>();
            if (current != null) {
                current.outbox().forEach(entry -> outbox.put(entry.key(), entry));
            }
            events.forEach(entry -> outbox.put(entry.key(), entry));
            states.put(key(next), new Stored<>(next, version + 1, List.copyOf(outbox.values()), recentDeliveries));
        }
    }

    @Override
    public synchronized void removeFromOutbox(TrackedState state, List<Stored.OutboxEntry> published) {
        outboxRemovals++;
        Stored<? extends TrackedState> current = states.get(key(state));
        if (current == null) {
            return;
        }
        List<String> keys = published.stream().map(Stored.OutboxEntry::key).toList();
        states.put(key(state), new Stored<>(current.state(), current.version(),
                current.outbox().stream().filter(entry -> !keys.contains(entry.key())).toList(), current.recentDeliveries()));
    }

    /** What {@link #permissionOf} answers for every user. */
    volatile RepositoryPermission permission = RepositoryPermission.WRITE;
    final List<String> permissionChecks = new ArrayList<>();

    @Override
    public synchronized Optional<ProjectLink> project(ProjectId projectId) {
        return linksByRepository.values().stream().flatMap(List::stream).filter(l -> l.projectId().equals(projectId)).findFirst();
    }

    @Override
    public synchronized void setInstallation(ProjectLink project, InstallationId installation) {
        linksByRepository.replaceAll((repo, links) -> links.stream()
                .map(l -> l.projectId().equals(project.projectId()) ? l.withInstallation(installation) : l).toList());
    }

    @Override
    public synchronized RepositoryPermission permissionOf(InstallationId installation, String repository, String login) {
        permissionChecks.add(login);
        return permission;
    }

    /** Reactions made, as {@code <commentId> <content>}, in order. */
    final List<String> reactions = new ArrayList<>();
    /** Whether {@link #react} fails as GitHub would when it is down. */
    volatile boolean reactionsFail;

    @Override
    public synchronized void react(InstallationId installation, String repository, long commentId, Reaction reaction) {
        if (reactionsFail) {
            throw new GitHubException(GitHubException.Kind.UNAVAILABLE, 503, "GitHub POST /reactions: 503");
        }
        reactions.add(commentId + " " + reaction.content());
    }

    /** Puts a state as it would be stored, outbox included (a writer that died after its commit). */
    synchronized void put(Stored<? extends TrackedState> stored) {
        states.put(key(stored.state()), stored);
    }

    private static String key(TrackedState state) {
        return switch (state) {
            case Preview p -> p.projectId() + "/preview/" + p.pr();
            case ProductionBranch b -> b.projectId() + "/production";
        };
    }
}
