package dev.platform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.repoevent.PullRequestAction;
import java.nio.file.Path;
import java.time.*;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.ArrayList;
import java.util.*;
import java.util.stream.StreamSupport;

/** The end-to-end scenario: references, single deliveries, then the burst, on one driver; the verifier checks everything sent. */
final class EndToEndBench {
    static final long SEED = 4242;
    static final int PULL_REQUESTS = 10;
    static final int PER_PR = 18;
    static final int RESENDS = 20;
    static final int CONCURRENCY = 8;
    static final int SINGLES = 5;
    static final int VISIBILITY_SECONDS = 2;
    /** The local runtime's default number of pollers per queue trigger. */
    static final int POLLERS = 4;
    static final Duration BURST_LIMIT = Duration.ofSeconds(180);
    static final Instant BURST_START = Instant.parse("2024-07-01T00:00:00Z");
    static final int LAUNCH_PRS = 40;
    static final int LAUNCH_PER_PR = 5;
    static final int DEPLOY_PRS = 40;
    static final int WAKES = 10;
    static final Duration SLEEP_AFTER = Duration.ofSeconds(5);

    static void run(Report report, Path work) throws Exception {
        E2ePlan single = E2ePlan.burst(0, 900, 1, SINGLES + 1, 0, 0, Instant.parse("2024-06-01T00:00:00Z"));
        E2ePlan burst = E2ePlan.burst(SEED, 7_001, PULL_REQUESTS, PER_PR, RESENDS, 0.15, BURST_START);
        try (E2eDriver driver = new E2eDriver(Bench.require("local/target/platform-local.jar"), work,
                Map.of("PLATFORM_QUEUE_VISIBILITY_SECONDS", "" + VISIBILITY_SECONDS, "PLATFORM_QUEUE_POLLERS", "" + POLLERS,
                // the local ECS's rollout takes no time: deploy rows measure the control plane; the scenarios open more than
                // one shard's 95 previews, and a preview beyond the shards' room is refused ("every load balancer shard is full")
                "PLATFORM_LOCAL_DEPLOY_SECONDS", "0", "PLATFORM_LOCAL_PREVIEW_SHARDS", "2"))) {
            Bench.progress("e2e: reference round trips, then single deliveries");
            long[] http = new long[200];
            for (int i = -50; i < http.length; i++) { // 50 unmeasured first
                long before = System.nanoTime();
                if (driver.get("/bench-no-such-route") != 404) {
                    throw new IllegalStateException("the runtime did not answer 404 to an unknown path");
                }
                http[Math.max(0, i)] = System.nanoTime() - before;
            }
            // One delivery alone, from send until its BuildRequested is printed; the first one warms up, unmeasured.
            long[] alone = new long[SINGLES];
            List<E2ePlan.Delivery> singles = single.streams().get(900);
            for (int i = 0; i <= SINGLES; i++) {
                E2eDriver.Sent sent = driver.send(singles.get(i));
                long seen = driver.await(List.of(singles.get(i).buildRequested()), sent.start() + Duration.ofSeconds(60).toNanos());
                if (sent.status() != 202 || seen < 0) {
                    throw new IllegalStateException("a single delivery answered " + sent.status() + " or its build did not appear within 60 s");
                }
                alone[Math.max(0, i - 1)] = seen - sent.start();
            }
            E2ePlan warmUp = E2ePlan.burst(SEED + 1, 6_001, PULL_REQUESTS, PER_PR, RESENDS, 0.15, BURST_START);
            warmUp(driver, warmUp);

            Bench.progress("e2e: sending " + burst.size() + " deliveries, " + CONCURRENCY + " concurrent senders");
            // Every delivery of the burst has been applied once the last expected build is printed (each stream is queued in order).
            E2eDriver.Burst measured = driver.burst(burst, CONCURRENCY, BURST_LIMIT);
            Thread.sleep(Duration.ofSeconds(2L * VISIBILITY_SECONDS + 1).toMillis()); // late or repeated events show up by then
            Map<String, Integer> expected = new HashMap<>(burst.expected());
            expected.putAll(single.expected());
            expected.putAll(warmUp.expected());
            E2eVerifier verdict = E2eVerifier.check(driver.events, expected);
            List<String> bad = measured.sent().stream().filter(s -> s.status() != 202 || !s.body().contains("\"accepted\""))
                    .map(s -> s.status() + " " + s.body()).toList();
            int answered = measured.sent().size();
            boolean drained = measured.last() > 0;
            boolean exact = verdict.exact() && bad.isEmpty() && answered == burst.size() && drained;

            Report.Summary ref = Report.Summary.of(http);
            Report.Summary response = Report.Summary.of(measured.sent().stream().mapToLong(s -> s.end() - s.start()).toArray());
            double aloneMedian = Report.Summary.of(alone).median();
            long lastAnswer = measured.sent().stream().mapToLong(E2eDriver.Sent::end).max().orElse(measured.start()) - measured.start();
            long lastBuild = measured.last() - measured.start();
            double intake = answered * 1e9 / lastAnswer;
            double drain = burst.size() * 1e9 / lastBuild;
            report.add("e2e.ref.http", "reference: HTTP round trip to the local runtime, no function (GET unknown path → 404), sequential",
                    "p50 " + Report.time(ref.median()) + ", p99 " + Report.time(ref.p99()));
            report.add("e2e.webhook.response", "webhook response time, " + burst.size() + " signed deliveries (" + PULL_REQUESTS + " PRs, "
                    + RESENDS + " re-sent), " + CONCURRENCY + " concurrent senders, p50 / p99", response.medianP99() + "; " + Report.rate(intake)
                    + " accepted", ref.medianP99(), Report.ratio(response.median(), ref.median()) + " / " + Report.ratio(response.p99(), ref.p99()));
            report.add("e2e.intake.rate", "burst: deliveries the webhook accepted (202) per second, " + CONCURRENCY + " concurrent senders",
                    Report.rate(intake));
            // Drain ≥ intake within 5 %: both are measured over the same burst.
            report.add("e2e.drain.rate", "burst: deliveries the orchestrator applied per second (first send → last expected BuildRequested), "
                    + POLLERS + " pollers", drained ? Report.rate(drain) : "not drained", Report.rate(intake) + " (intake)",
                    drained ? Report.format("%.2f×", drain / intake) : null, "≥ intake", drained && drain >= intake * 0.95 ? "pass" : "FAIL");
            report.add("e2e.ref.single", "reference: one delivery alone, send → its BuildRequested recorded, median of " + SINGLES,
                    Report.time(aloneMedian));
            report.add("e2e.last-build-requested", "burst: first send → last expected BuildRequested recorded", drained ? Report.time(lastBuild)
                    + " (last 202 after " + Report.time(lastAnswer) + ")" : "not all recorded within " + BURST_LIMIT.toSeconds() + " s",
                    Report.time(aloneMedian) + " (one delivery alone)", drained ? Report.ratio(lastBuild, aloneMedian) : null);
            report.add("e2e.exact", "events.jsonl holds exactly the expected events (none lost, none duplicated, none extra)", Report.format(
                    "%d BuildRequested expected, %d recorded; %d missing, %d duplicated, %d unexpected; %d/%d answered 202", verdict.expected(),
                    verdict.recorded(), verdict.missing().size(), verdict.duplicated().size(), verdict.unexpected().size(), answered - bad.size(),
                    burst.size()), null, null, "exact", exact ? "pass" : "FAIL");
            report.notes.add("End to end: plan " + burst.description() + "; also the " + (SINGLES + 1) + " single deliveries of PR 900. Runtime log: "
                    + driver.errorLines() + " ERROR line(s) (retried failures show up here).");
            launches(report, driver);
            deploys(report, driver);
            if (!exact) {
                report.failures.add("end to end: " + verdict.summary() + ", " + (burst.size() - answered) + " not sent, " + bad.size()
                        + " bad answers " + E2eVerifier.head(bad) + (drained ? "" : ", not every expected BuildRequested within "
                        + BURST_LIMIT.toSeconds() + " s") + "; runtime log: " + driver.log);
            }
        }
        // on a runtime of its own, so that its previews' sleeping and waking do not count in the deploy rows' calls
        try (E2eDriver driver = new E2eDriver(Bench.require("local/target/platform-local.jar"), work.resolve("sleep"),
                Map.of("PLATFORM_LOCAL_DEPLOY_SECONDS", "0", "PLATFORM_DEFAULT_SLEEP_AFTER", "PT" + SLEEP_AFTER.toSeconds() + "S"))) {
            sleepAndWake(report, driver);
        }
    }

    /**
     * Rates are measured warm, as JMH measures: a burst like the measured one on other pull requests, until its builds end (on a runtime
     * just started, compiling the hot paths took a third of the burst's CPU).
     */
    private static void warmUp(E2eDriver driver, E2ePlan plan) throws Exception {
        Bench.progress("e2e: warm-up, " + plan.size() + " deliveries on other pull requests, until their builds end");
        E2eDriver.Burst burst = driver.burst(plan, CONCURRENCY, BURST_LIMIT);
        if (burst.sent().stream().anyMatch(s -> s.status() != 202) || burst.last() < 0) {
            throw new IllegalStateException("the warm-up burst was not accepted and applied; runtime log: " + driver.log);
        }
        while (System.nanoTime() < burst.deadline() && driver.tasks().findValuesAsText("lastStatus").stream().anyMatch(s -> !s.equals("STOPPED"))) {
            Thread.sleep(500);
        }
    }

    /** A delivery's 202 → its build's RunTask (the local ECS task's creation); a head replaced before its build launched gets no task. */
    private static void launches(Report report, E2eDriver driver) throws Exception {
        E2ePlan plan = E2ePlan.burst(SEED, 8_001, LAUNCH_PRS, LAUNCH_PER_PR, 0, 0, BURST_START);
        Bench.progress("e2e: " + plan.size() + " deliveries on " + LAUNCH_PRS + " PRs, 202 → RunTask");
        E2eDriver.Burst burst = driver.burst(plan, CONCURRENCY, BURST_LIMIT);
        // Builds launch after their BuildRequested, asynchronously: read the tasks until none was added for 3 s.
        Map<String, Long> runTask = new HashMap<>();
        for (int quiet = 0, before = -1; quiet < 6 && System.nanoTime() < burst.deadline(); Thread.sleep(500)) {
            runTask.clear();
            for (JsonNode task : driver.tasks()) {
                long created = driver.nanoTime(Instant.parse(task.path("createdAt").asText()));
                runTask.merge(task.path("tags").path("platform:build").asText(), created, Math::min);
            }
            quiet = runTask.size() == before ? quiet + 1 : 0;
            before = runTask.size();
        }
        long[] latency = burst.sent().stream().map(s -> {
            Long at = runTask.get(driver.buildIds.getOrDefault(s.delivery().buildRequested(), ""));
            return at == null ? null : at - s.end();
        }).filter(Objects::nonNull).mapToLong(Long::longValue).toArray();
        if (latency.length == 0) {
            report.failures.add("202 → RunTask: no build of the " + plan.size() + " deliveries was launched; runtime log: " + driver.log);
            report.add("e2e.build.launch", "a delivery's 202 → its build's RunTask", "no task started");
            return;
        }
        Report.Summary s = Report.Summary.of(latency);
        report.add("e2e.build.launch", "a delivery's 202 → its build's RunTask (local ECS), " + plan.size() + " deliveries on " + LAUNCH_PRS
                + " PRs (opened + " + (LAUNCH_PER_PR - 1) + " synchronize each), " + CONCURRENCY + " concurrent senders, p50 / p99",
                s.medianP99() + "; " + latency.length + " of " + plan.size() + " launched (" + (plan.size() - latency.length)
                + " replaced by a newer head first: no task)");
    }

    /**
     * {@link #DEPLOY_PRS} previews opened at once: their BuildSucceeded → DeploymentSucceeded (the deployer's calls, the local ECS's
     * deployment events, the watcher); then all closed at once: the close's 202 → PreviewTornDown, and what is left of them.
     */
    private static void deploys(Report report, E2eDriver driver) throws Exception {
        String project = Services.DEMO_PROJECT.projectId().value();
        Map<Integer, List<E2ePlan.Delivery>> opens = new LinkedHashMap<>();
        Map<Integer, List<E2ePlan.Delivery>> closes = new LinkedHashMap<>();
        Map<String, Integer> deployed = new TreeMap<>();
        Map<String, Integer> tornDown = new TreeMap<>();
        Instant at = BURST_START.plus(Duration.ofDays(30));
        for (int pr = 10_001; pr < 10_001 + DEPLOY_PRS; pr++) {
            String sha = Payloads.sha("deploy-" + pr);
            opens.put(pr, List.of(new E2ePlan.Delivery(UUID.nameUUIDFromBytes(("bench-deploy-open-" + pr).getBytes()).toString(),
                    Payloads.pullRequest(PullRequestAction.OPENED, pr, sha, at), pr, sha, at)));
            closes.put(pr, List.of(new E2ePlan.Delivery(UUID.nameUUIDFromBytes(("bench-deploy-close-" + pr).getBytes()).toString(),
                    Payloads.pullRequest(PullRequestAction.CLOSED, pr, sha, at.plusSeconds(60)), pr, sha, at.plusSeconds(60))));
            deployed.put(E2eVerifier.key("DeploymentSucceeded", project, pr, sha), 1);
            tornDown.put(E2eVerifier.key("PreviewTornDown", project, pr, ""), 1);
        }
        Bench.progress("e2e: " + DEPLOY_PRS + " previews opened at once, deployed, then closed at once");
        JsonNode callsBefore = driver.resources().path("calls");
        E2eDriver.Burst opened = driver.burst(new E2ePlan(opens, deployed, "deploys"), CONCURRENCY, BURST_LIMIT);
        long[] deploy = opened.sent().stream().mapToLong(s -> {
            long built = driver.seen(E2eVerifier.key("BuildSucceeded", project, s.delivery().pr(), s.delivery().sha()));
            long serving = driver.seen(E2eVerifier.key("DeploymentSucceeded", project, s.delivery().pr(), s.delivery().sha()));
            return built < 0 || serving < 0 ? -1 : serving - built;
        }).filter(t -> t >= 0).toArray();
        // The services as the local ECS holds them once all are deployed: when each was created, when its rollout completed.
        JsonNode running = driver.resources();
        List<Long> toCreate = new ArrayList<>();
        List<Long> toActive = new ArrayList<>();
        for (JsonNode service : running.path("services")) {
            int pr = service.path("tags").path("platform:pr").asInt();
            String sha = Payloads.sha("deploy-" + pr);
            long built = driver.seen(E2eVerifier.key("BuildSucceeded", project, pr, sha));
            long serving = driver.seen(E2eVerifier.key("DeploymentSucceeded", project, pr, sha));
            JsonNode rollout = service.path("deployments").path(0);
            if (pr <= 10_000 || built < 0 || serving < 0 || !rollout.path("rolloutState").asText().equals("COMPLETED")) {
                continue;
            }
            toCreate.add(driver.nanoTime(Instant.parse(service.path("createdAt").asText())) - built);
            toActive.add(serving - driver.nanoTime(Instant.parse(rollout.path("updatedAt").asText())));
        }
        JsonNode callsDeployed = running.path("calls");
        E2eDriver.Burst closed = driver.burst(new E2ePlan(closes, tornDown, "teardowns"), CONCURRENCY, BURST_LIMIT);
        long[] teardown = closed.sent().stream().mapToLong(s -> {
            long gone = driver.seen(E2eVerifier.key("PreviewTornDown", project, s.delivery().pr(), ""));
            return gone < 0 ? -1 : gone - s.end();
        }).filter(t -> t >= 0).toArray();
        JsonNode left = driver.resources();
        long leftOver = List.of("services", "targetGroups", "listenerRules", "taskDefinitions").stream()
                .flatMap(kind -> StreamSupport.stream(left.path(kind).spliterator(), false))
                .filter(r -> r.path("tags").path("platform:pr").asInt() > 10_000).count();
        if (deploy.length < DEPLOY_PRS || teardown.length < DEPLOY_PRS || leftOver > 0) {
            report.failures.add("deploys: " + deploy.length + " of " + DEPLOY_PRS + " deployed, " + teardown.length + " torn down, "
                    + leftOver + " resources left; runtime log: " + driver.log);
        }
        report.add("e2e.deploy", "BuildSucceeded → DeploymentSucceeded (deployer, local ECS rollout of 0 s, watcher), " + DEPLOY_PRS
                + " previews opened at once, p50 / p99", deploy.length == 0 ? "none deployed"
                : Report.Summary.of(deploy).medianP99() + "; " + deploy.length + " of " + DEPLOY_PRS + " deployed");
        report.add("e2e.deploy.create-service", "BuildSucceeded → the deployer's CreateService reaches the local ECS, "
                + DEPLOY_PRS + " previews, p50 / p99", toCreate.isEmpty() ? "none created"
                : Report.Summary.of(toCreate.stream().mapToLong(Long::longValue).toArray()).medianP99());
        report.add("e2e.deploy.activate", "the local ECS's rollout COMPLETED → DeploymentSucceeded printed (event bus, watcher, "
                + "preview active), " + DEPLOY_PRS + " previews, p50 / p99", toActive.isEmpty() ? "none completed"
                : Report.Summary.of(toActive.stream().mapToLong(Long::longValue).toArray()).medianP99());
        report.add("e2e.deploy.calls", "API calls per preview, opened → active (its build's included): ECS / ELB / GitHub",
                callsPerPreview(callsBefore, callsDeployed));
        report.add("e2e.teardown", "close's 202 → PreviewTornDown (rule, service, target group, task definitions), " + DEPLOY_PRS
                + " closed at once, p50 / p99", teardown.length == 0 ? "none torn down"
                : Report.Summary.of(teardown).medianP99() + "; " + leftOver + " resources of them left");
        report.add("e2e.teardown.calls", "API calls per preview, close → torn down: ECS / ELB / GitHub",
                callsPerPreview(callsDeployed, left.path("calls")));
    }

    /**
     * {@link #WAKES} previews opened at once and deployed: one auto-sleep sweep over them (the index, their traffic, a read each);
     * then, once the local schedule (every 5 s with a {@link #SLEEP_AFTER} this short) has put them to sleep, the first request to
     * each, one after another, until it answers 200 (waker, the local ECS's start of 0 s, the watcher pointing the rule back).
     */
    private static void sleepAndWake(Report report, E2eDriver driver) throws Exception {
        String project = Services.DEMO_PROJECT.projectId().value();
        Map<Integer, List<E2ePlan.Delivery>> opens = new LinkedHashMap<>();
        Map<String, Integer> deployed = new TreeMap<>();
        Instant at = BURST_START.plus(Duration.ofDays(60));
        for (int pr = 20_001; pr < 20_001 + WAKES; pr++) {
            String sha = Payloads.sha("sleep-" + pr);
            opens.put(pr, List.of(new E2ePlan.Delivery(UUID.nameUUIDFromBytes(("bench-sleep-open-" + pr).getBytes()).toString(),
                    Payloads.pullRequest(PullRequestAction.OPENED, pr, sha, at), pr, sha, at)));
            deployed.put(E2eVerifier.key("DeploymentSucceeded", project, pr, sha), 1);
        }
        Bench.progress("e2e: " + WAKES + " previews deployed, swept, put to sleep by the local schedule, woken by a request");
        E2eDriver.Burst opened = driver.burst(new E2ePlan(opens, deployed, "sleep"), CONCURRENCY, BURST_LIMIT);
        if (driver.await(deployed.keySet(), opened.deadline()) < 0) {
            report.failures.add("sleep: not every preview deployed; runtime log: " + driver.log);
            return;
        }
        long before = System.nanoTime();
        JsonNode swept = driver.schedule("auto-sleep");
        long sweep = System.nanoTime() - before;
        report.add("e2e.sleep.sweep", "POST /_local/schedules/auto-sleep over " + WAKES + " previews just deployed (index, "
                + "GetMetricData, a read each)", Report.time(sweep) + "; " + swept.path("running").asInt() + " running, "
                + swept.path("slept").asInt() + " slept (idle " + SLEEP_AFTER.toSeconds() + " s)");
        List<String> hosts = new ArrayList<>();
        long deadline = System.nanoTime() + SLEEP_AFTER.plusSeconds(60).toNanos();
        while (hosts.size() < WAKES && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            hosts.clear();
            for (JsonNode rule : driver.resources().path("listenerRules")) {
                if (rule.path("target").asText().startsWith("waker") && hosts.size() < WAKES) {
                    hosts.add(rule.path("host").asText());
                }
            }
        }
        List<Long> wakes = new ArrayList<>();
        int waiting = 0;
        for (String host : hosts) {
            long start = System.nanoTime();
            long until = start + Duration.ofSeconds(60).toNanos();
            int status = driver.statusAt(host);
            while (status == 503 && System.nanoTime() < until) {
                waiting++;
                Thread.sleep(20);
                status = driver.statusAt(host);
            }
            if (status != 200) {
                report.failures.add("wake: " + host + " answered " + status + "; runtime log: " + driver.log);
                break;
            }
            wakes.add(System.nanoTime() - start);
        }
        report.add("e2e.wake", "first request to a sleeping preview → its first 200, polled every 20 ms, " + hosts.size()
                + " previews one after another, p50 / p99", wakes.isEmpty() ? "none woke"
                : Report.Summary.of(wakes.stream().mapToLong(Long::longValue).toArray()).medianP99() + "; " + waiting + " answers 503 "
                + "waking meanwhile, none other");
    }

    /** The calls the stand-ins answered between two {@code /_local/resources} readings, per deployed preview. */
    private static String callsPerPreview(JsonNode before, JsonNode after) {
        StringBuilder text = new StringBuilder();
        for (String standIn : List.of("ecs", "elb", "github")) {
            long total = 0;
            StringBuilder each = new StringBuilder();
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) () -> after.path(standIn).fields()) {
                long calls = field.getValue().asLong() - before.path(standIn).path(field.getKey()).asLong();
                if (calls > 0) {
                    total += calls;
                    each.append(each.isEmpty() ? "" : ", ").append(field.getKey()).append(' ')
                            .append(String.format(Locale.ROOT, "%.1f", calls / (double) DEPLOY_PRS));
                }
            }
            text.append(text.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%.1f", total / (double) DEPLOY_PRS))
                    .append(" (").append(each).append(')');
        }
        return text.toString();
    }
}
