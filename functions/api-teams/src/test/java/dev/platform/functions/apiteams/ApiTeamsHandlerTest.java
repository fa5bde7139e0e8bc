package dev.platform.functions.apiteams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.aws.dynamodb.DynamoApiStore;
import dev.platform.core.api.ApiContext;
import dev.platform.core.api.Bootstrap;
import dev.platform.core.api.Secrets;
import dev.platform.core.json.Json;
import dev.platform.embedded.EmbeddedTable;
import dev.platform.embedded.PrimingCheck;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sample proxy event ({@code GET /v1/teams/demo-team}): the team to its member, a 404 to anyone else. */
class ApiTeamsHandlerTest {
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
        try (InputStream in = Files.newInputStream(ROOT.resolve("events/lambda/api-teams.json"))) {
            APIGatewayProxyRequestEvent event = LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class,
                    ApiTeamsHandlerTest.class.getClassLoader()).fromJson(in);
            event.getRequestContext().getAuthorizer().put("userId", userId);
            return event;
        }
    }

    @Test
    void theSampleAnswersTheTeamToItsMemberAndA404ToAnyoneElse() throws Exception {
        Bootstrap.Result owner = new Bootstrap(new ApiContext(new DynamoApiStore(table.client(), table.name()), Clock.systemUTC()))
                .ensure("demo-team", "Demo team", "Sample", "sample@example.com", Secrets.newToken());
        ApiTeamsHandler handler = new ApiTeamsHandler(table.config(Map.of()));

        APIGatewayProxyResponseEvent answer = handler.handleRequest(sample(owner.user().userId()), null);
        assertEquals(200, answer.getStatusCode(), answer.getBody());
        JsonNode team = Json.MAPPER.readTree(answer.getBody());
        assertEquals("demo-team", team.path("teamId").asText());
        assertEquals("owner", team.path("role").asText());

        APIGatewayProxyResponseEvent stranger = handler.handleRequest(sample("usr_SomeoneElse0000000000"), null);
        assertEquals(404, stranger.getStatusCode());
        assertEquals("not_found", Json.MAPPER.readTree(stranger.getBody()).path("error").path("code").asText());
    }

    @Test
    void snapStartPrimingReadsTheTeamOnItsLoopbackCopyOnly() {
        assertEquals(List.of("GetItem"), PrimingCheck.primedOperations(config -> new ApiTeamsHandler(config).priming));
    }
}
