package dev.platform.functions.apiusers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.aws.dynamodb.DynamoApiStore;
import dev.platform.core.api.Accounts.ApiToken;
import dev.platform.core.api.Accounts.User;
import dev.platform.core.api.Secrets;
import dev.platform.core.json.Json;
import dev.platform.embedded.EmbeddedTable;
import dev.platform.embedded.PrimingCheck;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sample proxy event, as API Gateway passes it after the authorizer: the caller's user; without a caller, 401. */
class ApiUsersHandlerTest {
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

    private static APIGatewayProxyRequestEvent sample() throws Exception {
        try (InputStream in = Files.newInputStream(ROOT.resolve("events/lambda/api-users.json"))) {
            return LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class,
                    ApiUsersHandlerTest.class.getClassLoader()).fromJson(in);
        }
    }

    @Test
    void theSampleAnswersTheCallersUserAndNoCallerIsA401() throws Exception {
        Instant now = Instant.now();
        new DynamoApiStore(table.client(), table.name()).createUser(
                new User("usr_SampleUser000000000000", "Sample", "sample@example.com", now),
                new ApiToken("tok_SampleToken00000000000", Secrets.hash(Secrets.newToken()), "usr_SampleUser000000000000", "sample",
                        "plat_Samp", now, null, null), Optional.empty());
        ApiUsersHandler handler = new ApiUsersHandler(table.config(Map.of()));

        APIGatewayProxyResponseEvent answer = handler.handleRequest(sample(), null);
        assertEquals(200, answer.getStatusCode(), answer.getBody());
        JsonNode user = Json.MAPPER.readTree(answer.getBody());
        assertEquals("usr_SampleUser000000000000", user.path("userId").asText());
        assertEquals("sample@example.com", user.path("email").asText());
        assertEquals("application/json", answer.getHeaders().get("Content-Type"));

        APIGatewayProxyRequestEvent anonymous = sample();
        anonymous.getRequestContext().setAuthorizer(null);
        APIGatewayProxyResponseEvent refused = handler.handleRequest(anonymous, null);
        assertEquals(401, refused.getStatusCode());
        assertEquals("unauthorized", Json.MAPPER.readTree(refused.getBody()).path("error").path("code").asText());
    }

    @Test
    void snapStartPrimingReadsTheUserOnItsLoopbackCopyOnly() {
        assertEquals(List.of("GetItem"), PrimingCheck.primedOperations(config -> new ApiUsersHandler(config).priming));
    }
}
