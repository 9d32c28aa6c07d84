package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opendialer.media.tone.TonePattern;

class RingbackTest {
    @Test
    void dialerRingback_defaultsToUs_takesEachCountryInAnyCase_andRefusesAnythingElseByName() {
        assertThat(GatewayConfig.from(Map.of()).calls().ringback().pattern()).isEqualTo(TonePattern.RINGBACK_US);
        assertThat(GatewayConfig.from(Map.of("DIALER_RINGBACK", " UK ")).calls().ringback().pattern())
                .isEqualTo(TonePattern.RINGBACK_UK);
        assertThat(GatewayConfig.from(Map.of("DIALER_RINGBACK", "eu")).calls().ringback()).isEqualTo(Ringback.EU);
        assertThat(GatewayConfig.from(Map.of("DIALER_RINGBACK", "jp")).calls().ringback().pattern())
                .isEqualTo(TonePattern.RINGBACK_JP);
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_RINGBACK", "de")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_RINGBACK")
                .hasMessageContaining("'de' is not one of us, uk, eu, fr, jp, au");
    }
}
