package dev.platform.core.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.github.AcceptGitHubDelivery.Outcome;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.preview.PreviewCommand;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AcceptGitHubDeliveryTest {
    private static final byte[] SECRET = "test-secret".getBytes(StandardCharsets.UTF_8);
    static final Path PAYLOADS = Path.of(System.getProperty("platform.repo.root", "../.."), "events", "github");

    private final List<RepoEvent> queued = new ArrayList<>();
    private final AcceptGitHubDelivery intake = new AcceptGitHubDelivery(() -> SECRET, queued::add, 64 * 1024);

    /** Every real payload, validly signed, and the status the webhook documents for it. */
    static Stream<Arguments> realPayloads() {
        return Stream.of(
                Arguments.of("installation.created.json", "installation", 202, true),
                Arguments.of("issue_comment.created.json", "issue_comment", 202, false),
                Arguments.of("issue_comment.preview-sleep.json", "issue_comment", 202, true),
                Arguments.of("ping.json", "ping", 200, false),
                Arguments.of("pull_request.closed.json", "pull_request", 202, true),
                Arguments.of("pull_request.labeled.json", "pull_request", 202, false),
                Arguments.of("pull_request.opened.json", "pull_request", 202, true),
                Arguments.of("pull_request.reopened.json", "pull_request", 202, true),
                Arguments.of("pull_request.synchronize.json", "pull_request", 202, true),
                Arguments.of("push.json", "push", 202, true),
                Arguments.of("push.with-new-branch.json", "push", 202, true));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("realPayloads")
    void everyRealPayloadGetsItsDocumentedStatus(String file, String event, int status, boolean enqueued) throws IOException {
        byte[] body = Files.readAllBytes(PAYLOADS.resolve(file));
        Outcome outcome = intake.accept(signed(event, "d-" + file, body), body);
        assertEquals(status, outcome.status(), outcome.toString());
        assertEquals(enqueued ? 1 : 0, queued.size());
        if (enqueued) {
            assertInstanceOf(Outcome.Accepted.class, outcome);
            assertEquals("d-" + file, queued.get(0).deliveryId());
        } else if (status == 202) {
            assertInstanceOf(Outcome.Ignored.class, outcome);
        }
    }

    @Test
    void everyPayloadFileIsCovered() throws IOException {
        try (Stream<Path> files = Files.list(PAYLOADS)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            List<String> covered = realPayloads().map(a -> (String) a.get()[0]).sorted().toList();
            assertEquals(covered, names);
        }
    }

    @Test
    void pullRequestIsNormalized() throws IOException {
        byte[] body = Files.readAllBytes(PAYLOADS.resolve("pull_request.opened.json"));
        intake.accept(signed("pull_request", "d1", body), body);
        RepoEvent.PullRequest pr = (RepoEvent.PullRequest) queued.get(0);
        assertEquals(PullRequestAction.OPENED, pr.action());
        assertEquals(2, pr.number().value());
        assertEquals("Codertocat/Hello-World", pr.repository());
        assertEquals("ec26c3e57ca3a959ca5aad62de7213c562f8c821", pr.headSha().value());
        assertEquals(Instant.parse("2019-05-15T15:20:33Z"), pr.updatedAt());
        assertEquals(InstallationId.of(1), pr.installation(), "the GitHub App installation it came through");
        assertFalse(pr.draft());
        assertFalse(pr.fork());
        assertEquals("codertocat/hello-world#pr-2", pr.orderingKey());
    }

    @Test
    void pushIsNormalizedWithItsRefAsGroup() throws IOException {
        byte[] body = Files.readAllBytes(PAYLOADS.resolve("push.json"));
        intake.accept(signed("push", "d1", body), body);
        RepoEvent.Push push = (RepoEvent.Push) queued.get(0);
        assertEquals("refs/tags/simple-tag", push.ref());
        assertTrue(push.deleted());
        assertEquals("codertocat/hello-world#refs/tags/simple-tag", push.orderingKey());
    }

    @Test
    void missingSignatureIs401AndNothingQueued() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = signed("push", "d1", body);
        headers.remove("X-Hub-Signature-256");
        assertRejected(401, "missing_signature", intake.accept(headers, body));
    }

    @Test
    void emptyBodyIs401() {
        Map<String, String> headers = signed("push", "d1", "{}".getBytes(StandardCharsets.UTF_8));
        assertRejected(401, "empty_body", intake.accept(headers, new byte[0]));
    }

    @Test
    void tamperedBodyIs401() {
        byte[] body = "{\"zen\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = signed("ping", "d1", body);
        assertRejected(401, "invalid_signature", intake.accept(headers, "{\"zen\":\"b\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        byte[] body = "{\"zen\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> lower = new HashMap<>();
        signed("ping", "d1", body).forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        assertEquals(200, intake.accept(AcceptGitHubDelivery.headers(lower), body).status());
    }

    @Test
    void missingEventOrDeliveryHeaderIs400() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> noEvent = signed("push", "d1", body);
        noEvent.remove("X-GitHub-Event");
        assertRejected(400, "missing_header", intake.accept(noEvent, body));
        Map<String, String> noDelivery = signed("push", "d1", body);
        noDelivery.remove("X-GitHub-Delivery");
        assertRejected(400, "missing_header", intake.accept(noDelivery, body));
    }

    @Test
    void malformedJsonIs400NamingTheProblem() {
        byte[] body = "{\"action\": ".getBytes(StandardCharsets.UTF_8);
        assertRejected(400, "malformed_payload", intake.accept(signed("pull_request", "d1", body), body));
    }

    @Test
    void missingFieldIs400NamingTheField() {
        byte[] body = "{\"action\":\"opened\",\"number\":1,\"pull_request\":{}}".getBytes(StandardCharsets.UTF_8);
        Outcome outcome = intake.accept(signed("pull_request", "d1", body), body);
        assertRejected(400, "malformed_payload", outcome);
        assertTrue(((Outcome.Rejected) outcome).message().contains("'pull_request.head'"), outcome.toString());
    }

    @Test
    void bodyOverTheLimitIs413BeforeAnythingElse() {
        byte[] body = new byte[64 * 1024 + 1];
        assertRejected(413, "payload_too_large", intake.accept(signed("push", "d1", body), body));
    }

    @Test
    void unknownEventIsIgnoredWith202() {
        byte[] body = "{\"anything\":true}".getBytes(StandardCharsets.UTF_8);
        Outcome outcome = intake.accept(signed("workflow_run", "d1", body), body);
        assertEquals(202, outcome.status());
        assertInstanceOf(Outcome.Ignored.class, outcome);
        assertTrue(queued.isEmpty());
    }

    @Test
    void rejectionsNeverEchoTheSecret() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = signed("push", "d1", body);
        headers.put("X-Hub-Signature-256", "sha256=" + "0".repeat(64));
        Outcome.Rejected rejected = (Outcome.Rejected) intake.accept(headers, body);
        assertFalse(rejected.message().contains("test-secret"));
    }

    /** A real payload with some fields changed. */
    @Test
    void theApprovalLabelAndCommandOnAPullRequestAskForItsHeadToBeBuilt() throws IOException {
        byte[] label = variant("pull_request.labeled.json", p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p.get("label"))
                .put("name", GitHubPayloads.APPROVAL_LABEL));
        assertEquals(202, intake.accept(signed("pull_request", "d-label", label), label).status());
        assertEquals(new RepoEvent.Approval("d-label", "Codertocat/Hello-World", InstallationId.of(1), PrNumber.of(2),
                "Codertocat", CommitSha.of("ec26c3e57ca3a959ca5aad62de7213c562f8c821")), queued.getLast());

        byte[] command = variant("issue_comment.created.json", p -> {
            at(p, "issue").putObject("pull_request").put("url", "https://api.github.com/repos/Codertocat/Hello-World/pulls/1");
            at(p, "comment").put("body", "  /preview approve  \nlooks safe to me");
            p.putObject("installation").put("id", 7);
        });
        assertEquals(202, intake.accept(signed("issue_comment", "d-comment", command), command).status());
        assertEquals(new RepoEvent.Approval("d-comment", "Codertocat/Hello-World", InstallationId.of(7), PrNumber.of(1),
                "Codertocat", null), queued.getLast());
        assertEquals("codertocat/hello-world#pr-1", queued.getLast().orderingKey(), "ordered with the pull request's pushes");

        int before = queued.size();
        byte[] chatter = variant("issue_comment.created.json", p -> at(p, "issue").putObject("pull_request"));
        assertInstanceOf(Outcome.Ignored.class, intake.accept(signed("issue_comment", "d-chatter", chatter), chatter));
        byte[] otherLabel = Files.readAllBytes(PAYLOADS.resolve("pull_request.labeled.json"));
        assertInstanceOf(Outcome.Ignored.class, intake.accept(signed("pull_request", "d-bug", otherLabel), otherLabel));
        assertEquals(before, queued.size());
    }

    @Test
    void previewCommandsOnAPullRequestAreQueuedWithTheCommentToAnswer() throws IOException {
        byte[] sleep = Files.readAllBytes(PAYLOADS.resolve("issue_comment.preview-sleep.json"));
        assertEquals(202, intake.accept(signed("issue_comment", "d-sleep", sleep), sleep).status());
        assertEquals(new RepoEvent.PreviewCommand("d-sleep", "Codertocat/Hello-World", InstallationId.of(1), PrNumber.of(2),
                "Codertocat", 492700400L, PreviewCommand.sleep(), null), queued.getLast());
        assertEquals("codertocat/hello-world#pr-2", queued.getLast().orderingKey(), "ordered with the pull request's pushes");

        byte[] extend = commentSaying("/Preview   EXTEND 3d\nfor the demo on Friday");
        intake.accept(signed("issue_comment", "d-extend", extend), extend);
        assertEquals(PreviewCommand.extend(Duration.ofDays(3)), ((RepoEvent.PreviewCommand) queued.getLast()).command());

        byte[] tooLong = commentSaying("/preview extend 45d");
        assertEquals(202, intake.accept(signed("issue_comment", "d-long", tooLong), tooLong).status());
        RepoEvent.PreviewCommand refused = (RepoEvent.PreviewCommand) queued.getLast();
        assertEquals(null, refused.command());
        assertEquals("an extension is at most 30 days, not '45d'", refused.refusal(),
                "delivered with the reason, so the comment can be answered");

        byte[] unknown = commentSaying("/preview nap");
        intake.accept(signed("issue_comment", "d-nap", unknown), unknown);
        assertTrue(((RepoEvent.PreviewCommand) queued.getLast()).refusal().startsWith("unknown command 'nap'"));

        byte[] approve = commentSaying("/preview Approve");
        intake.accept(signed("issue_comment", "d-approve", approve), approve);
        assertInstanceOf(RepoEvent.Approval.class, queued.getLast(), "approve stays an approval");

        int before = queued.size();
        byte[] chatter = commentSaying("I'll /preview sleep it later");
        assertInstanceOf(Outcome.Ignored.class, intake.accept(signed("issue_comment", "d-chatter", chatter), chatter));
        byte[] onAnIssue = variant("issue_comment.preview-sleep.json", p -> at(p, "issue").remove("pull_request"));
        assertInstanceOf(Outcome.Ignored.class, intake.accept(signed("issue_comment", "d-issue", onAnIssue), onAnIssue));
        byte[] edited = variant("issue_comment.preview-sleep.json", p -> p.put("action", "edited"));
        assertInstanceOf(Outcome.Ignored.class, intake.accept(signed("issue_comment", "d-edited", edited), edited));
        assertEquals(before, queued.size());

        byte[] noId = variant("issue_comment.preview-sleep.json", p -> at(p, "comment").remove("id"));
        assertEquals(400, intake.accept(signed("issue_comment", "d-no-id", noId), noId).status(), "a command needs its comment");
    }

    private static byte[] commentSaying(String body) throws IOException {
        return variant("issue_comment.preview-sleep.json", p -> at(p, "comment").put("body", body));
    }

    @Test
    void installationEventsNameTheRepositoriesAnInstallationServesOrNoLongerServes() throws IOException {
        byte[] created = Files.readAllBytes(PAYLOADS.resolve("installation.created.json"));
        intake.accept(signed("installation", "d-install", created), created);
        assertEquals(new RepoEvent.Installation("d-install", InstallationId.of(957387), "created",
                List.of("Codertocat/Hello-World"), List.of()), queued.getLast());

        byte[] deleted = variant("installation.created.json", p -> p.put("action", "deleted"));
        intake.accept(signed("installation", "d-uninstall", deleted), deleted);
        assertEquals(List.of("Codertocat/Hello-World"), ((RepoEvent.Installation) queued.getLast()).removed());

        byte[] moved = variant("installation.created.json", p -> {
            p.put("action", "removed");
            p.set("repositories_removed", p.remove("repositories"));
        });
        intake.accept(signed("installation_repositories", "d-removed", moved), moved);
        assertEquals(new RepoEvent.Installation("d-removed", InstallationId.of(957387), "removed", List.of(),
                List.of("Codertocat/Hello-World")), queued.getLast());
    }

    private static byte[] variant(String file, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> change)
            throws IOException {
        var payload = (com.fasterxml.jackson.databind.node.ObjectNode) dev.platform.core.json.Json.MAPPER.readTree(
                Files.readAllBytes(PAYLOADS.resolve(file)));
        change.accept(payload);
        return dev.platform.core.json.Json.MAPPER.writeValueAsBytes(payload);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode at(com.fasterxml.jackson.databind.node.ObjectNode node, String... path) {
        for (String name : path) {
            node = (com.fasterxml.jackson.databind.node.ObjectNode) node.get(name);
        }
        return node;
    }

    @Test
    void aFormEncodedDeliveryIsVerifiedOnItsRawBodyThenDecoded() throws IOException {
        byte[] json = Files.readAllBytes(PAYLOADS.resolve("pull_request.opened.json"));
        byte[] form = ("payload=" + java.net.URLEncoder.encode(new String(json, StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
        Map<String, String> headers = signed("pull_request", "d-form", form);
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        assertEquals(202, intake.accept(headers, form).status());
        assertEquals(2, ((RepoEvent.PullRequest) queued.get(0)).number().value());
        queued.clear();

        Map<String, String> signedOverTheJson = signed("pull_request", "d-form-2", json);
        signedOverTheJson.put("Content-Type", "application/x-www-form-urlencoded");
        assertRejected(401, "invalid_signature", intake.accept(signedOverTheJson, form));

        byte[] noPayload = "other=1".getBytes(StandardCharsets.US_ASCII);
        Map<String, String> withoutPayload = signed("pull_request", "d-form-3", noPayload);
        withoutPayload.put("Content-Type", "application/x-www-form-urlencoded");
        Outcome outcome = intake.accept(withoutPayload, noPayload);
        assertRejected(400, "malformed_payload", outcome);
        assertTrue(((Outcome.Rejected) outcome).message().contains("'payload'"), outcome.toString());
    }

    @Test
    void trailingDataAfterTheJsonIs400() throws IOException {
        byte[] json = Files.readAllBytes(PAYLOADS.resolve("pull_request.opened.json"));
        byte[] body = (new String(json, StandardCharsets.UTF_8) + " {\"more\":1}").getBytes(StandardCharsets.UTF_8);
        assertRejected(400, "malformed_payload", intake.accept(signed("pull_request", "d-trailing", body), body));
    }

    @Test
    void wrongTypesAre400NamingTheFullPath() throws IOException {
        byte[] draftYes = variant("pull_request.opened.json", p -> at(p, "pull_request").put("draft", "yes"));
        Outcome outcome = intake.accept(signed("pull_request", "d-draft", draftYes), draftYes);
        assertRejected(400, "malformed_payload", outcome);
        assertTrue(((Outcome.Rejected) outcome).message().contains("'pull_request.draft'"), outcome.toString());

        byte[] shaNumber = variant("pull_request.opened.json", p -> at(p, "pull_request", "head").put("sha", 5));
        outcome = intake.accept(signed("pull_request", "d-sha", shaNumber), shaNumber);
        assertRejected(400, "malformed_payload", outcome);
        assertTrue(((Outcome.Rejected) outcome).message().contains("'pull_request.head.sha'"), outcome.toString());

        byte[] deletedString = variant("push.json", p -> p.put("deleted", "false"));
        outcome = intake.accept(signed("push", "d-deleted", deletedString), deletedString);
        assertRejected(400, "malformed_payload", outcome);
        assertTrue(((Outcome.Rejected) outcome).message().contains("'deleted'"), outcome.toString());
    }

    @Test
    void pushedAtAsAnIsoStringIsReadAsATime() throws IOException {
        byte[] body = variant("push.with-new-branch.json", p -> at(p, "repository").put("pushed_at", "2019-05-15T15:20:57Z"));
        assertEquals(202, intake.accept(signed("push", "d-iso", body), body).status());
        assertEquals(Instant.parse("2019-05-15T15:20:57Z").getEpochSecond(), ((RepoEvent.Push) queued.get(0)).pushedAt());
        queued.clear();
        byte[] garbage = variant("push.with-new-branch.json", p -> at(p, "repository").put("pushed_at", "yesterday"));
        Outcome outcome = intake.accept(signed("push", "d-garbage", garbage), garbage);
        assertRejected(400, "malformed_payload", outcome);
        assertTrue(((Outcome.Rejected) outcome).message().contains("'repository.pushed_at'"), outcome.toString());
    }

    @Test
    void fieldsBeyondGitHubsLimitsAre422NotRetryable() throws IOException {
        byte[] longRepository = variant("pull_request.opened.json", p -> at(p, "repository").put("full_name", "o/" + "r".repeat(200)));
        Outcome outcome = intake.accept(signed("pull_request", "d-long-repo", longRepository), longRepository);
        assertRejected(422, "unprocessable_delivery", outcome);
        assertTrue(((Outcome.Rejected) outcome).message().contains("'repository.full_name'"), outcome.toString());

        byte[] longRef = variant("pull_request.opened.json", p -> at(p, "pull_request", "head").put("ref", "b".repeat(400)));
        outcome = intake.accept(signed("pull_request", "d-long-ref", longRef), longRef);
        assertRejected(422, "unprocessable_delivery", outcome);
        assertTrue(((Outcome.Rejected) outcome).message().contains("'pull_request.head.ref'"), outcome.toString());
    }

    @Test
    void theLargestAcceptedEventFitsAQueueMessage() throws IOException {
        byte[] body = variant("pull_request.opened.json", p -> {
            at(p, "repository").put("full_name", "o".repeat(39) + "/" + "r".repeat(100));
            at(p, "pull_request", "head").put("ref", "é".repeat(GitHubPayloads.MAX_REF_BYTES / 2));
            at(p, "pull_request", "base").put("ref", "b".repeat(GitHubPayloads.MAX_REF_BYTES));
        });
        String deliveryId = "d".repeat(128);
        assertEquals(202, intake.accept(signed("pull_request", deliveryId, body), body).status());
        int size = dev.platform.core.repoevent.RepoEventCodec.write(queued.get(0)).getBytes(StandardCharsets.UTF_8).length;
        assertTrue(size < dev.platform.core.repoevent.RepoEventQueue.MAX_MESSAGE_BYTES, size + " bytes");
    }

    private void assertRejected(int status, String code, Outcome outcome) {
        Outcome.Rejected rejected = assertInstanceOf(Outcome.Rejected.class, outcome);
        assertEquals(status, rejected.status());
        assertEquals(code, rejected.code());
        assertTrue(queued.isEmpty(), "nothing may be queued for a rejected delivery");
    }

    static Map<String, String> signed(String event, String delivery, byte[] body) {
        Map<String, String> headers = AcceptGitHubDelivery.headers(Map.of(
                "X-GitHub-Event", event,
                "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", WebhookSignature.sign(SECRET, body)));
        return headers;
    }
}
