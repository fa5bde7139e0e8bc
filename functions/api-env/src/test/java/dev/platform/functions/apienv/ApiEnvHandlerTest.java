package dev.platform.functions.apienv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.aws.dynamodb.DynamoApiStore;
import dev.platform.core.api.ApiContext;
import dev.platform.core.api.Bootstrap;
import dev.platform.core.api.Secrets;
import dev.platform.core.json.Json;
import dev.platform.embedded.EmbeddedPlatform;
import dev.platform.embedded.EmbeddedTable;
import dev.platform.embedded.PrimingCheck;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample proxy event ({@code GET /v1/projects/hello-world/env?scope=preview}): the project's variables (none yet) to a
 * member, a 404 to anyone else; no key is used to list nothing.
 */
class ApiEnvHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));
    private static EmbeddedTable table;

    @BeforeAll
    static void start() {
        table = EmbeddedTable.start();
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    private static APIGatewayProxyRequestEvent sample(String userId) throws Exception {
        try (InputStream in = Files.newInputStream(ROOT.resolve("events/lambda/api-env.json"))) {
            APIGatewayProxyRequestEvent event = LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class,
                    ApiEnvHandlerTest.class.getClassLoader()).fromJson(in);
            event.getRequestContext().getAuthorizer().put("userId", userId);
            return event;
        }
    }

    @Test
    void theSampleListsTheProjectsVariablesToAMemberAndIsA404ToAStranger() throws Exception {
        DynamoApiStore store = new DynamoApiStore(table.client(), table.name());
        Bootstrap.Result owner = new Bootstrap(new ApiContext(store, Clock.systemUTC()))
                .ensure(EmbeddedPlatform.DEMO_TEAM_ID, "Demo team", "Sample", "sample@example.com", Secrets.newToken());
        EmbeddedPlatform.seed(table.client(), table.name(), EmbeddedPlatform.demoProject("octo-org/hello-world", "main"), Instant.now());
        ApiEnvHandler handler = new ApiEnvHandler(table.config(Map.of()));

        APIGatewayProxyResponseEvent answer = handler.handleRequest(sample(owner.user().userId()), null);
        assertEquals(200, answer.getStatusCode(), answer.getBody());
        JsonNode page = Json.MAPPER.readTree(answer.getBody());
        assertTrue(page.path("items").isArray() && page.path("items").isEmpty(), "no variable yet: " + page);
        assertTrue(page.path("nextCursor").isNull());

        APIGatewayProxyResponseEvent stranger = handler.handleRequest(sample("usr_SomeoneElse0000000000"), null);
        assertEquals(404, stranger.getStatusCode());
        assertEquals("not_found", Json.MAPPER.readTree(stranger.getBody()).path("error").path("code").asText());
    }

    @Test
    void snapStartPrimingLooksUpTheProjectOnItsLoopbackCopyOnly() {
        assertEquals(List.of("GetItem"), PrimingCheck.primedOperations(config -> new ApiEnvHandler(config).priming));
    }
}
