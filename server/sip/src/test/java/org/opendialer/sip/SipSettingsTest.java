package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SipSettingsTest {
    @Test
    void defaults_port5060_ring60s_t1500ms_publicAddressIsTheListenAddress() {
        SipSettings s = new SipSettings("127.0.0.1", 5060, null, null, null, null, null, null);
        assertThat(s.publicAddress()).isEqualTo("127.0.0.1");
        assertThat(s.trunk()).isNull();
        assertThat(s.hasCredentials()).isFalse();
        assertThat(s.ringTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.t1()).isEqualTo(Duration.ofMillis(500));
        assertThat(new SipSettings(" ", 5060, null, null, null, null, null, null).listenAddress()).isEqualTo("0.0.0.0");
    }

    @Test
    void trunk_parsesPortDefaultsAndIpv6() {
        assertThat(SipSettings.Trunk.parse("sip:127.0.0.1:5070")).isEqualTo(new SipSettings.Trunk("127.0.0.1", 5070, "udp"));
        assertThat(SipSettings.Trunk.parse("sip:pbx.example")).isEqualTo(
                new SipSettings.Trunk("pbx.example", 5060, "udp", false, SipSettings.Trunk.Lookup.NAPTR));
        assertThat(SipSettings.Trunk.parse("sip:pbx.example;transport=tcp").lookup()).isEqualTo(SipSettings.Trunk.Lookup.SRV);
        assertThat(SipSettings.Trunk.parse("sip:pbx.example:5070").lookup()).isEqualTo(SipSettings.Trunk.Lookup.ADDRESS);
        assertThat(SipSettings.Trunk.parse("sip:127.0.0.1").lookup()).isEqualTo(SipSettings.Trunk.Lookup.NONE);
        assertThat(SipSettings.Trunk.parse("sip:[::1]:5070;transport=tcp"))
                .isEqualTo(new SipSettings.Trunk("[::1]", 5070, "tcp"));
    }

    @Test
    void trunk_overTls_defaultsToPort5061_andSipsMeansTls() {
        assertThat(SipSettings.Trunk.parse("sip:carrier.example.com;transport=tls")).isEqualTo(new SipSettings.Trunk(
                "carrier.example.com", 5061, "tls", false, SipSettings.Trunk.Lookup.SRV));
        assertThat(SipSettings.Trunk.parse("sips:carrier.example.com")).isEqualTo(new SipSettings.Trunk(
                "carrier.example.com", 5061, "tls", true, SipSettings.Trunk.Lookup.NAPTR));
        assertThat(SipSettings.Trunk.parse("sips:127.0.0.1:5071").isTls()).isTrue();
        assertThat(SipSettings.Trunk.parse("sip:127.0.0.1:5070;transport=TLS").port()).isEqualTo(5070);
    }

    @Test
    void invalidValues_throwInvalidSettings() {
        java.util.List<Runnable> bad = java.util.List.of(
                () -> new SipSettings("127.0.0.1", 0, null, null, null, null, null, null),
                () -> new SipSettings("127.0.0.1", 65536, null, null, null, null, null, null),
                () -> SipSettings.Trunk.parse("http://x"),
                () -> SipSettings.Trunk.parse("sip:x;transport=sctp"),
                () -> SipSettings.Trunk.parse("sips:carrier.example.com;transport=udp"),
                () -> new SipSettings("127.0.0.1", 5060, null, null, "only-user", null, null, null));
        for (Runnable r : bad) {
            assertThatThrownBy(r::run).isInstanceOfSatisfying(SipAgentException.class,
                    e -> assertThat(e.reason()).isEqualTo(SipAgentException.Reason.INVALID_SETTINGS));
        }
    }
}
