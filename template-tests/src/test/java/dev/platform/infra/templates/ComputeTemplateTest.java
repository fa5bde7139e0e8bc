package dev.platform.infra.templates;

import static dev.platform.infra.templates.Cfn.COMPUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.topology.Topology;
import dev.platform.infra.PlatformSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
    static final Synth.Variant THREE_SHARDS = new Synth.Variant("three-shards", new PlatformSettings(Optional.of(DOMAIN),
            Optional.of(ZONE_ID), Optional.empty(), PlatformSettings.DEFAULT_WEBHOOK_SECRET_NAME, Optional.empty(),
            PlatformSettings.Builds.defaults(), 3), Topology.functions());
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
    void withoutADomainPreviewsAndProductionArePlainHttpWithoutCertificateOrDns() {
        Synth.Result r = Synth.of(Synth.DEFAULT);
        Map<String, JsonNode> balancers = r.resources(COMPUTE, "AWS::ElasticLoadBalancingV2::LoadBalancer");
        assertEquals(List.of("PreviewLoadBalancer", "ProductionLoadBalancer"),
                balancers.keySet().stream().map(id -> id.replaceFirst("[0-9A-F]{8}$", "")).sorted().toList());
        balancers.values().forEach(b -> assertEquals("internet-facing", b.path("Properties").path("Scheme").asText()));
        Map<String, JsonNode> listeners = r.resources(COMPUTE, "AWS::ElasticLoadBalancingV2::Listener");
        assertEquals(2, listeners.size());
        for (JsonNode listener : listeners.values()) {
            JsonNode http = listener.path("Properties");
            assertEquals(80, http.path("Port").asInt());
            assertEquals("HTTP", http.path("Protocol").asText());
            assertEquals("404", http.path("DefaultActions").path(0).path("FixedResponseConfig").path("StatusCode").asText());
        }
        assertEquals(0, r.resources(COMPUTE, "AWS::CertificateManager::Certificate").size());
        assertEquals(0, r.resources(COMPUTE, "AWS::Route53::RecordSet").size());
    }

    @Test
    void withADomainAndZonePreviewsAndProductionAreHttpsOnWildcardCertificatesAndRecords() {
        Synth.Result r = Synth.of(WITH_ZONE);
        Map<String, String> certificates = certificates(r);
        assertEquals(Set.of("*." + DOMAIN, "*.prod." + DOMAIN), Set.copyOf(certificates.values()));
        for (String certificate : certificates.keySet()) {
            JsonNode properties = r.json(COMPUTE).path("Resources").path(certificate).path("Properties");
            assertEquals("DNS", properties.path("ValidationMethod").asText());
            assertEquals(ZONE_ID, properties.path("DomainValidationOptions").path(0).path("HostedZoneId").asText());
        }
        List<JsonNode> https = listeners(r, 443);
        assertEquals(2, https.size());
        assertEquals(Set.copyOf(certificates.keySet().stream().map(Cfn::ref).toList()),
                Set.copyOf(https.stream().map(l -> l.path("Certificates").path(0).path("CertificateArn")).toList()));
        for (JsonNode redirect : listeners(r, 80)) {
            assertEquals("redirect", redirect.path("DefaultActions").path(0).path("Type").asText());
            assertEquals("443", redirect.path("DefaultActions").path(0).path("RedirectConfig").path("Port").asText());
        }

        Map<String, JsonNode> records = r.resources(COMPUTE, "AWS::Route53::RecordSet");
        assertEquals(Set.of("*." + DOMAIN + ".", "*.prod." + DOMAIN + "."),
                records.values().stream().map(rec -> rec.path("Properties").path("Name").asText()).collect(Collectors.toSet()));
        for (JsonNode record : records.values()) {
            assertEquals("A", record.path("Properties").path("Type").asText());
            assertEquals(ZONE_ID, record.path("Properties").path("HostedZoneId").asText());
            assertTrue(Cfn.resolve(r, COMPUTE, record.path("Properties").path("AliasTarget").path("DNSName"))
                    .matches(".*" + COMPUTE + "/(Preview|Production)LoadBalancer[0-9A-F]{8}\\.DNSName.*"));
        }
    }

    @Test
    void withADomainAndAnExistingCertificatePreviewsUseItAndProductionsCertificateWaitsForYourDns() {
        Synth.Result r = Synth.of(WITH_CERTIFICATE);
        assertTrue(listeners(r, 443).stream().anyMatch(l -> CERTIFICATE_ARN.equals(
                l.path("Certificates").path(0).path("CertificateArn").asText())), "the previews' listener uses it");
        assertEquals(List.of("*.prod." + DOMAIN), List.copyOf(certificates(r).values()));
        assertEquals(0, r.resources(COMPUTE, "AWS::Route53::RecordSet").size());
    }

    @Test
    void threeShardsAreThreePreviewLoadBalancersEachWithItsWildcard() {
        Synth.Result r = Synth.of(THREE_SHARDS);
        assertEquals(4, r.resources(COMPUTE, "AWS::ElasticLoadBalancingV2::LoadBalancer").size(), "3 shards and production");
        assertEquals(Set.of("*." + DOMAIN, "*.s1." + DOMAIN, "*.s2." + DOMAIN, "*.prod." + DOMAIN),
                Set.copyOf(certificates(r).values()));
        assertEquals(Set.of("*." + DOMAIN + ".", "*.s1." + DOMAIN + ".", "*.s2." + DOMAIN + ".", "*.prod." + DOMAIN + "."),
                r.resources(COMPUTE, "AWS::Route53::RecordSet").values().stream()
                        .map(rec -> rec.path("Properties").path("Name").asText()).collect(Collectors.toSet()));
        listeners(r, 443).forEach(l -> assertEquals("404",
                l.path("DefaultActions").path(0).path("FixedResponseConfig").path("StatusCode").asText()));
        assertThrows(IllegalArgumentException.class, () -> new PlatformSettings(Optional.of(DOMAIN), Optional.of(ZONE_ID),
                Optional.empty(), PlatformSettings.DEFAULT_WEBHOOK_SECRET_NAME, Optional.empty(),
                PlatformSettings.Builds.defaults(), 21));
        assertThrows(IllegalArgumentException.class, () -> new PlatformSettings(Optional.of(DOMAIN), Optional.empty(),
                Optional.of(CERTIFICATE_ARN), PlatformSettings.DEFAULT_WEBHOOK_SECRET_NAME, Optional.empty(),
                PlatformSettings.Builds.defaults(), 2), "extra shards need the zone for their certificates");
    }

    /** Certificate logical id → its domain name. */
    private static Map<String, String> certificates(Synth.Result r) {
        Map<String, String> names = new TreeMap<>();
        r.resources(COMPUTE, "AWS::CertificateManager::Certificate")
                .forEach((id, c) -> names.put(id, c.path("Properties").path("DomainName").asText()));
        return names;
    }

    private static List<JsonNode> listeners(Synth.Result r, int port) {
        return r.resources(COMPUTE, "AWS::ElasticLoadBalancingV2::Listener").values().stream()
                .map(l -> l.path("Properties"))
                .filter(l -> l.path("Port").asInt() == port)
                .toList();
    }
}
