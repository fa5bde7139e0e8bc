package dev.platform.infra.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.infra.Platform;
import dev.platform.infra.PlatformSettings;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/** The app synthesizes offline and environment-agnostic, and reads its documented context values. */
class SynthesisTest {

    static Stream<Synth.Result> synths() {
        return Stream.of(Synth.of(Synth.DEFAULT), Synth.of(ComputeTemplateTest.WITH_ZONE),
                Synth.of(ComputeTemplateTest.WITH_CERTIFICATE));
    }

    @ParameterizedTest
    @MethodSource("synths")
    void synthesisNeedsNoLookupAndNoAccount(Synth.Result r) {
        assertTrue(r.assembly().getManifest().getMissing() == null || r.assembly().getManifest().getMissing().isEmpty(),
                "no context lookups: synth works offline");
        assertEquals(Set.of(Platform.DATA, Platform.MESSAGING, Platform.CONTROL_PLANE, Platform.COMPUTE),
                r.assembly().getStacks().stream().map(CloudFormationStackArtifact::getStackName).collect(Collectors.toSet()));
        for (CloudFormationStackArtifact stack : r.assembly().getStacks()) {
            assertEquals("unknown-account", stack.getEnvironment().getAccount(), stack.getStackName());
            assertEquals("unknown-region", stack.getEnvironment().getRegion(), stack.getStackName());
        }
    }

    @Test
    void contextValuesAreRead() {
        App app = new App(AppProps.builder().context(Map.of(
                PlatformSettings.PREVIEW_DOMAIN, "Previews.Example.com",
                PlatformSettings.HOSTED_ZONE_ID, ComputeTemplateTest.ZONE_ID,
                PlatformSettings.WEBHOOK_SECRET_NAME, "team/webhook",
                PlatformSettings.CERTIFICATE_ARN, "",
                PlatformSettings.ALARM_EMAIL, "ops@example.com")).build());
        PlatformSettings settings = PlatformSettings.fromContext(app.getNode());
        assertEquals(new PlatformSettings(Optional.of("previews.example.com"), Optional.of(ComputeTemplateTest.ZONE_ID),
                Optional.empty(), "team/webhook", Optional.of("ops@example.com"), PlatformSettings.Builds.defaults()), settings);
    }

    @Test
    void withoutContextTheDefaultsApply() {
        assertEquals(PlatformSettings.defaults(), PlatformSettings.fromContext(new App().getNode()));
    }

    @Test
    void aDomainWithoutZoneOrCertificateIsRefusedWithTheFix() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new PlatformSettings(
                Optional.of("previews.example.com"), Optional.empty(), Optional.empty(),
                PlatformSettings.DEFAULT_WEBHOOK_SECRET_NAME, Optional.empty(), PlatformSettings.Builds.defaults()));
        assertTrue(refused.getMessage().contains(PlatformSettings.HOSTED_ZONE_ID)
                && refused.getMessage().contains(PlatformSettings.CERTIFICATE_ARN), refused.getMessage());
    }

    @Test
    void malformedValuesAreRefusedNamingTheContextKey() {
        IllegalArgumentException domain = assertThrows(IllegalArgumentException.class, () -> new PlatformSettings(
                Optional.of("https://previews.example.com"), Optional.of("Z123"), Optional.empty(),
                PlatformSettings.DEFAULT_WEBHOOK_SECRET_NAME, Optional.empty(), PlatformSettings.Builds.defaults()));
        assertTrue(domain.getMessage().contains(PlatformSettings.PREVIEW_DOMAIN), domain.getMessage());
        IllegalArgumentException zoneAlone = assertThrows(IllegalArgumentException.class, () -> new PlatformSettings(
                Optional.empty(), Optional.of("Z123"), Optional.empty(),
                PlatformSettings.DEFAULT_WEBHOOK_SECRET_NAME, Optional.empty(), PlatformSettings.Builds.defaults()));
        assertTrue(zoneAlone.getMessage().contains(PlatformSettings.PREVIEW_DOMAIN), zoneAlone.getMessage());
    }
}
