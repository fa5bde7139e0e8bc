package dev.platform.functions.previeworchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.LoopbackAws.Answer;
import dev.platform.aws.priming.LoopbackAws;
import dev.platform.core.ids.CommitSha;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.repoevent.PullRequestAction;
import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.repoevent.RepoEventCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SnapStart hooks, called directly. The handler under test has its table on a recorder (which
 * knows no project) and its bus replaced by a list, so any read, write or event the hooks cause
 * through the real handler shows up there.
 */
class PreviewOrchestratorPrimingTest {
    private LoopbackAws realServices;
    private PreviewOrchestratorHandler handler;

    @BeforeEach
    void start() {
        realServices = LoopbackAws.start(call -> switch (call.target()) {
            case "DynamoDB_20120810.Query" -> Answer.ok("{\"Items\":[],\"Count\":0,\"ScannedCount\":0}");
            default -> Answer.error(400, "UnexpectedCall", "the test does not expect " + call.target());
        });
        handler = new PreviewOrchestratorHandler(new PlatformConfig(Map.of(
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_ENDPOINT_URL", realServices.endpoint().toString(),
                PlatformConfig.TABLE_NAME, "platform",
                PlatformConfig.EVENT_BUS_NAME, "platform")));
    }

    @AfterEach
    void stop() {
        realServices.close();
    }

    @Test
    void beforeCheckpointRunsTheOrchestrationPathWithoutCallingTheRealServices() {
        handler.priming.beforeCheckpoint(null);

        // one batch: the repository's projects once, each state read and committed, the events published
        // together, each state's outbox cleared
        assertEquals(List.of("Query", "GetItem", "UpdateItem", "GetItem", "UpdateItem", "PutEvents", "UpdateItem", "UpdateItem"),
                handler.priming.primedOperations(),
                "a pull request and a production push each went through the whole path of the priming copy");
        assertEquals(List.of(), realServices.calls(), "priming must not read or write the real table");
        assertTrue(realServices.operations().stream().noneMatch("PutEvents"::equals),
                "priming must not publish on the real bus");
    }

    @Test
    void afterRestoreLeavesTheHandlerOnItsOwnServices() {
        handler.priming.beforeCheckpoint(null);
        handler.priming.afterRestore(null);

        SQSEvent batch = new SQSEvent();
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("m-1");
        message.setBody(RepoEventCodec.write(new RepoEvent.PullRequest("d-1", "octo/unlinked", null,
                PullRequestAction.OPENED, PrNumber.of(7), CommitSha.of("0123456789abcdef0123456789abcdef01234567"), "feature", "main",
                Instant.parse("2024-05-01T10:00:00Z"), false, false)));
        message.setAttributes(Map.of("MessageGroupId", "octo/unlinked#pr-7"));
        batch.setRecords(List.of(message));

        assertTrue(handler.handleRequest(batch, null).getBatchItemFailures().isEmpty());
        assertEquals(List.of("Query"), realServices.operations(), "the real handler looked up the repository's projects");
        assertTrue(realServices.calls().getFirst().body().contains("REPO#octo/unlinked"));
    }
}
