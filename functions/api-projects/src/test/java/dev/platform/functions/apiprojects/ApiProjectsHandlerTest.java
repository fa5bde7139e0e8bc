package dev.platform.functions.apiprojects;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.aws.dynamodb.DynamoApiStore;
import dev.platform.core.api.ApiContext;
import dev.platform.core.api.Bootstrap;
import dev.platform.core.api.Project;
import dev.platform.core.api.Secrets;
import dev.platform.core.ids.ProjectId;
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

/**
 * The sample proxy event ({@code POST /v1/teams/demo-team/projects}, project "Web" on {@code octo-org/web}): created
 * and stored with its settings for the team's owner; the same slug again is a 409; a non-member gets a 404.
 */
class ApiProjectsHandlerTest {
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
        try (InputStream in = Files.newInputStream(ROOT.resolve("events/lambda/api-projects.json"))) {
            APIGatewayProxyRequestEvent event = LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class,
                    ApiProjectsHandlerTest.class.getClassLoader()).fromJson(in);
            event.getRequestContext().getAuthorizer().put("userId", userId);
            return event;
        }
    }

    @Test
    void theSampleCreatesTheProjectOnceForTheOwnerAndIsA404ToAStranger() throws Exception {
        DynamoApiStore store = new DynamoApiStore(table.client(), table.name());
        Bootstrap.Result owner = new Bootstrap(new ApiContext(store, Clock.systemUTC()))
                .ensure("demo-team", "Demo team", "Sample", "sample@example.com", Secrets.newToken());
        ApiProjectsHandler handler = new ApiProjectsHandler(table.config(Map.of()));

        APIGatewayProxyResponseEvent created = handler.handleRequest(sample(owner.user().userId()), null);
        assertEquals(201, created.getStatusCode(), created.getBody());
        assertEquals("\"r1\"", created.getHeaders().get("ETag"));
        JsonNode body = Json.MAPPER.readTree(created.getBody());
        Project stored = store.project(ProjectId.of(body.path("projectId").asText())).orElseThrow();
        assertEquals("web", stored.slug());
        assertEquals("octo-org/web", stored.repository());
        assertEquals(8080, stored.deploy().port());

        APIGatewayProxyResponseEvent again = handler.handleRequest(sample(owner.user().userId()), null);
        assertEquals(409, again.getStatusCode());
        assertEquals("slug_taken", Json.MAPPER.readTree(again.getBody()).path("error").path("code").asText());

        APIGatewayProxyResponseEvent stranger = handler.handleRequest(sample("usr_SomeoneElse0000000000"), null);
        assertEquals(404, stranger.getStatusCode());
        assertEquals(1, store.projects("demo-team", null, 10).items().size(), "nothing more was made");
    }

    @Test
    void snapStartPrimingReadsTheProjectOnItsLoopbackCopyOnly() {
        assertEquals(List.of("GetItem"), PrimingCheck.primedOperations(config -> new ApiProjectsHandler(config).priming));
    }
}
