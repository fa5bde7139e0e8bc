package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /preview} commands in the local runtime, over HTTP as a user drives it: the sample {@code /preview sleep}
 * comment on an open pull request becomes one {@code PreviewCommandRequested} in the event log and an
 * {@code eyes} reaction on the local GitHub; a reader's command becomes nothing but a {@code confused} one.
 */
class PreviewCommandsTest {
    private static final String SECRET = "commands-secret";
    private static final long COMMENT = 492700400L;
    private static final long VISITORS_COMMENT = 492700401L;

    @TempDir
    Path dataDir;
    private LocalPlatform platform;

    @AfterEach
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void theSampleSleepCommandReachesTheEventLogOnceAndIsAnswered() throws Exception {
        platform = LocalPlatform.start(new LocalSettings(0, SECRET, dataDir, true, "Codertocat/Hello-World", "main", 1,
                "127.0.0.1", 4, 1, List.of(), List.of()), new PrintStream(PrintStream.nullOutputStream()));
        Deliveries deliveries = new Deliveries(platform.url(), SECRET);
        RuntimeProbe probe = new RuntimeProbe(platform, dataDir);

        assertEquals(202, deliveries.send("pull_request", "d-opened", Deliveries.payload("pull_request.opened.json")).statusCode());
        // the same pull request's group: applied in this order, after the preview exists
        byte[] visitor = Deliveries.variant("issue_comment.preview-sleep.json", p -> {
            ObjectNode comment = (ObjectNode) p.get("comment");
            comment.put("id", VISITORS_COMMENT);
            ((ObjectNode) comment.get("user")).put("login", "visitor");
        });
        assertEquals(202, deliveries.send("issue_comment", "d-visitor", visitor).statusCode());
        byte[] sleep = Deliveries.payload("issue_comment.preview-sleep.json");
        assertEquals(202, deliveries.send("issue_comment", "d-sleep", sleep).statusCode());
        assertEquals(202, deliveries.send("issue_comment", "d-sleep", sleep).statusCode());
        byte[] extend = Deliveries.variant("issue_comment.preview-sleep.json",
                p -> ((ObjectNode) p.get("comment")).put("body", "/preview extend 3d"));
        assertEquals(202, deliveries.send("issue_comment", "d-extend", extend).statusCode());

        JsonNode requested = probe.awaitEvent("PreviewCommandRequested", d -> d.path("command").asText().equals("sleep"));
        assertEquals("hello-world", requested.path("projectId").asText());
        assertEquals(2, requested.path("pr").asInt());
        assertTrue(requested.get("extendBy").isNull(), requested.toString());
        assertEquals("Codertocat", requested.path("requestedBy").asText());
        assertEquals(COMMENT, requested.path("commentId").asLong());
        assertEquals("d-sleep", requested.path("deliveryId").asText());
        JsonNode extended = probe.awaitEvent("PreviewCommandRequested", d -> d.path("command").asText().equals("extend"));
        assertEquals(Duration.ofDays(3), Duration.parse(extended.path("extendBy").asText()));

        // the extend was applied after both sleep deliveries and the visitor's: nothing else came of them
        List<JsonNode> all = probe.events("PreviewCommandRequested");
        assertEquals(2, all.size(), all.toString());
        // the preview controller answers the accepted ones again when it has acted (or found nothing to act on)
        List<String> reactions = reactions(probe);
        assertTrue(reactions.containsAll(List.of(COMMENT + " eyes", VISITORS_COMMENT + " confused")), reactions.toString());
        assertEquals(1, reactions.stream().filter(r -> r.startsWith(VISITORS_COMMENT + " ")).count(), reactions.toString());
    }

    /** What the local GitHub shows of the App's reactions, as {@code <commentId> <content>}, sorted. */
    private static List<String> reactions(RuntimeProbe probe) throws Exception {
        List<String> reactions = new ArrayList<>();
        for (JsonNode reaction : probe.get("/_local/resources").path("github").path("reactions")) {
            reactions.add(reaction.path("commentId").asLong() + " " + reaction.path("content").asText());
        }
        return reactions.stream().sorted().toList();
    }
}
