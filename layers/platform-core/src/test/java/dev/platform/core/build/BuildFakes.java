package dev.platform.core.build;

import dev.platform.core.events.PlatformEvent;
import dev.platform.core.events.PlatformEvent.BuildTarget;
import dev.platform.core.github.app.CheckRun;
import dev.platform.core.github.app.CheckRuns;
import dev.platform.core.github.app.CommitArchives;
import dev.platform.core.github.app.GitHubException;
import dev.platform.core.ids.BuildId;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.ledger.InMemoryVersionedStore;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.orchestration.Projects;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** In-memory stand-ins for every port builds use, with the adapters' semantics, so the rules run in milliseconds. */
final class BuildFakes {
    static final ProjectId PROJECT = ProjectId.of("p1");
    static final String REPO = "octo/app";
    static final InstallationId INSTALLATION = InstallationId.of(42);

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

    final List<PlatformEvent> published = new ArrayList<>();
    final Builds builds = new Builds();
    final Targets targets = new Targets();
    final Archives archives = new Archives();
    final Sources sources = new Sources();
    final Builder builder = new Builder();
    final Registry registry = new Registry();
    final Checks checks = new Checks();
    ProjectLink project = new ProjectLink(PROJECT, "t1", REPO, "main", BuildSettings.DEFAULTS, INSTALLATION);

    final Projects projects = new Projects() {
        @Override
        public Optional<ProjectLink> project(ProjectId projectId) {
            return Optional.ofNullable(project).filter(p -> p.projectId().equals(projectId));
        }

        @Override
        public void setInstallation(ProjectLink link, InstallationId installation) {
            project = link.withInstallation(installation);
        }
    };

    LaunchBuild launcher() {
        return new LaunchBuild(projects, targets, builds, archives, sources, builder, registry,
                new BuildReports(checks, "https://logs.example/{taskId}"), published::addAll,
                new LaunchBuild.Settings(1024 * 1024, "cache-repo"), clock);
    }

    RecordBuildOutcome watcher() {
        return new RecordBuildOutcome(targets, builds, registry, new BuildReports(checks, "https://logs.example/{taskId}"),
                published::addAll, clock);
    }

    static CommitSha sha(char c) {
        return CommitSha.of(String.valueOf(c).repeat(40));
    }

    /** Build records with the DynamoDB adapter's semantics. */
    static final class Builds extends InMemoryVersionedStore<BuildId, Build> implements BuildStore {
        Builds() {
            super(Build::buildId);
        }
    }

    /** Previews and production as the orchestrator keeps them, reduced to what builds read and mark. */
    static final class Targets implements BuildTargets {
        record Target(CommitSha head, boolean deleted, BuildId buildId, String status, String reason) {
        }

        final Map<String, Target> byKey = new HashMap<>();

        static String key(BuildTarget target, PrNumber pr) {
            return target == BuildTarget.PREVIEW ? "preview#" + pr : "production";
        }

        void at(BuildTarget target, PrNumber pr, CommitSha head) {
            Target current = byKey.get(key(target, pr));
            byKey.put(key(target, pr), new Target(head, false, current == null ? null : current.buildId(), "pending", null));
        }

        void close(PrNumber pr) {
            Target current = byKey.get(key(BuildTarget.PREVIEW, pr));
            byKey.put(key(BuildTarget.PREVIEW, pr), new Target(current.head(), true, current.buildId(), "deleted", null));
        }

        Target get(BuildTarget target, PrNumber pr) {
            return byKey.get(key(target, pr));
        }

        @Override
        public Optional<TargetState> target(ProjectId projectId, BuildTarget target, PrNumber pr) {
            return Optional.ofNullable(byKey.get(key(target, pr))).map(t -> new TargetState(t.head(), t.deleted(), t.buildId()));
        }

        @Override
        public boolean building(ProjectId projectId, BuildTarget target, PrNumber pr, CommitSha commit, BuildId buildId) {
            Target current = byKey.get(key(target, pr));
            if (current == null || current.deleted() || !current.head().equals(commit)) {
                return false;
            }
            byKey.put(key(target, pr), new Target(current.head(), false, buildId, "building", null));
            return true;
        }

        @Override
        public void buildEnded(ProjectId projectId, BuildTarget target, PrNumber pr, BuildId buildId, boolean succeeded,
                               String reason) {
            Target current = byKey.get(key(target, pr));
            if (current != null && buildId.equals(current.buildId()) && !current.deleted()) {
                byKey.put(key(target, pr), new Target(current.head(), false, buildId, succeeded ? "built" : "failed", reason));
            }
        }
    }

    /** GitHub's tarballs: a few bytes per commit, or a scripted failure. */
    static final class Archives implements CommitArchives {
        int downloads;
        GitHubException failure;
        byte[] content = tarGz("octo-app-1a2b3c4", 10);

        /** A gzipped tar of one directory holding a file of {@code size} bytes, as GitHub's tarballs are laid out. */
        static byte[] tarGz(String root, int size) {
            try {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
                    gzip.write(header(root + "/", 0, '5'));
                    gzip.write(header(root + "/Dockerfile", size, '0'));
                    gzip.write(new byte[(size + 511) / 512 * 512]);
                    gzip.write(new byte[1024]);
                }
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static byte[] header(String name, int size, char type) {
            byte[] header = new byte[512];
            byte[] nameBytes = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
            byte[] sizeBytes = String.format("%011o", size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(sizeBytes, 0, header, 124, sizeBytes.length);
            header[156] = (byte) type;
            return header;
        }

        @Override
        public <T> T withTarball(InstallationId installation, String repository, CommitSha commit, ArchiveReader<T> reader)
                throws IOException {
            downloads++;
            if (failure != null) {
                throw failure;
            }
            try (InputStream in = new ByteArrayInputStream(content)) {
                return reader.read(in);
            }
        }
    }

    static final class Sources implements SourceStore {
        final Map<String, byte[]> objects = new HashMap<>();

        @Override
        public long put(String key, InputStream content, long maxBytes) throws IOException {
            byte[] bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new TooLargeException("over " + maxBytes);
            }
            objects.put(key, bytes);
            return bytes.length;
        }

        @Override
        public String locationOf(String key) {
            return "s3://sources/" + key;
        }
    }

    /** ECS: one task per client token, as RunTask's idempotency gives. */
    static final class Builder implements BuilderTasks {
        final Map<String, String> taskByToken = new LinkedHashMap<>();
        final List<BuilderTask> started = new ArrayList<>();
        final List<String> stopped = new ArrayList<>();
        /** The next start creates its task, then fails as if the answer were lost. */
        boolean failAfterStart;

        @Override
        public String start(BuilderTask task) {
            String taskId = taskByToken.computeIfAbsent(task.clientToken(), token -> {
                started.add(task);
                return "arn:aws:ecs:us-east-1:1:task/builds/t" + started.size();
            });
            if (failAfterStart) {
                failAfterStart = false;
                throw new IllegalStateException("RunTask's answer was lost");
            }
            return taskId;
        }

        @Override
        public void stop(String taskId, String reason) {
            stopped.add(taskId);
        }

        /** The task of the n-th start (from 1). */
        String task(int n) {
            return "arn:aws:ecs:us-east-1:1:task/builds/t" + n;
        }
    }

    static final class Registry implements ImageRegistry {
        final Map<String, String> pushed = new HashMap<>();

        @Override
        public String repositoryUri() {
            return "1.dkr.ecr.us-east-1.amazonaws.com/platform";
        }

        @Override
        public Optional<String> imageByTag(String tag) {
            return Optional.ofNullable(pushed.get(tag)).map(digest -> repositoryUri() + "@" + digest);
        }

        void push(Build build) {
            pushed.put(build.imageTag(), "sha256:" + "d".repeat(64));
        }
    }

    static final class Checks implements CheckRuns {
        record Call(String verb, long id, CommitSha head, CheckRun run) {
        }

        final List<Call> calls = new ArrayList<>();
        RuntimeException failure;

        @Override
        public long create(InstallationId installation, String repository, CommitSha head, CheckRun run) {
            if (failure != null) {
                throw failure;
            }
            long id = calls.stream().filter(c -> c.verb().equals("create")).count() + 1;
            calls.add(new Call("create", id, head, run));
            return id;
        }

        @Override
        public void update(InstallationId installation, String repository, long checkRunId, CheckRun run) {
            if (failure != null) {
                throw failure;
            }
            calls.add(new Call("update", checkRunId, null, run));
        }

        /** The last state reported for check run {@code id}. */
        CheckRun last(long id) {
            CheckRun last = null;
            for (Call call : calls) {
                if (call.id() == id) {
                    last = call.run();
                }
            }
            return Objects.requireNonNull(last, "no check run " + id);
        }
    }
}
