package dev.platform.aws.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.config.SecretParameters;
import dev.platform.core.config.SecretParameters.ParameterConflictException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * What {@link SsmSecretParameters} must do against any SSM: moto in this module's contract test, the local
 * runtime's stand-in in the local module (through this module's test-jar). Every test works under a project path
 * of its own, because the SSM behind it is shared and keeps what earlier tests wrote.
 */
public abstract class SecretParametersContract {
    private final String project = "/platform/p" + UUID.randomUUID().toString().substring(0, 8);

    /** A client of the SSM under test. */
    protected abstract SsmClient ssm();

    private SecretParameters parameters() {
        return new SsmSecretParameters(ssm(), Optional.empty());
    }

    @Test
    public void putAnswersTheArnOfASecureStringHoldingTheValue() {
        String name = project + "/pr-1/DATABASE_URL/v1";
        String arn = parameters().put(name, "postgres://secret", Map.of("platform:project", "p1"));

        assertTrue(arn.matches("arn:aws:ssm:us-east-1:\\d{12}:parameter" + name), arn);
        Parameter stored = ssm().getParameter(r -> r.name(name).withDecryption(true)).parameter();
        assertEquals(ParameterType.SECURE_STRING, stored.type());
        assertEquals("postgres://secret", stored.value());
        assertEquals(arn, stored.arn());
    }

    @Test
    public void theSameValueAgainIsTheSameParameter() {
        String name = project + "/pr-1/API_KEY/v1";
        String first = parameters().put(name, "k-123", Map.of());
        assertEquals(first, parameters().put(name, "k-123", Map.of()), "a retried write succeeds with the same ARN");
        assertEquals(1L, ssm().getParameter(r -> r.name(name)).parameter().version(), "and writes nothing");
    }

    @Test
    public void aDifferentValueForAnExistingVersionIsRefusedAndChangesNothing() {
        String name = project + "/pr-1/API_KEY/v2";
        parameters().put(name, "k-first", Map.of());

        ParameterConflictException refused = assertThrows(ParameterConflictException.class,
                () -> parameters().put(name, "k-second", Map.of()));
        assertEquals(name, refused.name());
        assertFalse(refused.getMessage().contains("k-second") || refused.getMessage().contains("k-first"),
                "an error never quotes a value");
        assertEquals("k-first", ssm().getParameter(r -> r.name(name).withDecryption(true)).parameter().value());
    }

    @Test
    public void namesUnderListsThatPathAtEveryDepthAndNotASiblingWithTheSamePrefix() {
        parameters().put(project + "/pr-1/A/v1", "a", Map.of());
        parameters().put(project + "/pr-1/B/v1", "b1", Map.of());
        parameters().put(project + "/pr-1/B/v2", "b2", Map.of());
        parameters().put(project + "/pr-10/A/v1", "sibling", Map.of());

        List<String> expected = List.of(project + "/pr-1/A/v1", project + "/pr-1/B/v1", project + "/pr-1/B/v2");
        assertEquals(expected, parameters().namesUnder(project + "/pr-1"));
        assertEquals(expected, parameters().namesUnder(project + "/pr-1/"), "a trailing slash is the same path");
        assertEquals(List.of(project + "/pr-10/A/v1"), parameters().namesUnder(project + "/pr-10"));
        assertEquals(List.of(), parameters().namesUnder(project + "/pr-2"));
    }

    @Test
    public void deleteUnderRemovesEveryParameterOfThePathInBatchesAndCountsThem() {
        // 23: more than two DeleteParameters calls' worth, and more than two GetParametersByPath pages
        IntStream.rangeClosed(1, 23).forEach(i -> parameters().put(project + "/pr-7/VAR_" + i + "/v1", "value-" + i, Map.of()));
        parameters().put(project + "/pr-70/KEEP/v1", "kept", Map.of());
        assertEquals(23, parameters().namesUnder(project + "/pr-7").size(), "every page is read");

        assertEquals(23, parameters().deleteUnder(project + "/pr-7"));
        assertEquals(List.of(), parameters().namesUnder(project + "/pr-7"));
        assertEquals(List.of(project + "/pr-70/KEEP/v1"), parameters().namesUnder(project + "/pr-70"), "a sibling is kept");
        assertEquals(0, parameters().deleteUnder(project + "/pr-7"), "a repeated teardown finds nothing and succeeds");
    }
}
