package dev.platform.bench;

import dev.platform.core.repoevent.PullRequestAction;
import java.time.*;
import java.util.*;

/** What a scenario sends, in streams (one per pull request) sent in order, and the events it must cause ({@link E2eVerifier#key} → count). */
record E2ePlan(Map<Integer, List<Delivery>> streams, Map<String, Integer> expected, String description) {

    /** One request: X-GitHub-Event, X-GitHub-Delivery and the exact body; pr, sha and updatedAt say what it carries. */
    record Delivery(String event, String id, byte[] body, int pr, String sha, Instant updatedAt) {
        /** The BuildRequested it asks for: the demo project, its pull request and head. */
        String buildRequested() {
            return E2eVerifier.key("BuildRequested", Services.DEMO_PROJECT.projectId().value(), pr, sha);
        }
    }

    int size() {
        return streams.values().stream().mapToInt(List::size).sum();
    }

    /** A pull_request delivery: opened at step 0, synchronize after; every step its own head SHA and delivery id. */
    static Delivery pullRequest(Payloads payloads, int pr, int step, Instant updatedAt) throws Exception {
        String sha = Payloads.sha("e2e-" + pr + "-" + step);
        byte[] body = payloads.pullRequest(step == 0 ? PullRequestAction.OPENED : PullRequestAction.SYNCHRONIZE, pr, sha, updatedAt);
        return new Delivery("pull_request", UUID.nameUUIDFromBytes(("bench-e2e-" + pr + "-" + step).getBytes()).toString(), body, pr, sha, updatedAt);
    }

    /** One pull request's deliveries in order, each ten seconds newer than the last: every one requests a build. */
    static E2ePlan inOrder(Payloads payloads, int pr, int deliveries, Instant start) throws Exception {
        List<Delivery> stream = new ArrayList<>();
        for (int step = 0; step < deliveries; step++) {
            stream.add(pullRequest(payloads, pr, step, start.plusSeconds(10L * step)));
        }
        return new E2ePlan(Map.of(pr, stream), expected(Map.of(pr, stream)), deliveries + " deliveries of PR " + pr + " in order");
    }

    /**
     * The burst: {@code prs} pull requests (numbered from {@code firstPr}) × {@code perPr} deliveries (opened, then synchronize, each a new head and a later
     * updated_at), adjacent pairs swapped with probability {@code swap} so some arrive older than one already seen, and
     * {@code resends} re-sends with the same delivery id placed after their original.
     */
    static E2ePlan burst(Payloads payloads, long seed, int firstPr, int prs, int perPr, int resends, double swap) throws Exception {
        Random random = new Random(seed);
        Map<Integer, List<Delivery>> streams = new LinkedHashMap<>();
        List<Delivery> originals = new ArrayList<>();
        for (int p = 0; p < prs; p++) {
            List<Delivery> stream = new ArrayList<>();
            for (int step = 0; step < perPr; step++) {
                stream.add(pullRequest(payloads, firstPr + p, step, Instant.parse("2024-07-01T00:00:00Z").plus(Duration.ofHours(p)).plusSeconds(10L * step)));
            }
            for (int i = 0; i + 1 < stream.size(); i++) {
                if (random.nextDouble() < swap) {
                    Collections.swap(stream, i, i + 1);
                    i++;
                }
            }
            originals.addAll(stream);
            streams.put(firstPr + p, stream);
        }
        Collections.shuffle(originals, random);
        for (Delivery original : originals.subList(0, resends)) {
            List<Delivery> stream = streams.get(original.pr());
            int after = stream.indexOf(original);
            stream.add(after + 1 + random.nextInt(stream.size() - after), original);
        }
        Map<String, Integer> expected = expected(streams);
        return new E2ePlan(streams, expected, Report.format("(seed %d): %d PRs × %d deliveries (opened, then synchronize; each a new head SHA "
                + "and a later updated_at), adjacent pairs swapped with probability %s (%d deliveries arrive older than one already seen and "
                + "must change nothing), %d re-sends with the same X-GitHub-Delivery placed after their original", seed, prs, perPr, swap,
                prs * perPr - expected.size(), resends));
    }

    /**
     * Replays each stream in order, as its FIFO message group sees it: a delivery requests a build exactly when its delivery
     * id is new and its updated_at is newer than every earlier one of its pull request.
     */
    static Map<String, Integer> expected(Map<Integer, List<Delivery>> streams) {
        Map<String, Integer> expected = new TreeMap<>();
        for (List<Delivery> stream : streams.values()) {
            Instant newest = Instant.MIN;
            Set<String> seen = new HashSet<>();
            for (Delivery delivery : stream) {
                if (seen.add(delivery.id()) && delivery.updatedAt().isAfter(newest)) {
                    expected.merge(delivery.buildRequested(), 1, Integer::sum);
                    newest = delivery.updatedAt();
                }
            }
        }
        return expected;
    }
}
