package dev.platform.infra.templates;

import static dev.platform.infra.templates.Cfn.COMPUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.topology.Topology;
import dev.platform.infra.PlatformSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The compute base: private network with one NAT gateway, ECS cluster, ECR repository, and the
 * preview load balancer, whose listeners depend on whether a domain is configured.
 */
class ComputeTemplateTest {
    static final String DOMAIN = "previews.example.com";
    static final String ZONE_ID = "Z0123456789ABCDEFGHIJ";
    static final String CERTIFICATE_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

    static final Synth.Variant WITH_ZONE = new Synth.Variant("with-zone", new PlatformSettings(Optional.of(DOMAIN),
            Optional.of(ZONE_ID), Optional.empty(), PlatformSettings.DEFAULT_WEBHOOK_SECRET_NAME, Optional.empty(), PlatformSettings.Builds.defaults()),
            Topology.functions());
    static final Synth.Variant WITH_CERTIFICATE = new Synth.Variant("with-certificate", new PlatformSettings(Optional.of(DOMAIN),
            Optional.empty(), Optional.of(CERTIFICATE_ARN), PlatformSettings.DEFAULT_WEBHOOK_SECRET_NAME, Optional.empty(), PlatformSettings.Builds.defaults()),
            Topology.functions());

    @Test
    void privateSubnetsShareOneNatGatewayAndReachS3AndDynamoDbWithoutIt() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        assertEquals(1, r.resources(COMPUTE, "AWS::EC2::NatGateway").size());
        Map<String, JsonNode> subnets = r.resources(COMPUTE, "AWS::EC2::Subnet");
        long privateSubnets = subnets.values().stream()
                .filter(s -> !s.path("Properties").path("MapPublicIpOnLaunch").asBoolean()).count();
        assertEquals(2, privateSubnets, "private subnets in two zones");
        Set<String> endpoints = new TreeSet<>();
        r.resources(COMPUTE, "AWS::EC2::VPCEndpoint").values().forEach(e -> endpoints.add(
                Cfn.resolve(r, COMPUTE, e.path("Properties").path("ServiceName"))));
        assertEquals(Set.of("com.amazonaws.${AWS::Region}.dynamodb", "com.amazonaws.${AWS::Region}.s3"), endpoints);
        r.resources(COMPUTE, "AWS::EC2::VPCEndpoint").values().forEach(e ->
                assertEquals("Gateway", e.path("Properties").path("VpcEndpointType").asText("Gateway"), "free gateway endpoints only"));
    }

    @Test
    void clusterRunsFargateAndImagesAreScannedImmutableAndRetained() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        assertEquals(1, r.resources(COMPUTE, "AWS::ECS::Cluster").size());
        JsonNode providers = r.resources(COMPUTE, "AWS::ECS::ClusterCapacityProviderAssociations").values().iterator().next();
        assertEquals(List.of("FARGATE", "FARGATE_SPOT"),
                Cfn.list(providers.path("Properties").path("CapacityProviders")).stream().map(JsonNode::asText).toList());
        JsonNode repository = r.json(COMPUTE).path("Resources").path(BuilderTemplateTest.imageRepository(r));
        assertTrue(repository.path("Properties").path("ImageScanningConfiguration").path("ScanOnPush").asBoolean());
        assertEquals("IMMUTABLE", repository.path("Properties").path("ImageTagMutability").asText());
        assertEquals("Retain", repository.path("DeletionPolicy").asText());
    }

    @Test
    void withoutADomainPreviewsArePlainHttpWithoutCertificateOrDns() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        JsonNode balancer = r.resources(COMPUTE, "AWS::ElasticLoadBalancingV2::LoadBalancer").values().iterator().next();
        assertEquals("internet-facing", balancer.path("Properties").path("Scheme").asText());
        Map<String, JsonNode> listeners = r.resources(COMPUTE, "AWS::ElasticLoadBalancingV2::Listener");
        assertEquals(1, listeners.size());
        JsonNode http = listeners.values().iterator().next().path("Properties");
        assertEquals(80, http.path("Port").asInt());
        assertEquals("HTTP", http.path("Protocol").asText());
        assertEquals("404", http.path("DefaultActions").path(0).path("FixedResponseConfig").path("StatusCode").asText());
        assertEquals(0, r.resources(COMPUTE, "AWS::CertificateManager::Certificate").size());
        assertEquals(0, r.resources(COMPUTE, "AWS::Route53::RecordSet").size());
    }

    @Test
    void withADomainAndZonePreviewsAreHttpsOnAWildcardCertificateAndRecord() {
        Synth.Result r = Synth.of(WITH_ZONE);
        JsonNode https = listener(r, 443);
        assertEquals("HTTPS", https.path("Protocol").asText());
        String certificate = Cfn.single(r, COMPUTE, "AWS::CertificateManager::Certificate", c -> true, "certificate");
        assertEquals(Cfn.ref(certificate), https.path("Certificates").path(0).path("CertificateArn"));
        JsonNode certificateProps = r.json(COMPUTE).path("Resources").path(certificate).path("Properties");
        assertEquals("*." + DOMAIN, certificateProps.path("DomainName").asText());
        assertEquals("DNS", certificateProps.path("ValidationMethod").asText());
        assertEquals(ZONE_ID, certificateProps.path("DomainValidationOptions").path(0).path("HostedZoneId").asText());

        assertEquals("redirect", listener(r, 80).path("DefaultActions").path(0).path("Type").asText());
        assertEquals("443", listener(r, 80).path("DefaultActions").path(0).path("RedirectConfig").path("Port").asText());

        JsonNode record = r.resources(COMPUTE, "AWS::Route53::RecordSet").values().iterator().next().path("Properties");
        assertEquals(1, r.resources(COMPUTE, "AWS::Route53::RecordSet").size());
        assertEquals("*." + DOMAIN + ".", record.path("Name").asText());
        assertEquals("A", record.path("Type").asText());
        assertEquals(ZONE_ID, record.path("HostedZoneId").asText());
        String balancer = Cfn.single(r, COMPUTE, "AWS::ElasticLoadBalancingV2::LoadBalancer", b -> true, "load balancer");
        assertTrue(Cfn.resolve(r, COMPUTE, record.path("AliasTarget").path("DNSName")).contains(COMPUTE + "/" + balancer + ".DNSName"));
    }

    @Test
    void withADomainAndAnExistingCertificateNoCertificateOrRecordIsCreated() {
        Synth.Result r = Synth.of(WITH_CERTIFICATE);
        assertEquals(CERTIFICATE_ARN, listener(r, 443).path("Certificates").path(0).path("CertificateArn").asText());
        assertEquals(0, r.resources(COMPUTE, "AWS::CertificateManager::Certificate").size());
        assertEquals(0, r.resources(COMPUTE, "AWS::Route53::RecordSet").size());
    }

    private static JsonNode listener(Synth.Result r, int port) {
        return r.resources(COMPUTE, "AWS::ElasticLoadBalancingV2::Listener").values().stream()
                .map(l -> l.path("Properties"))
                .filter(l -> l.path("Port").asInt() == port)
                .findFirst().orElseThrow(() -> new AssertionError("no listener on port " + port));
    }
}
