package dev.platform.local.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.ssm.SsmSecretParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DeleteParametersResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** The local SSM's state on disk, its paging and its errors, as the SDK client sees them. */
class LocalSsmTest {
    @TempDir
    Path dataDir;

    static SsmClient client(LocalSsm ssm) {
        return SsmClient.builder().endpointOverride(ssm.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @Test
    void parametersOutliveARestartWithTheSameDataDir() throws IOException {
        String arn;
        try (LocalSsm ssm = LocalSsm.start(dataDir); SsmClient client = client(ssm)) {
            arn = new SsmSecretParameters(client, Optional.empty()).put("/platform/p1/pr-1/DB_PASSWORD/v1", "hunter2", Map.of("platform:project", "p1"));
        }
        try (LocalSsm ssm = LocalSsm.start(dataDir); SsmClient client = client(ssm)) {
            Parameter stored = client.getParameter(r -> r.name("/platform/p1/pr-1/DB_PASSWORD/v1").withDecryption(true)).parameter();
            assertEquals("hunter2", stored.value());
            assertEquals(ParameterType.SECURE_STRING, stored.type());
            assertEquals(arn, stored.arn());
            assertEquals(Optional.of("hunter2"), ssm.value(arn), "ECS resolves valueFrom by ARN");
            assertEquals(Optional.of("hunter2"), ssm.value("/platform/p1/pr-1/DB_PASSWORD/v1"), "or by name");
            assertEquals(Optional.empty(), ssm.value("/platform/p1/pr-1/MISSING/v1"));
            assertThrows(ParameterAlreadyExistsException.class, () -> client.putParameter(r -> r.name("/platform/p1/pr-1/DB_PASSWORD/v1")
                    .value("other").type(ParameterType.SECURE_STRING)), "the version is still there: no overwrite");
        }
    }

    @Test
    void theFilesAreTheOwnersOnlyAndTheStateHoldsNoPlaintext() throws IOException {
        try (LocalSsm ssm = LocalSsm.start(dataDir); SsmClient client = client(ssm)) {
            new SsmSecretParameters(client, Optional.empty()).put("/platform/p1/production/STRIPE_KEY/v1", "sk_live_plaintext_marker", Map.of());
            Parameter undecrypted = client.getParameter(r -> r.name("/platform/p1/production/STRIPE_KEY/v1")).parameter();
            assertNotEquals("sk_live_plaintext_marker", undecrypted.value(), "without WithDecryption, a SecureString is ciphertext");
        }
        Path dir = dataDir.resolve("ssm");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("store.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("parameters.json"))));
        String state = Files.readString(dir.resolve("parameters.json"), StandardCharsets.UTF_8);
        assertTrue(state.contains("/platform/p1/production/STRIPE_KEY/v1"), state);
        assertFalse(state.contains("sk_live_plaintext_marker"), "the value is sealed at rest");
    }

    @Test
    void aStateWithoutItsKeyRefusesToStartRatherThanLoseItsValues() throws IOException {
        try (LocalSsm ssm = LocalSsm.start(dataDir); SsmClient client = client(ssm)) {
            new SsmSecretParameters(client, Optional.empty()).put("/platform/p1/pr-1/A/v1", "a", Map.of());
        }
        Files.delete(dataDir.resolve("ssm/store.key"));
        IOException refused = assertThrows(IOException.class, () -> LocalSsm.start(dataDir));
        assertTrue(refused.getMessage().contains("store.key"), refused.getMessage());
    }

    @Test
    void getParametersByPathPagesTenAtATimeAndRecursiveGoesDeeper() throws IOException {
        try (LocalSsm ssm = LocalSsm.start(null); SsmClient client = client(ssm)) {
            IntStream.rangeClosed(1, 25).forEach(i -> client.putParameter(r -> r.name("/platform/p1/pr-1/VAR_" + i)
                    .value("v" + i).type(ParameterType.SECURE_STRING)));
            client.putParameter(r -> r.name("/platform/p1/pr-1/VAR_1/v1").value("deeper").type(ParameterType.SECURE_STRING));

            GetParametersByPathResponse first = client.getParametersByPath(r -> r.path("/platform/p1/pr-1").recursive(true));
            assertEquals(10, first.parameters().size());
            assertNotNullToken(first);
            GetParametersByPathResponse second = client.getParametersByPath(r -> r.path("/platform/p1/pr-1").recursive(true)
                    .maxResults(10).nextToken(first.nextToken()));
            assertEquals(10, second.parameters().size());
            assertTrue(second.parameters().get(0).name().compareTo(first.parameters().get(9).name()) > 0, "the next page goes on");

            List<String> all = client.getParametersByPathPaginator(r -> r.path("/platform/p1/pr-1").recursive(true).maxResults(7))
                    .stream().flatMap(page -> page.parameters().stream()).map(Parameter::name).toList();
            assertEquals(26, all.size());
            assertEquals(26, all.stream().distinct().count(), "no parameter on two pages");
            assertEquals(25L, client.getParametersByPathPaginator(r -> r.path("/platform/p1/pr-1").recursive(false))
                    .stream().mapToLong(page -> page.parameters().size()).sum(), "without Recursive, one level only");

            SsmException tooMany = assertThrows(SsmException.class,
                    () -> client.getParametersByPath(r -> r.path("/platform/p1/pr-1").maxResults(11)));
            assertEquals("ValidationException", tooMany.awsErrorDetails().errorCode());
        }
    }

    private static void assertNotNullToken(GetParametersByPathResponse page) {
        assertTrue(page.nextToken() != null && !page.nextToken().isEmpty(), "a full page with more to come has a token");
    }

    @Test
    void deletesAnswerAsSsmDoes() throws IOException {
        try (LocalSsm ssm = LocalSsm.start(null); SsmClient client = client(ssm)) {
            client.putParameter(r -> r.name("/platform/p1/pr-1/A/v1").value("a").type(ParameterType.SECURE_STRING));
            client.putParameter(r -> r.name("/platform/p1/pr-1/B/v1").value("b").type(ParameterType.STRING));

            DeleteParametersResponse deleted = client.deleteParameters(r -> r.names("/platform/p1/pr-1/A/v1", "/platform/p1/pr-1/NONE/v1"));
            assertEquals(List.of("/platform/p1/pr-1/A/v1"), deleted.deletedParameters());
            assertEquals(List.of("/platform/p1/pr-1/NONE/v1"), deleted.invalidParameters(), "unknown names are listed, not an error");

            SsmException overLimit = assertThrows(SsmException.class, () -> client.deleteParameters(r -> r.names(
                    IntStream.rangeClosed(1, 11).mapToObj(i -> "/platform/p1/pr-1/X" + i).toList())));
            assertEquals("ValidationException", overLimit.awsErrorDetails().errorCode(), "at most 10 names per call, as in SSM");

            client.deleteParameter(r -> r.name("/platform/p1/pr-1/B/v1"));
            assertThrows(ParameterNotFoundException.class, () -> client.deleteParameter(r -> r.name("/platform/p1/pr-1/B/v1")));
            assertThrows(ParameterNotFoundException.class, () -> client.getParameter(r -> r.name("/platform/p1/pr-1/A/v1")));
            assertNull(client.getParametersByPath(r -> r.path("/platform/p1").recursive(true)).nextToken());
            assertEquals(0, client.getParametersByPath(r -> r.path("/platform/p1").recursive(true)).parameters().size());
        }
    }
}
