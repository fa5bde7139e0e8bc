package dev.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.topology.Settings;
import dev.platform.topology.Topology;
import dev.platform.topology.Trigger;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sleep policy's defaults: read, checked before anything starts, and given to the functions only when set. */
class LocalSettingsTest {

    @Test
    void unsetPolicyDefaultsAreNotPassed() {
        LocalSettings settings = LocalSettings.fromEnvironment(Map.of("PLATFORM_DEFAULT_SLEEP_AFTER", " "));
        assertEquals(LocalSettings.SleepPolicy.UNSET, settings.sleepPolicy());
        assertEquals(Map.of(), settings.sleepPolicy().functionSettings(), "the functions' own defaults apply");
    }

    @Test
    void setPolicyDefaultsBecomeFunctionSettings() {
        LocalSettings settings = LocalSettings.fromEnvironment(Map.of(
                "PLATFORM_DEFAULT_SLEEP_AFTER", "PT2M",
                "PLATFORM_DEFAULT_EXPIRE_AFTER", "P1D",
                "PLATFORM_DEFAULT_MAX_ACTIVE_PREVIEWS", " 3 "));
        assertEquals(Duration.ofMinutes(2), settings.sleepPolicy().sleepAfter());
        assertEquals(Map.of(Settings.DEFAULT_SLEEP_AFTER, "PT2M", Settings.DEFAULT_EXPIRE_AFTER, "PT24H",
                Settings.DEFAULT_MAX_ACTIVE_PREVIEWS, "3"), settings.sleepPolicy().functionSettings());
        assertEquals(Map.of(Settings.DEFAULT_MAX_ACTIVE_PREVIEWS, "1"), LocalSettings.fromEnvironment(
                Map.of("PLATFORM_DEFAULT_MAX_ACTIVE_PREVIEWS", "1")).sleepPolicy().functionSettings(), "each on its own");
    }

    @Test
    void aBadValueNamesTheVariableAndTheValue() {
        Map<String, String> bad = Map.of(
                "PLATFORM_DEFAULT_SLEEP_AFTER", "30m",
                "PLATFORM_DEFAULT_EXPIRE_AFTER", "PT0S",
                "PLATFORM_DEFAULT_MAX_ACTIVE_PREVIEWS", "0");
        for (Map.Entry<String, String> setting : bad.entrySet()) {
            LocalSettings.InvalidSetting e = assertThrows(LocalSettings.InvalidSetting.class,
                    () -> LocalSettings.fromEnvironment(Map.of(setting.getKey(), setting.getValue())), setting.toString());
            assertTrue(e.getMessage().startsWith(setting.getKey() + " must be "), e.getMessage());
            assertTrue(e.getMessage().endsWith("got '" + setting.getValue() + "'"), e.getMessage());
        }
        for (String notPositive : new String[] {"-PT5M", "P-1D", "PT0.000S", "P1W", "P1M", "7"}) {
            assertThrows(LocalSettings.InvalidSetting.class,
                    () -> LocalSettings.fromEnvironment(Map.of("PLATFORM_DEFAULT_SLEEP_AFTER", notPositive)), notPositive);
        }
        for (String notACap : new String[] {"-1", "ten", "2.5", "99999999999"}) {
            assertThrows(LocalSettings.InvalidSetting.class,
                    () -> LocalSettings.fromEnvironment(Map.of("PLATFORM_DEFAULT_MAX_ACTIVE_PREVIEWS", notACap)), notACap);
        }
        assertEquals("PLATFORM_DEFAULT_SLEEP_AFTER must be an ISO-8601 duration above zero such as PT30M (days, hours, minutes, "
                + "seconds: PnDTnHnMnS), got '30m'", assertThrows(LocalSettings.InvalidSetting.class,
                () -> LocalSettings.fromEnvironment(Map.of("PLATFORM_DEFAULT_SLEEP_AFTER", "30m"))).getMessage());
    }

    @Test
    void withShortPoliciesAutoSleepRunsMoreOftenLocallyButNotBelowFiveSeconds() {
        Trigger.Schedule every5 = (Trigger.Schedule) Topology.AUTO_SLEEP.trigger();
        assertEquals(Duration.ofMinutes(5), LocalPlatform.localPeriod(Topology.AUTO_SLEEP, every5, LocalSettings.SleepPolicy.UNSET));
        assertEquals(Duration.ofSeconds(10), LocalPlatform.localPeriod(Topology.AUTO_SLEEP, every5,
                new LocalSettings.SleepPolicy(Duration.ofMinutes(1), Duration.ofDays(1), null)));
        assertEquals(Duration.ofSeconds(5), LocalPlatform.localPeriod(Topology.AUTO_SLEEP, every5,
                new LocalSettings.SleepPolicy(Duration.ofSeconds(3), null, null)));
        assertEquals(Duration.ofMinutes(5), LocalPlatform.localPeriod(Topology.AUTO_SLEEP, every5,
                new LocalSettings.SleepPolicy(Duration.ofHours(2), null, null)));
        Trigger.Schedule every15 = (Trigger.Schedule) Topology.RECONCILER.trigger();
        assertEquals(Duration.ofMinutes(15), LocalPlatform.localPeriod(Topology.RECONCILER, every15,
                new LocalSettings.SleepPolicy(Duration.ofSeconds(3), null, null)), "only auto-sleep follows the policy");
    }
}
