package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SipSettingsTest {
    @Test
    void fromEnvironment_defaults() {
        SipSettings s = SipSettings.fromEnvironment(Map.of("DIALER_SIP_LISTEN_ADDRESS", "127.0.0.1"));
        assertThat(s.port()).isEqualTo(5060);
        assertThat(s.publicAddress()).isEqualTo("127.0.0.1");
        assertThat(s.trunk()).isNull();
        assertThat(s.hasCredentials()).isFalse();
        assertThat(s.ringTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.t1()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void fromEnvironment_allKeys() {
        SipSettings s = SipSettings.fromEnvironment(Map.of("DIALER_SIP_PORT", "5080",
                "DIALER_PUBLIC_ADDRESS", "203.0.113.9", "DIALER_SIP_TRUNK", "sip:trunk.example:5070;transport=TCP",
                "DIALER_SIP_USERNAME", "gw", "DIALER_SIP_PASSWORD", "pw", "DIALER_SIP_RING_TIMEOUT", "30"));
        assertThat(s.port()).isEqualTo(5080);
        assertThat(s.listenAddress()).isEqualTo("0.0.0.0");
        assertThat(s.publicAddress()).isEqualTo("203.0.113.9");
        assertThat(s.trunk()).isEqualTo(new SipSettings.Trunk("trunk.example", 5070, "tcp"));
        assertThat(s.username()).isEqualTo("gw");
        assertThat(s.ringTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void trunk_parsesPortDefaultsAndIpv6() {
        assertThat(SipSettings.Trunk.parse("sip:127.0.0.1:5070")).isEqualTo(new SipSettings.Trunk("127.0.0.1", 5070, "udp"));
        assertThat(SipSettings.Trunk.parse("sip:pbx.example")).isEqualTo(new SipSettings.Trunk("pbx.example", 5060, "udp"));
        assertThat(SipSettings.Trunk.parse("sip:[::1]:5070;transport=tcp"))
                .isEqualTo(new SipSettings.Trunk("[::1]", 5070, "tcp"));
    }

    @Test
    void invalidValues_throwInvalidSettings() {
        for (Map<String, String> env : java.util.List.of(Map.of("DIALER_SIP_PORT", "0"),
                Map.of("DIALER_SIP_PORT", "five"), Map.of("DIALER_SIP_TRUNK", "http://x"),
                Map.of("DIALER_SIP_TRUNK", "sip:x;transport=sctp"), Map.of("DIALER_SIP_USERNAME", "only-user"))) {
            assertThatThrownBy(() -> SipSettings.fromEnvironment(env)).as(env.toString())
                    .isInstanceOfSatisfying(SipAgentException.class,
                            e -> assertThat(e.reason()).isEqualTo(SipAgentException.Reason.INVALID_SETTINGS));
        }
    }
}
