package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DestinationSettingsTest {
    @Test
    void unset_givesTheDefaults() {
        assertThat(DestinationSettings.from(Map.of())).isEqualTo(DestinationSettings.DEFAULTS);
        assertThat(DestinationSettings.DEFAULTS.callsPerMinute()).isEqualTo(10);
        assertThat(DestinationSettings.DEFAULTS.callsPerDay()).isEqualTo(300);
    }

    @Test
    void parsesCountriesPrefixesAndLimits() {
        DestinationSettings s = DestinationSettings.from(Map.of("DIALER_ALLOWED_COUNTRIES", " us, ca ,",
                "DIALER_BLOCKED_PREFIXES", "+4470,+3389", "DIALER_CALLS_PER_MINUTE", "0", "DIALER_CALLS_PER_DAY", "50"));
        assertThat(s.allowedCountries()).isEqualTo(Set.of("US", "CA"));
        assertThat(s.blockedPrefixes()).isEqualTo(List.of("+4470", "+3389"));
        assertThat(s.callsPerMinute()).isZero();
        assertThat(s.callsPerDay()).isEqualTo(50);
    }

    @Test
    void badValues_nameTheSettingAndWhatIsWrong() {
        assertThatThrownBy(() -> DestinationSettings.from(Map.of("DIALER_ALLOWED_COUNTRIES", "US,XX")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_ALLOWED_COUNTRIES").hasMessageContaining("XX");
        assertThatThrownBy(() -> DestinationSettings.from(Map.of("DIALER_BLOCKED_PREFIXES", "4470")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_BLOCKED_PREFIXES");
        assertThatThrownBy(() -> DestinationSettings.from(Map.of("DIALER_CALLS_PER_MINUTE", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_CALLS_PER_MINUTE");
        assertThatThrownBy(() -> DestinationSettings.from(Map.of("DIALER_CALLS_PER_DAY", "lots")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_CALLS_PER_DAY");
    }
}
