package dev.platform.functions.apiauthorizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.platform.aws.dynamodb.DynamoApiStore;
import dev.platform.core.api.Accounts.ApiToken;
import dev.platform.core.api.Accounts.User;
import dev.platform.core.api.Secrets;
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

/**
 * The authorizer on the sample REQUEST event: the sample token's user is allowed on the whole API with the caller in
 * the context; the same event once the token is revoked, or with another token, is denied alike.
 */
class ApiAuthorizerHandlerTest {
    private static final Path ROOT = Path.of(System.getProperty("platform.repo.root", "../.."));
    private static final String SAMPLE_TOKEN = "plat_SampleToken0123456789abcdefghijklmnopqrstuv";
    private static EmbeddedTable table;

    @BeforeAll
    static void start() {
        table = EmbeddedTable.start();
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    private static APIGatewayCustomAuthorizerEvent sample() throws Exception {
        try (InputStream in = Files.newInputStream(ROOT.resolve("events/lambda/api-authorizer.json"))) {
            return LambdaEventSerializers.serializerFor(APIGatewayCustomAuthorizerEvent.class,
                    ApiAuthorizerHandlerTest.class.getClassLoader()).fromJson(in);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statement(Map<String, Object> answer) {
        return ((List<Map<String, Object>>) ((Map<String, Object>) answer.get("policyDocument")).get("Statement")).get(0);
    }

    @Test
    void theSampleTokenIsAllowedOnTheWholeApiUntilItIsRevoked() throws Exception {
        DynamoApiStore store = new DynamoApiStore(table.client(), table.name());
        Instant now = Instant.now();
        ApiToken token = new ApiToken("tok_SampleToken00000000000", Secrets.hash(SAMPLE_TOKEN), "usr_SampleUser000000000000",
                "sample", SAMPLE_TOKEN.substring(0, 9), now, null, null);
        store.createUser(new User("usr_SampleUser000000000000", "Sample", "sample@example.com", now), token, Optional.empty());
        ApiAuthorizerHandler handler = new ApiAuthorizerHandler(table.config(Map.of()));

        Map<String, Object> allowed = handler.handleRequest(sample(), null);
        assertEquals("usr_SampleUser000000000000", allowed.get("principalId"));
        assertEquals("Allow", statement(allowed).get("Effect"));
        // cached per token for every route: the policy names the whole stage
        assertEquals("arn:aws:execute-api:us-east-1:000000000000:abcdef1234/api/*", statement(allowed).get("Resource"));
        assertEquals(Map.of("userId", "usr_SampleUser000000000000", "tokenId", "tok_SampleToken00000000000"), allowed.get("context"));
        assertFalse(store.tokenByHash(token.hash()).orElseThrow().lastUsedAt() == null, "its use is recorded");

        APIGatewayCustomAuthorizerEvent other = sample();
        other.setHeaders(Map.of("authorization", "Bearer " + Secrets.newToken()));
        Map<String, Object> unknown = handler.handleRequest(other, null);
        store.revokeToken(token, List.of());
        Map<String, Object> revoked = handler.handleRequest(sample(), null);
        for (Map<String, Object> denied : List.of(unknown, revoked)) {
            assertEquals("Deny", statement(denied).get("Effect"));
            assertEquals("anonymous", denied.get("principalId"));
            assertFalse(denied.containsKey("context"));
        }
    }

    @Test
    void snapStartPrimingLooksUpATokenOnItsLoopbackCopyOnly() {
        assertEquals(List.of("GetItem"), PrimingCheck.primedOperations(config -> new ApiAuthorizerHandler(config).priming));
    }
}
