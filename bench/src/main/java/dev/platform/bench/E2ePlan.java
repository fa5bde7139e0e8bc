package dev.platform.bench;

import dev.platform.core.repoevent.PullRequestAction;
import java.time.*;
import java.util.*;

/** What a scenario sends, in streams (one per pull request) sent in order, and the events it must cause ({@link E2eVerifier#key} → count). */
record E2ePlan(Map<Integer, List<Delivery>> streams, Map<String, Integer> expected, String description) {
    /** One pull_request delivery: its X-GitHub-Delivery and exact body; pr, sha and updatedAt say what it carries. */
    record Delivery(String id, byte[] body, int pr, String sha, Instant updatedAt) {
        /** The BuildRequested it asks for: the demo project, its pull request and head. */
        String buildRequested() {
            return E2eVerifier.key("BuildRequested", Services.DEMO_PROJECT.projectId().value(), pr, sha);
        }
    }

    int size() {
        return streams.values().stream().mapToInt(List::size).sum();
    }

    /**
     * {@code prs} pull requests from {@code firstPr}, an hour apart from {@code start}, × {@code perPr} deliveries: opened, then synchronize,
     * each a new head SHA and delivery id, ten seconds newer; adjacent pairs swapped with probability {@code swap}, so some arrive older
     * than one already seen, and {@code resends} re-sends with the same delivery id placed after their original.
     */
    static E2ePlan burst(long seed, int firstPr, int prs, int perPr, int resends, double swap, Instant start) throws Exception {
        Random random = new Random(seed);
        Map<Integer, List<Delivery>> streams = new LinkedHashMap<>();
        List<Delivery> originals = new ArrayList<>();
        for (int pr = firstPr; pr < firstPr + prs; pr++) {
            List<Delivery> stream = new ArrayList<>();
            for (int step = 0; step < perPr; step++) {
                String sha = Payloads.sha("e2e-" + pr + "-" + step);
                Instant at = start.plus(Duration.ofHours(pr - firstPr)).plusSeconds(10L * step);
                byte[] body = Payloads.pullRequest(step == 0 ? PullRequestAction.OPENED : PullRequestAction.SYNCHRONIZE, pr, sha, at);
                stream.add(new Delivery(UUID.nameUUIDFromBytes(("bench-e2e-" + pr + "-" + step).getBytes()).toString(), body, pr, sha, at));
            }
            for (int i = 0; i + 1 < stream.size(); i++) {
                if (random.nextDouble() < swap) {
                    Collections.swap(stream, i, i + 1);
                    i++;
                }
            }
            originals.addAll(stream);
            streams.put(pr, stream);
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

    /** As each FIFO message group replays its stream: a build exactly for a new delivery id newer than every earlier one of its PR. */
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
