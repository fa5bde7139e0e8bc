package dev.platform.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.sleep.InboundTraffic;
import dev.platform.topology.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The deploy and inbound traffic adapters as the module builds them: the ELBv2 and CloudWatch clients reach
 * the endpoint of their own variables, and a missing app setting is named when the adapter is built.
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
    void theCloudWatchClientTakesItsOwnEndpointVariableAndInboundTrafficThePreviewListeners() {
        String listener = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/previews-0/50dc6c495c0c9188/f2f7dc8efc522ab2";
        PlatformConfig config = AwsEmulator.config(Map.of(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:9",  // nothing listens there
                "AWS_ENDPOINT_URL_CLOUDWATCH", AwsEmulator.endpoint().toString(),
                Settings.PREVIEW_LISTENER_ARNS, listener));
        CloudWatchClient cloudWatch = AwsModule.cloudWatch(config, AwsModule.credentials(config));
        InboundTraffic traffic = AwsModule.inboundTraffic(cloudWatch, config);
        InboundTraffic.Source idle = new InboundTraffic.Source(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/idle/0123456789abcdef", 0);

        Instant now = Instant.now();
        assertEquals(Map.of(), traffic.lastRequests(List.of(idle), now.minus(Duration.ofHours(1)), now), "the emulator answered");
        assertThrows(IllegalArgumentException.class,
                () -> traffic.lastRequests(List.of(new InboundTraffic.Source(idle.targetGroupArn(), 1)), now.minus(Duration.ofHours(1)), now),
                "one shard: PREVIEW_LISTENER_ARNS has one listener");
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
        IllegalStateException listeners = assertThrows(IllegalStateException.class,
                () -> AwsModule.inboundTraffic(AwsModule.cloudWatch(config, AwsModule.credentials(config)), AwsEmulator.config(Map.of())));
        assertEquals("missing setting " + Settings.PREVIEW_LISTENER_ARNS, listeners.getMessage());
    }
}
