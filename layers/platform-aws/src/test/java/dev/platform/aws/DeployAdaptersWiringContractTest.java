package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.topology.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The deploy adapters as the module builds them: the ELBv2 client reaches the endpoint of its own
 * variable, and a missing app setting is named when the adapter is built.
 */
class DeployAdaptersWiringContractTest {

    @Test
    void theLoadBalancingClientTakesItsOwnEndpointVariable() {
        PlatformConfig config = AwsEmulator.config(Map.of(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:9",  // nothing listens there
                "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", AwsEmulator.endpoint().toString()));
        ElasticLoadBalancingV2Client elb = AwsModule.elasticLoadBalancingV2(config, AwsModule.credentials(config));

        assertTrue(elb.describeTargetGroups().hasTargetGroups(), "the emulator answered");
    }

    @Test
    void aMissingAppSettingIsNamed() {
        PlatformConfig config = AwsEmulator.config(Map.of(Settings.APP_VPC_ID, "vpc-1", Settings.PREVIEW_LISTENER_ARNS, "l0,l1"));
        ElasticLoadBalancingV2Client elb = AwsModule.elasticLoadBalancingV2(config, AwsModule.credentials(config));

        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> AwsModule.routing(elb, config));
        assertEquals("missing setting " + Settings.PRODUCTION_LISTENER_ARN, missing.getMessage());
        IllegalStateException cluster = assertThrows(IllegalStateException.class,
                () -> AwsModule.containerServices(AwsModule.ecs(config, AwsModule.credentials(config)), config));
        assertEquals("missing setting " + Settings.APP_CLUSTER, cluster.getMessage());
    }
}
