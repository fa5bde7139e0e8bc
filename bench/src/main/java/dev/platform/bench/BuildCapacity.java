package dev.platform.bench;

import dev.platform.aws.dynamodb.*;
import dev.platform.core.build.*;
import dev.platform.core.events.PlatformEvent;
import dev.platform.core.github.app.*;
import dev.platform.core.ids.*;
import dev.platform.core.orchestration.OrchestrateRepoEvent;
import java.io.*;
import java.time.Clock;
import java.util.*;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB capacity of one build, BuildRequested → BuildSucceeded: the launcher and the watcher on the real DynamoDB adapters. */
final class BuildCapacity {
    private static final String TABLE = "build-capacity";
    private static final int BUILDS = 20;

    record Usage(CapacityMeter.Usage launcher, CapacityMeter.Usage watcher) {
    }

    static Usage measure(Services services) throws Exception {
        Bench.progress("warm: DynamoDB capacity per build");
        services.createSeededTable(TABLE);
        CapacityMeter meter = new CapacityMeter();
        DynamoDbClient metered = services.dynamoDb(meter);
        List<PlatformEvent> published = new ArrayList<>();
        OrchestrateRepoEvent orchestrate = Services.orchestrate(metered, TABLE, published::addAll);
        InMemory aws = new InMemory(tarball("Codertocat-Hello-World-0000000/"));
        DynamoDeploymentStateStore targets = new DynamoDeploymentStateStore(metered, TABLE);
        DynamoBuildStore builds = new DynamoBuildStore(metered, TABLE);
        BuildReports reports = new BuildReports(aws, null);
        LaunchBuild launcher = new LaunchBuild(new ProjectRegistry(metered, TABLE), targets, builds, aws, aws, aws, aws, reports, published::addAll,
                new LaunchBuild.Settings(500L << 20, aws.repositoryUri() + "-cache"), Clock.systemUTC());
        RecordBuildOutcome watcher = new RecordBuildOutcome(targets, builds, aws, reports, published::addAll, Clock.systemUTC());
        Usage first = null;
        for (int pr = 1; pr <= BUILDS; pr++) {
            published.clear();
            orchestrate.handle(WarmPath.sequence(20_000 + pr).getFirst());
            PlatformEvent.BuildRequested requested = only(published, PlatformEvent.BuildRequested.class, pr);
            meter.take(); // the orchestrator's share is the ddb.opened row
            launcher.handle(requested);
            CapacityMeter.Usage launch = meter.take();
            BuilderTask task = aws.started.getLast();
            watcher.handle(new BuilderTaskStopped(taskArn(task), task.buildId(), task.attempt(), 0, "EssentialContainerExited",
                    "Essential container in task exited", null));
            Usage usage = new Usage(launch, meter.take());
            only(published, PlatformEvent.BuildSucceeded.class, pr);
            if (first != null && !first.equals(usage)) {
                throw new IllegalStateException("build " + pr + " consumed " + usage + ", the first " + first);
            }
            first = usage;
        }
        services.dynamoDb.deleteTable(q -> q.tableName(TABLE));
        return first;
    }

    private static <E extends PlatformEvent> E only(List<PlatformEvent> published, Class<E> type, int pr) {
        List<E> events = published.stream().filter(type::isInstance).map(type::cast).toList();
        if (events.size() != 1) {
            throw new IllegalStateException("build " + pr + " published " + published + ", not one " + type.getSimpleName());
        }
        return events.getFirst();
    }

    private static String taskArn(BuilderTask task) {
        return "arn:aws:ecs:us-east-1:000000000000:task/platform/" + task.buildId().value() + "-" + task.attempt();
    }

    /** A gzipped tar holding one directory, as GitHub's tarballs start (the launcher reads the top directory's name). */
    private static byte[] tarball(String directory) throws Exception {
        byte[] tar = new byte[3 * 512]; // one header block, then the two empty blocks that end an archive
        System.arraycopy(directory.getBytes(), 0, tar, 0, directory.length());
        tar[156] = '5';
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(tar);
        }
        return gzipped.toByteArray();
    }

    /** GitHub (check runs, the commit's tarball), S3, ECS and ECR answered in memory: they spend no DynamoDB capacity. */
    private record InMemory(byte[] tarball, AtomicLong checkRuns, List<BuilderTask> started)
            implements CheckRuns, CommitArchives, SourceStore, BuilderTasks, ImageRegistry {
        InMemory(byte[] tarball) {
            this(tarball, new AtomicLong(), new ArrayList<>());
        }

        @Override public long create(InstallationId i, String repository, CommitSha head, CheckRun run) { return checkRuns.incrementAndGet(); }
        @Override public void update(InstallationId i, String repository, long checkRunId, CheckRun run) { }
        @Override public <T> T withTarball(InstallationId i, String repository, CommitSha commit, ArchiveReader<T> reader) throws IOException {
            return reader.read(new ByteArrayInputStream(tarball));
        }
        @Override public long put(String key, InputStream content, long maxBytes) throws IOException {
            return content.transferTo(OutputStream.nullOutputStream());
        }
        @Override public String locationOf(String key) { return "s3://bench/" + key; }
        @Override public String start(BuilderTask task) {
            started.add(task);
            return taskArn(task);
        }
        @Override public void stop(String taskId, String reason) { }
        @Override public String repositoryUri() { return "000000000000.dkr.ecr.us-east-1.amazonaws.com/platform"; }
        @Override public Optional<String> imageByTag(String tag) { return Optional.of(repositoryUri() + "@sha256:" + "0".repeat(64)); }
    }
}
