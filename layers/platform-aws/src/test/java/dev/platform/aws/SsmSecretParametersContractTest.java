package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.ssm.SecretParametersContract;
import dev.platform.aws.ssm.SsmSecretParameters;
import dev.platform.topology.Settings;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.Tag;

/**
 * The SSM adapter against the AWS API emulator (moto): the shared contract, plus what only the emulator answers
 * (tags and the parameter's KMS key, which the local stand-in does not report).
 */
class SsmSecretParametersContractTest extends SecretParametersContract {
    private static final PlatformConfig CONFIG = AwsEmulator.config(Map.of());
    private static final SsmClient SSM = AwsModule.ssm(CONFIG, AwsModule.credentials(CONFIG));

    @Override
    protected SsmClient ssm() {
        return SSM;
    }

    @Test
    void theTagsAreStoredWithTheParameter() {
        String name = "/platform/p" + UUID.randomUUID().toString().substring(0, 8) + "/production/TOKEN/v1";
        SsmSecretParameters.fromConfig(SSM, CONFIG).put(name, "t", Map.of("platform:project", "p1", "platform:environment", "production"));

        assertEquals(Map.of("platform:project", "p1", "platform:environment", "production"),
                SSM.listTagsForResource(r -> r.resourceType(ResourceTypeForTagging.PARAMETER).resourceId(name)).tagList()
                        .stream().collect(Collectors.toMap(Tag::key, Tag::value)));
    }

    @Test
    void envParameterKeyIdEncryptsWithThatKeyAndUnsetMeansTheAccountsSsmKey() {
        String base = "/platform/p" + UUID.randomUUID().toString().substring(0, 8) + "/production";
        PlatformConfig withKey = AwsEmulator.config(Map.of(Settings.ENV_PARAMETER_KEY_ID, "alias/platform-env"));
        SsmSecretParameters.fromConfig(SSM, withKey).put(base + "/WITH_KEY/v1", "a", Map.of());
        SsmSecretParameters.fromConfig(SSM, CONFIG).put(base + "/DEFAULT_KEY/v1", "b", Map.of());

        assertEquals("alias/platform-env", keyId(base + "/WITH_KEY/v1"));
        // moto reports no key for the default, where SSM reports alias/aws/ssm: either way, none was sent
        String defaultKey = keyId(base + "/DEFAULT_KEY/v1");
        assertTrue(defaultKey == null || defaultKey.equals("alias/aws/ssm"), defaultKey);
    }

    private static String keyId(String name) {
        return SSM.describeParameters(r -> r.parameterFilters(ParameterStringFilter.builder().key("Name").option("Equals").values(name).build()))
                .parameters().get(0).keyId();
    }
}
