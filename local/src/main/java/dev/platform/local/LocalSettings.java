package dev.platform.local;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The local runtime's settings, from environment variables (all optional), checked before anything
 * starts: a bad value is one clear line and exit code 2, never a stack trace.
 *
 * @param port {@code PORT}, default 8080 (0 picks a free port)
 * @param webhookSecret {@code GITHUB_WEBHOOK_SECRET}, default {@value #DEFAULT_WEBHOOK_SECRET}
 * @param dataDir {@code PLATFORM_DATA_DIR}, default {@code ./.platform}: holds events.jsonl and the lock
 * @param persistent true when {@code PLATFORM_DATA_DIR} was set: DynamoDB data is then kept there
 *     across restarts; otherwise the table lives in memory
 * @param demoRepository {@code PLATFORM_DEMO_REPO}, default {@code Codertocat/Hello-World}
 * @param demoBranch {@code PLATFORM_DEMO_BRANCH}, default {@code main}: the demo project's production branch
 * @param visibilityTimeoutSeconds {@code PLATFORM_QUEUE_VISIBILITY_SECONDS}, default 10: how soon a failed
 *     message is retried locally (deployed queues use 6 × the consumer's timeout)
 * @param bindAddress {@code PLATFORM_BIND_ADDRESS}, default {@code 127.0.0.1}: the interface the HTTP
 *     server, DynamoDB Local and ElasticMQ listen on
 * @param queuePollers {@code PLATFORM_QUEUE_POLLERS}, default 4: concurrent batches per queue-triggered
 *     function (Lambda runs several environments; per-group FIFO order holds)
 * @param buildSeconds {@code PLATFORM_LOCAL_BUILD_SECONDS}, default 3: how long a local builder task runs
 * @param failShaPrefixes {@code PLATFORM_LOCAL_FAIL_SHAS}: builds of commits starting with one of these fail
 *     (exit code 1), so the failure path can be shown
 * @param gitHubWriters {@code PLATFORM_LOCAL_GITHUB_WRITERS}: logins the local GitHub gives write permission on
 *     every repository (a repository's owner is its admin), e.g. to approve a fork's build
 * @param deploySeconds {@code PLATFORM_LOCAL_DEPLOY_SECONDS}, default 2: how long a local ECS service
 *     deployment rolls before it completes
 * @param failDeployShaPrefixes {@code PLATFORM_LOCAL_FAIL_DEPLOY_SHAS}: deployments of commits (or images)
 *     starting with one of these fail and roll back, as ECS's circuit breaker does
 * @param previewShards {@code PLATFORM_LOCAL_PREVIEW_SHARDS}, default 1: preview load balancers (one listener each)
 * @param previewDomain {@code PLATFORM_PREVIEW_DOMAIN}, default {@value #DEFAULT_PREVIEW_DOMAIN}: previews are
 *     served at hosts under it (*.localhost resolves to loopback, so a browser reaches them with no DNS set-up)
 * @param sleepPolicy {@code PLATFORM_DEFAULT_SLEEP_AFTER}, {@code PLATFORM_DEFAULT_EXPIRE_AFTER} and
 *     {@code PLATFORM_DEFAULT_MAX_ACTIVE_PREVIEWS}: what the functions are given of the preview sleep policy
 * @param bootstrapToken {@code PLATFORM_BOOTSTRAP_TOKEN}: the API token of the first user, owner of the demo team
 *     (null: one is generated at the first start and printed once)
 */
public record LocalSettings(int port, String webhookSecret, Path dataDir, boolean persistent,
                            String demoRepository, String demoBranch, int visibilityTimeoutSeconds,
                            String bindAddress, int queuePollers, int buildSeconds, List<String> failShaPrefixes,
                            List<String> gitHubWriters, int deploySeconds, List<String> failDeployShaPrefixes,
                            int previewShards, String previewDomain, SleepPolicy sleepPolicy, String bootstrapToken) {

    /**
     * The sleep policy's defaults as set for the local runtime; each null when unset, and then not passed to the
     * functions, which fall back to their own defaults ({@code PT30M}, {@code P7D}, 10).
     *
     * @param sleepAfter how long a preview may go without an inbound request before it sleeps (> 0)
     * @param expireAfter how long a preview lives without a new commit (> 0)
     * @param maxActivePreviews how many previews of one project run at once (>= 1)
     */
    public record SleepPolicy(Duration sleepAfter, Duration expireAfter, Integer maxActivePreviews) {
        public static final SleepPolicy UNSET = new SleepPolicy(null, null, null);

        public SleepPolicy {
            if ((sleepAfter != null && !sleepAfter.isPositive()) || (expireAfter != null && !expireAfter.isPositive())
                    || (maxActivePreviews != null && maxActivePreviews < 1)) {
                throw new IllegalArgumentException("durations must be positive and the cap at least 1");
            }
        }

        /** The function settings ({@code DEFAULT_SLEEP_AFTER} and the others) of what is set, ISO-8601 durations. */
        public Map<String, String> functionSettings() {
            Map<String, String> settings = new LinkedHashMap<>();
            if (sleepAfter != null) {
                settings.put(dev.platform.topology.Settings.DEFAULT_SLEEP_AFTER, sleepAfter.toString());
            }
            if (expireAfter != null) {
                settings.put(dev.platform.topology.Settings.DEFAULT_EXPIRE_AFTER, expireAfter.toString());
            }
            if (maxActivePreviews != null) {
                settings.put(dev.platform.topology.Settings.DEFAULT_MAX_ACTIVE_PREVIEWS, maxActivePreviews.toString());
            }
            return settings;
        }
    }

    public static final int DEFAULT_BUILD_SECONDS = 3;
    public static final int DEFAULT_DEPLOY_SECONDS = 2;
    public static final String DEFAULT_PREVIEW_DOMAIN = "preview.localhost";
    private static final Pattern DOMAIN = Pattern.compile("(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern SHA_PREFIX = Pattern.compile("[0-9a-f]{1,40}");
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9-]{1,39}(\\[bot])?");

    public LocalSettings {
        failShaPrefixes = List.copyOf(failShaPrefixes);
        gitHubWriters = List.copyOf(gitHubWriters);
        failDeployShaPrefixes = List.copyOf(failDeployShaPrefixes);
        sleepPolicy = sleepPolicy == null ? SleepPolicy.UNSET : sleepPolicy;
    }

    /** The settings of the local runtime before the REST API existed: a bootstrap token is generated. */
    public LocalSettings(int port, String webhookSecret, Path dataDir, boolean persistent, String demoRepository,
                         String demoBranch, int visibilityTimeoutSeconds, String bindAddress, int queuePollers,
                         int buildSeconds, List<String> failShaPrefixes, List<String> gitHubWriters, int deploySeconds,
                         List<String> failDeployShaPrefixes, int previewShards, String previewDomain, SleepPolicy sleepPolicy) {
        this(port, webhookSecret, dataDir, persistent, demoRepository, demoBranch, visibilityTimeoutSeconds, bindAddress,
                queuePollers, buildSeconds, failShaPrefixes, gitHubWriters, deploySeconds, failDeployShaPrefixes, previewShards,
                previewDomain, sleepPolicy, null);
    }

    /** The settings of the local runtime before the sleep policy existed: the functions take its defaults. */
    public LocalSettings(int port, String webhookSecret, Path dataDir, boolean persistent, String demoRepository,
                         String demoBranch, int visibilityTimeoutSeconds, String bindAddress, int queuePollers,
                         int buildSeconds, List<String> failShaPrefixes, List<String> gitHubWriters, int deploySeconds,
                         List<String> failDeployShaPrefixes, int previewShards, String previewDomain) {
        this(port, webhookSecret, dataDir, persistent, demoRepository, demoBranch, visibilityTimeoutSeconds, bindAddress,
                queuePollers, buildSeconds, failShaPrefixes, gitHubWriters, deploySeconds, failDeployShaPrefixes, previewShards,
                previewDomain, SleepPolicy.UNSET);
    }

    /** The settings of the local runtime before deployments existed: deployments take the defaults. */
    public LocalSettings(int port, String webhookSecret, Path dataDir, boolean persistent, String demoRepository,
                         String demoBranch, int visibilityTimeoutSeconds, String bindAddress, int queuePollers,
                         int buildSeconds, List<String> failShaPrefixes, List<String> gitHubWriters) {
        this(port, webhookSecret, dataDir, persistent, demoRepository, demoBranch, visibilityTimeoutSeconds, bindAddress,
                queuePollers, buildSeconds, failShaPrefixes, gitHubWriters, DEFAULT_DEPLOY_SECONDS, List.of(), 1,
                DEFAULT_PREVIEW_DOMAIN, SleepPolicy.UNSET);
    }

    /** The settings of the local runtime before builds existed: builds take the defaults. */
    public LocalSettings(int port, String webhookSecret, Path dataDir, boolean persistent, String demoRepository,
                         String demoBranch, int visibilityTimeoutSeconds, String bindAddress, int queuePollers) {
        this(port, webhookSecret, dataDir, persistent, demoRepository, demoBranch, visibilityTimeoutSeconds, bindAddress,
                queuePollers, DEFAULT_BUILD_SECONDS, List.of(), List.of());
    }

    public static final String DEFAULT_WEBHOOK_SECRET = "local-webhook-secret";
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_QUEUE_POLLERS = 4;

    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");

    /** A setting that cannot be used; the message names it and says what is expected. */
    public static final class InvalidSetting extends RuntimeException {
        InvalidSetting(String message) {
            super(message);
        }
    }

    /** @throws InvalidSetting naming the first bad setting */
    public static LocalSettings fromEnvironment(Map<String, String> env) {
        String dataDir = blankToNull(env.get("PLATFORM_DATA_DIR"));
        return new LocalSettings(
                integer(env, "PORT", 8080, 0, 65_535),
                nonEmpty(env, "GITHUB_WEBHOOK_SECRET", DEFAULT_WEBHOOK_SECRET),
                usableDataDir(dataDir == null ? ".platform" : dataDir),
                dataDir != null,
                repository(env.getOrDefault("PLATFORM_DEMO_REPO", "Codertocat/Hello-World")),
                nonEmpty(env, "PLATFORM_DEMO_BRANCH", "main"),
                integer(env, "PLATFORM_QUEUE_VISIBILITY_SECONDS", 10, 1, 43_200),
                bindAddress(env.getOrDefault("PLATFORM_BIND_ADDRESS", DEFAULT_BIND_ADDRESS)),
                integer(env, "PLATFORM_QUEUE_POLLERS", DEFAULT_QUEUE_POLLERS, 1, 64),
                integer(env, "PLATFORM_LOCAL_BUILD_SECONDS", DEFAULT_BUILD_SECONDS, 0, 3_600),
                list(env, "PLATFORM_LOCAL_FAIL_SHAS", SHA_PREFIX, "commit SHA prefixes (lower-case hex)"),
                list(env, "PLATFORM_LOCAL_GITHUB_WRITERS", LOGIN, "GitHub logins"),
                integer(env, "PLATFORM_LOCAL_DEPLOY_SECONDS", DEFAULT_DEPLOY_SECONDS, 0, 3_600),
                list(env, "PLATFORM_LOCAL_FAIL_DEPLOY_SHAS", SHA_PREFIX, "commit SHA prefixes (lower-case hex)"),
                integer(env, "PLATFORM_LOCAL_PREVIEW_SHARDS", 1, 1, 20),
                domain(env.getOrDefault("PLATFORM_PREVIEW_DOMAIN", DEFAULT_PREVIEW_DOMAIN)),
                new SleepPolicy(positiveDuration(env, "PLATFORM_DEFAULT_SLEEP_AFTER", "PT30M"),
                        positiveDuration(env, "PLATFORM_DEFAULT_EXPIRE_AFTER", "P7D"),
                        atLeastOne(env, "PLATFORM_DEFAULT_MAX_ACTIVE_PREVIEWS")),
                bootstrapToken(blankToNull(env.get("PLATFORM_BOOTSTRAP_TOKEN"))));
    }

    private static String bootstrapToken(String value) {
        if (value != null && !dev.platform.core.api.Secrets.looksLike(dev.platform.core.api.Secrets.TOKEN_PREFIX, value.trim())) {
            throw new InvalidSetting("PLATFORM_BOOTSTRAP_TOKEN must be plat_ and 43 letters and digits (leave it unset to have one made)");
        }
        return value == null ? null : value.trim();
    }

    /** An ISO-8601 duration above zero ({@link Duration#parse}: days, hours, minutes, seconds), or null when unset. */
    private static Duration positiveDuration(Map<String, String> env, String name, String example) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return null;
        }
        try {
            Duration duration = Duration.parse(value.trim());
            if (duration.isPositive()) {
                return duration;
            }
        } catch (DateTimeParseException notADuration) {
            // reported below
        }
        throw new InvalidSetting(name + " must be an ISO-8601 duration above zero such as " + example + " (days, hours, "
                + "minutes, seconds: PnDTnHnMnS), got '" + value + "'");
    }

    /** A whole number of at least 1, or null when unset. */
    private static Integer atLeastOne(Map<String, String> env, String name) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new InvalidSetting(name + " must be a whole number of at least 1, got '" + value + "'");
    }

    private static String domain(String value) {
        String domain = value.trim();
        if (domain.length() > 200 || !DOMAIN.matcher(domain).matches()) {
            throw new InvalidSetting("PLATFORM_PREVIEW_DOMAIN must be a lower-case DNS name such as preview.localhost, got '"
                    + value + "'");
        }
        return domain;
    }

    /** A comma-separated list whose every item matches {@code item}. */
    private static List<String> list(Map<String, String> env, String name, Pattern item, String expected) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return List.of();
        }
        List<String> items = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            String trimmed = part.trim();
            if (!item.matcher(trimmed).matches()) {
                throw new InvalidSetting(name + " must be comma-separated " + expected + ", got '" + trimmed + "'");
            }
            items.add(trimmed);
        }
        return items;
    }

    public Path eventsFile() {
        return dataDir.resolve("events.jsonl");
    }

    /** Where queued messages are journaled; only with a data dir of the user's. */
    public Path queueJournal() {
        return dataDir.resolve("queues.journal");
    }

    /** The data dir as a user would type it: relative to the working directory when inside it. */
    public String dataDirName() {
        Path cwd = Path.of("").toAbsolutePath();
        return dataDir.startsWith(cwd) && !dataDir.equals(cwd) ? cwd.relativize(dataDir).toString() : dataDir.toString();
    }

    private static int integer(Map<String, String> env, String name, int defaultValue, int min, int max) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new InvalidSetting(name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
    }

    private static String nonEmpty(Map<String, String> env, String name, String defaultValue) {
        String value = env.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value.isBlank()) {
            throw new InvalidSetting(name + " must not be empty");
        }
        return value;
    }

    private static String repository(String value) {
        if (!REPOSITORY.matcher(value).matches()) {
            throw new InvalidSetting("PLATFORM_DEMO_REPO must be a GitHub repository as owner/name, got '" + value + "'");
        }
        return value;
    }

    /** An IP literal or {@code localhost}: nothing here resolves a host name through DNS. */
    private static String bindAddress(String value) {
        String address = value.trim();
        if (address.equals("localhost")) {
            return DEFAULT_BIND_ADDRESS;
        }
        if (!IP_LITERAL.matcher(address).matches()) {
            throw new InvalidSetting("PLATFORM_BIND_ADDRESS must be an IP address such as 127.0.0.1, got '" + value + "'");
        }
        try {
            java.net.InetAddress.getByName(address); // a literal: parsed, not looked up
        } catch (java.net.UnknownHostException e) {
            throw new InvalidSetting("PLATFORM_BIND_ADDRESS must be an IP address such as 127.0.0.1, got '" + value + "'");
        }
        return address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
    }

    /**
     * The data dir, absolute. Checked without creating anything (the runtime creates it only after it
     * holds its port): it must be a readable, writable directory, or creatable under one.
     */
    private static Path usableDataDir(String value) {
        Path dir;
        try {
            dir = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InvalidSetting("PLATFORM_DATA_DIR is not a valid path: '" + value + "'");
        }
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new InvalidSetting("PLATFORM_DATA_DIR " + value + " is not a directory"
                    + (existing == null || existing.equals(dir) ? "" : " (" + existing + " is a file)"));
        }
        if (!Files.isReadable(existing) || !Files.isWritable(existing) || !Files.isExecutable(existing)) {
            throw new InvalidSetting("PLATFORM_DATA_DIR " + value + (existing.equals(dir) ? " is" : " cannot be created: " + existing + " is")
                    + " not readable and writable by this user");
        }
        return dir;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
