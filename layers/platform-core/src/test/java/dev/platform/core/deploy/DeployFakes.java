package dev.platform.core.deploy;

import dev.platform.core.build.BuildSettings;
import dev.platform.core.build.BuildTargets;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEvent.BuildSucceeded;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.ids.BuildId;
import dev.platform.core.github.app.PullRequestFeedback;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.ledger.InMemoryVersionedStore;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.preview.PreviewStatus;
import dev.platform.core.sleep.ControlPreview;
import dev.platform.core.sleep.InboundTraffic;
import dev.platform.core.sleep.PreviewIndex;
import dev.platform.core.sleep.SleepPolicy;
import dev.platform.core.sleep.SleepPreview;
import dev.platform.core.sleep.SweepPreviews;
import dev.platform.core.sleep.WakeOnRequest;
import dev.platform.core.sleep.WakePreview;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory ports with the AWS adapters' semantics, for the deploy operations' tests. */
final class DeployFakes {
    static final ProjectId PROJECT = ProjectId.of("hello-world");
    static final PrNumber PR = PrNumber.of(2);

    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    final List<PlatformEvent> published = Collections.synchronizedList(new ArrayList<>());
    final Environments environments = new Environments();
    final Records records = new Records();
    final Slots slots = new Slots(3, 5);
    final Containers containers = new Containers();
    final Rules routing = new Rules();
    final Targets targets = new Targets();
    final GitHub gitHub = new GitHub();
    final EnvironmentHosts hosts = new EnvironmentHosts("preview.localhost", "http://{host}:8080");
    SleepPolicy policy = SleepPolicy.DEFAULTS;
    final Index index = new Index(environments);
    /** The load balancers' last request per preview target group, as CloudWatch would answer. */
    final Map<String, Instant> traffic = Collections.synchronizedMap(new HashMap<>());
    final List<String> reactions = Collections.synchronizedList(new ArrayList<>());
    static final List<String> WAKERS = List.of("arn:targetgroup/waker-0", "arn:targetgroup/waker-1", "arn:targetgroup/waker-2");
    final Projects projects = new Projects() {
        @Override
        public Optional<ProjectLink> project(ProjectId projectId) {
            return Optional.of(new ProjectLink(projectId, "t1", "octo/app", "main", BuildSettings.DEFAULTS,
                    InstallationId.of(42))).filter(p -> p.projectId().equals(PROJECT));
        }

        @Override
        public void setInstallation(ProjectLink project, InstallationId installation) {
        }
    };

    DeployBuild deployer() {
        return deployer(slots);
    }

    DeployBuild deployer(ShardSlots shardSlots) {
        return new DeployBuild(projects, targets, targets, environments, records, shardSlots, containers, routing, hosts,
                policy, reports(), published::addAll, clock);
    }

    RecordDeploymentOutcome watcher() {
        return new RecordDeploymentOutcome(projects, targets, environments, records, containers, routing, hosts,
                reports(), published::addAll, clock);
    }

    TearDownPreview teardown() {
        return new TearDownPreview(projects, targets, targets, environments, slots, containers, routing, reports(),
                published::addAll, clock);
    }

    SleepPreview sleeper() {
        return new SleepPreview(projects, environments, index, containers, routing, WAKERS, targets, reports(), hosts,
                policy, published::addAll, clock);
    }

    WakePreview waker() {
        return new WakePreview(environments, containers, targets, published::addAll, clock);
    }

    WakeOnRequest onRequest() {
        return new WakeOnRequest(index, environments, waker());
    }

    SweepPreviews sweeper() {
        InboundTraffic inbound = (sources, since, until) -> {
            Map<InboundTraffic.Source, Instant> seen = new HashMap<>();
            for (InboundTraffic.Source source : sources) {
                Instant last = traffic.get(source.targetGroupArn());
                if (last != null && !last.isBefore(since) && last.isBefore(until)) {
                    seen.put(source, last);
                }
            }
            return seen;
        };
        return new SweepPreviews(projects, environments, index, inbound, sleeper(), teardown(), targets, reports(), hosts,
                published::addAll, clock);
    }

    ControlPreview control() {
        return new ControlPreview(projects, environments, sleeper(), waker(), promoter(),
                (installation, repository, commentId, reaction) -> reactions.add(commentId + " " + reaction.content()),
                reports(), hosts, published::addAll, clock);
    }

    DeployReports reports() {
        return new DeployReports(gitHub, clock, "https://logs.example/{serviceName}");
    }

    PromoteDeployment promoter() {
        return new PromoteDeployment(environments, records, containers, published::addAll, clock);
    }

    static CommitSha sha(char c) {
        return CommitSha.of(String.valueOf(c).repeat(40));
    }

    static BuildSucceeded built(PrNumber pr, CommitSha commit) {
        BuildId build = BuildId.of(PROJECT, commit, BuildSettings.DEFAULTS);
        return new BuildSucceeded(PROJECT, pr == null ? BuildTarget.PRODUCTION : BuildTarget.PREVIEW, pr, commit, build,
                "000000000000.dkr.ecr.us-east-1.amazonaws.com/apps@sha256:" + commit.value() + "0".repeat(24),
                "r-" + commit.value().substring(0, 24));
    }

    <T extends PlatformEvent> List<T> published(Class<T> type) {
        synchronized (published) {
            return published.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** The sparse indexes, derived from the environments as stored; calls counted. */
    static final class Index implements PreviewIndex {
        private final Environments environments;
        final AtomicInteger calls = new AtomicInteger();

        Index(Environments environments) {
            this.environments = environments;
        }

        private List<Environment> previews() {
            calls.incrementAndGet();
            synchronized (environments) {
                return environments.stored.values().stream().map(s -> s.state()).filter(e -> e.ref().preview()).toList();
            }
        }

        @Override
        public List<EnvironmentRef> running() {
            return previews().stream().filter(e -> !e.retired() && e.status().running()).map(Environment::ref).toList();
        }

        @Override
        public List<EnvironmentRef> running(ProjectId projectId) {
            return previews().stream().filter(e -> e.ref().projectId().equals(projectId) && !e.retired() && e.status().running())
                    .sorted(Comparator.comparing((Environment e) -> e.lastRequestAt() == null ? e.createdAt() : e.lastRequestAt()))
                    .map(Environment::ref).toList();
        }

        @Override
        public List<EnvironmentRef> expiryDue(Instant now) {
            return previews().stream().filter(e -> !e.retired() && e.expiry() != null && !e.expiry().dueAt().isAfter(now))
                    .map(Environment::ref).toList();
        }

        @Override
        public Optional<EnvironmentRef> atHost(String host) {
            return previews().stream().filter(e -> host.equals(e.host())).map(Environment::ref).findFirst();
        }
    }

    /** Environments with the DynamoDB adapter's semantics. */
    static final class Environments extends InMemoryVersionedStore<EnvironmentRef, Environment> implements EnvironmentStore {
        Environments() {
            super(Environment::ref);
        }

        Environment get(EnvironmentRef ref) {
            return state(ref);
        }
    }

    static final class Records implements DeploymentRecords {
        final Map<String, Deployment> byId = new TreeMap<>();

        @Override
        public synchronized void put(Deployment deployment) {
            byId.put(deployment.deploymentId(), deployment);
        }

        @Override
        public synchronized Optional<Deployment> deployment(ProjectId projectId, String deploymentId) {
            return Optional.ofNullable(byId.get(deploymentId)).filter(d -> d.environment().projectId().equals(projectId));
        }

        @Override
        public synchronized List<Deployment> deployments(ProjectId projectId, int limit) {
            return byId.values().stream().filter(d -> d.environment().projectId().equals(projectId))
                    .sorted(Comparator.comparing(Deployment::deploymentId).reversed()).limit(limit).toList();
        }
    }

    /** Shards of a fixed capacity; a claim is atomic per shard, as the conditional write makes it. */
    static final class Slots implements ShardSlots {
        final int shards;
        final int capacity;
        final Map<Integer, Map<Integer, EnvironmentRef>> held = new HashMap<>();

        Slots(int shards, int capacity) {
            this.shards = shards;
            this.capacity = capacity;
        }

        @Override
        public synchronized Optional<Slot> claim(EnvironmentRef environment) {
            List<Integer> order = environment.preview() ? java.util.stream.IntStream.range(0, shards).boxed().toList()
                    : List.of(Slot.PRODUCTION);
            for (int shard : order) {
                Map<Integer, EnvironmentRef> slots = held.computeIfAbsent(shard, s -> new TreeMap<>());
                for (var entry : slots.entrySet()) {
                    if (entry.getValue().equals(environment)) {
                        return Optional.of(new Slot(shard, entry.getKey()));
                    }
                }
                if (slots.size() < capacity) {
                    for (int priority = 1; ; priority++) {
                        if (!slots.containsKey(priority)) {
                            slots.put(priority, environment);
                            return Optional.of(new Slot(shard, priority));
                        }
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public synchronized void release(EnvironmentRef environment, Slot slot) {
            Map<Integer, EnvironmentRef> slots = held.get(slot.shard());
            if (slots != null && environment.equals(slots.get(slot.priority()))) {
                slots.remove(slot.priority());
            }
        }

        synchronized int held() {
            return held.values().stream().mapToInt(Map::size).sum();
        }
    }

    /** ECS: task definitions by family and revision, services with their task definition; calls counted. */
    static final class Containers implements ContainerServices {
        final Map<String, TaskDefinitionSpec> taskDefinitions = new LinkedHashMap<>();
        final Map<String, String> services = new LinkedHashMap<>();
        final Map<String, Integer> desired = new LinkedHashMap<>();
        final Map<String, Map<String, String>> serviceTags = new LinkedHashMap<>();
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger ecsDeployments = new AtomicInteger();
        String failNext;

        @Override
        public synchronized String registerTaskDefinition(TaskDefinitionSpec spec) {
            fail("register");
            calls.add("register " + spec.family());
            long revision = taskDefinitions.keySet().stream().filter(a -> a.contains(":task-definition/" + spec.family() + ":")).count() + 1;
            String arn = "arn:aws:ecs:us-east-1:0:task-definition/" + spec.family() + ":" + revision;
            taskDefinitions.put(arn, spec);
            return arn;
        }

        @Override
        public synchronized void deregisterTaskDefinition(String taskDefinitionArn) {
            fail("deregister");
            calls.add("deregister " + taskDefinitionArn);
            taskDefinitions.remove(taskDefinitionArn);
        }

        @Override
        public synchronized List<String> taskDefinitions(String family) {
            return taskDefinitions.keySet().stream().filter(a -> a.contains(":task-definition/" + family + ":")).toList();
        }

        @Override
        public synchronized String deploy(ServiceSpec spec) {
            fail("deploy");
            calls.add((services.containsKey(spec.serviceName()) ? "update " : "create ") + spec.serviceName());
            services.put(spec.serviceName(), spec.taskDefinitionArn());
            serviceTags.put(spec.serviceName(), spec.tags());
            desired.put(spec.serviceName(), 1);
            return "ecs-svc/" + ecsDeployments.incrementAndGet();
        }

        @Override
        public synchronized String update(String serviceName, String taskDefinitionArn) {
            fail("update");
            if (!services.containsKey(serviceName)) {
                throw new IllegalStateException("no service " + serviceName);
            }
            calls.add("update " + serviceName);
            services.put(serviceName, taskDefinitionArn);
            return "ecs-svc/" + ecsDeployments.incrementAndGet();
        }

        @Override
        public synchronized void scale(String serviceName, int desiredCount) {
            fail("scale");
            if (!services.containsKey(serviceName)) {
                throw new IllegalStateException("no service " + serviceName);
            }
            calls.add("scale " + serviceName + " " + desiredCount);
            desired.put(serviceName, desiredCount);
        }

        @Override
        public synchronized String wake(String serviceName) {
            fail("wake");
            if (!services.containsKey(serviceName)) {
                throw new IllegalStateException("no service " + serviceName);
            }
            calls.add("wake " + serviceName);
            desired.put(serviceName, 1);
            return "ecs-svc/" + ecsDeployments.incrementAndGet();
        }

        synchronized int desired(String serviceName) {
            return desired.getOrDefault(serviceName, 0);
        }

        synchronized long count(String call) {
            return calls.stream().filter(c -> c.startsWith(call)).count();
        }

        @Override
        public synchronized void delete(String serviceName) {
            fail("delete");
            calls.add("delete " + serviceName);
            services.remove(serviceName);
            desired.remove(serviceName);
            serviceTags.remove(serviceName);
        }

        @Override
        public synchronized List<TaggedResource> services() {
            return services.keySet().stream()
                    .map(name -> new TaggedResource("arn:service/" + name, name, serviceTags.get(name), null)).toList();
        }

        /** A crash injected into the next call of that kind. */
        private void fail(String call) {
            if (call.equals(failNext)) {
                failNext = null;
                throw new IllegalStateException("injected failure in " + call);
            }
        }
    }

    /** ELB: target groups by name, rules by listener and priority (a taken priority is refused). */
    static final class Rules implements Routing {
        record Rule(String arn, int shard, int priority, String host, String targetGroup, Map<String, String> tags) {
        }

        final Map<String, TaggedResource> targetGroups = new LinkedHashMap<>();
        final Map<String, Rule> rules = new LinkedHashMap<>();
        String failNext;

        @Override
        public synchronized String ensureTargetGroup(String name, int port, String healthCheckPath, Map<String, String> tags) {
            String arn = "arn:targetgroup/" + name;
            targetGroups.putIfAbsent(arn, new TaggedResource(arn, name, tags, null));
            return arn;
        }

        @Override
        public synchronized void deleteTargetGroup(String targetGroupArn) {
            if (rules.values().stream().anyMatch(r -> r.targetGroup().equals(targetGroupArn))) {
                throw new IllegalStateException("target group in use: " + targetGroupArn);
            }
            targetGroups.remove(targetGroupArn);
        }

        @Override
        public synchronized String ensureHostRule(int shard, int priority, String host, String targetGroupArn,
                                                  Map<String, String> tags) {
            for (Rule rule : rules.values()) {
                if (rule.shard() == shard && rule.host().equals(host)) {
                    rules.put(rule.arn(), new Rule(rule.arn(), shard, rule.priority(), host, targetGroupArn, rule.tags()));
                    return rule.arn();
                }
            }
            if (rules.values().stream().anyMatch(rule -> rule.shard() == shard && rule.priority() == priority)) {
                throw new IllegalStateException("priority " + priority + " is taken on shard " + shard);
            }
            String arn = "arn:listener-rule/" + shard + "/" + priority + "/" + host;
            rules.put(arn, new Rule(arn, shard, priority, host, targetGroupArn, tags));
            return arn;
        }

        @Override
        public synchronized void forward(String ruleArn, String targetGroupArn) {
            Rule rule = rules.get(ruleArn);
            rules.put(ruleArn, new Rule(ruleArn, rule.shard(), rule.priority(), rule.host(), targetGroupArn, rule.tags()));
        }

        @Override
        public synchronized void deleteRule(String ruleArn) {
            if ("deleteRule".equals(failNext)) {
                failNext = null;
                throw new IllegalStateException("injected failure in deleteRule");
            }
            rules.remove(ruleArn);
        }

        @Override
        public synchronized List<TaggedResource> targetGroups() {
            return List.copyOf(targetGroups.values());
        }

        @Override
        public synchronized List<TaggedResource> hostRules() {
            return rules.values().stream().map(r -> new TaggedResource(r.arn(), r.host(), r.tags(), null)).toList();
        }
    }

    /** Previews and production reduced to what deploys read and mark. */
    static final class Targets implements BuildTargets, DeployTargets {
        record Target(CommitSha head, boolean deleted, String status, String url, String reason) {
        }

        final Map<EnvironmentRef, Target> byRef = new HashMap<>();
        final Map<EnvironmentRef, Instant> lastRequests = new HashMap<>();

        synchronized void at(EnvironmentRef ref, CommitSha head) {
            Target current = byRef.get(ref);
            byRef.put(ref, new Target(head, false, "built", current == null ? null : current.url(), null));
        }

        synchronized void close(EnvironmentRef ref) {
            Target current = byRef.get(ref);
            byRef.put(ref, new Target(current.head(), true, "deleted", current.url(), null));
        }

        synchronized Target get(EnvironmentRef ref) {
            return byRef.get(ref);
        }

        @Override
        public synchronized Optional<TargetState> target(ProjectId projectId, BuildTarget target, PrNumber pr) {
            return Optional.ofNullable(byRef.get(new EnvironmentRef(projectId, target, pr)))
                    .map(t -> new TargetState(t.head(), t.deleted(), null));
        }

        @Override
        public boolean building(ProjectId projectId, BuildTarget target, PrNumber pr, CommitSha commit, BuildId buildId) {
            throw new UnsupportedOperationException("deploys do not build");
        }

        @Override
        public void buildEnded(ProjectId projectId, BuildTarget target, PrNumber pr, BuildId buildId, boolean succeeded,
                               String reason) {
            throw new UnsupportedOperationException("deploys do not build");
        }

        @Override
        public void deploying(EnvironmentRef environment, CommitSha commit) {
            mark(environment, commit, "deploying", null, null);
        }

        @Override
        public void deployed(EnvironmentRef environment, CommitSha commit, String url) {
            mark(environment, commit, "active", url, null);
        }

        @Override
        public void deployFailed(EnvironmentRef environment, CommitSha commit, String reason) {
            mark(environment, commit, "failed", null, reason);
        }

        @Override
        public void standing(EnvironmentRef environment, CommitSha commit, PreviewStatus status) {
            mark(environment, commit, status.wireName(), null, null);
        }

        @Override
        public synchronized void requested(EnvironmentRef environment, Instant lastRequestAt) {
            lastRequests.merge(environment, lastRequestAt, (a, b) -> a.isAfter(b) ? a : b);
        }

        private synchronized void mark(EnvironmentRef ref, CommitSha commit, String status, String url, String reason) {
            Target current = byRef.get(ref);
            if (current != null && !current.deleted() && current.head().equals(commit)) {
                byRef.put(ref, new Target(commit, false, status, url == null ? current.url() : url, reason));
            }
        }
    }

    /** GitHub's deployments and pull request comments, as the platform's GitHub App sees them. */
    static final class GitHub implements PullRequestFeedback {
        record GitHubDeployment(long id, CommitSha commit, String environment, List<String> states) {
        }

        final List<GitHubDeployment> deployments = new ArrayList<>();
        final Map<Integer, String> comments = new LinkedHashMap<>();
        final List<String> logUrls = new ArrayList<>();
        int commentWrites;
        boolean down;

        @Override
        public synchronized long deployment(InstallationId installation, String repository, CommitSha commit,
                                            String environment) {
            failIfDown();
            for (GitHubDeployment d : deployments) {
                if (d.commit().equals(commit) && d.environment().equals(environment)) {
                    return d.id();
                }
            }
            deployments.add(new GitHubDeployment(deployments.size() + 1, commit, environment, new ArrayList<>()));
            return deployments.size();
        }

        @Override
        public synchronized void status(InstallationId installation, String repository, long deploymentId, State state,
                                        String environmentUrl, String logUrl, String description) {
            failIfDown();
            deployments.get((int) deploymentId - 1).states().add(state.wireName() + (environmentUrl == null ? "" : " " + environmentUrl));
            logUrls.add(logUrl);
        }

        @Override
        public synchronized OptionalLong latestDeployment(InstallationId installation, String repository, String environment) {
            failIfDown();
            return deployments.stream().filter(d -> d.environment().equals(environment)).mapToLong(GitHubDeployment::id).max();
        }

        @Override
        public synchronized void comment(InstallationId installation, String repository, PrNumber pr, String marker,
                                         String body) {
            failIfDown();
            if (!body.contains(marker)) {
                throw new IllegalArgumentException("the comment's body must carry its marker");
            }
            comments.put(pr.value(), body);
            commentWrites++;
        }

        private void failIfDown() {
            if (down) {
                throw new IllegalStateException("GitHub is down");
            }
        }
    }
}
