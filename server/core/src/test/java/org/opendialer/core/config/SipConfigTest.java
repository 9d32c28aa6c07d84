package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SipConfigTest {

    @Test
    void defaults_haveNoTrunk_theSandboxOnLoopback_port5060_ring60s_rtp20000to20999_webRtc19000() {
        GatewayConfig config = GatewayConfig.from(Map.of());
        assertThat(config.sandbox()).isTrue();
        SipConfig sip = config.sip();
        assertThat(sip).isEqualTo(new SipConfig(Optional.empty(), "127.0.0.1", 5060, Optional.empty(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(60), 20000, 20999, 19000, "127.0.0.1",
                Duration.ofSeconds(30)));
    }

    @Test
    void everyKey_isRead() {
        SipConfig sip = GatewayConfig.from(Map.of(
                "DIALER_SIP_TRUNK", "sip:pbx.example.com:5080;transport=tcp",
                "DIALER_SIP_LISTEN_ADDRESS", "127.0.0.1",
                "DIALER_SIP_PORT", "5062",
                "DIALER_SIP_USERNAME", "gw",
                "DIALER_SIP_PASSWORD", " s3cret ",
                "DIALER_PUBLIC_ADDRESS", "203.0.113.7",
                "DIALER_RING_TIMEOUT_S", "25",
                "DIALER_RTP_PORTS", "30000-30100",
                "DIALER_WEBRTC_PORT", "3478",
                "DIALER_RTP_TIMEOUT_S", "12")).sip();
        assertThat(sip).isEqualTo(new SipConfig(Optional.of("sip:pbx.example.com:5080;transport=tcp"), "127.0.0.1",
                5062, Optional.of("gw"), Optional.of(" s3cret "), Optional.of("203.0.113.7"), Duration.ofSeconds(25),
                30000, 30100, 3478, "203.0.113.7", Duration.ofSeconds(12)));
    }

    @Test
    void webRtcAddress_mustBeAnIp_andThePortOutsideTheRtpRange() {
        assertThat(GatewayConfig.from(Map.of("DIALER_WEBRTC_ADDRESS", "198.51.100.4")).sip().webRtcAddress())
                .isEqualTo("198.51.100.4");
        assertThat(GatewayConfig.from(Map.of("DIALER_PUBLIC_ADDRESS", "sip.example.com")).sip().webRtcAddress())
                .isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_WEBRTC_ADDRESS", "media.example.com")))
                .hasMessageContaining("DIALER_WEBRTC_ADDRESS");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_WEBRTC_PORT", "20500")))
                .hasMessageContaining("DIALER_WEBRTC_PORT").hasMessageContaining("DIALER_RTP_PORTS");
    }

    @Test
    void badValues_nameTheirKey() {
        Map<String, String> bad = Map.of(
                "DIALER_SIP_TRUNK", "http://example.com",
                "DIALER_SIP_PORT", "70000",
                "DIALER_RING_TIMEOUT_S", "0",
                "DIALER_RTP_PORTS", "20001-20001",
                "DIALER_SIP_USERNAME", "gw");
        for (var entry : bad.entrySet()) {
            String expectedKey = entry.getKey().equals("DIALER_SIP_USERNAME") ? "DIALER_SIP_PASSWORD" : entry.getKey();
            assertThatThrownBy(() -> GatewayConfig.from(Map.of(entry.getKey(), entry.getValue())))
                    .as(entry.toString()).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(expectedKey + ":");
        }
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_SIP_TRUNK", "sip:pbx;transport=sctp")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("DIALER_SIP_TRUNK:");
    }

    @Test
    void aTrunk_orSandboxOff_turnsTheSandboxOff_andTheSipPortListensEverywhere() {
        GatewayConfig trunk = GatewayConfig.from(Map.of("DIALER_SIP_TRUNK", "sip:127.0.0.1:5070"));
        assertThat(trunk.sandbox()).isFalse();
        assertThat(trunk.sip().listenAddress()).isEqualTo("0.0.0.0");
        GatewayConfig off = GatewayConfig.from(Map.of("DIALER_SANDBOX", "off"));
        assertThat(off.sandbox()).isFalse();
        assertThat(off.sip().listenAddress()).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_SANDBOX", "maybe")))
                .hasMessageContaining("DIALER_SANDBOX");
    }

    @Test
    void allowedSources_parsedAsAddressesAndCidrs_badEntryNamesKeyAndEntry() throws Exception {
        SipConfig sip = GatewayConfig.from(Map.of("DIALER_SIP_ALLOWED_SOURCES", "192.0.2.7, 10.0.0.0/8")).sip();
        assertThat(sip.allowedSources().allows(java.net.InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(sip.allowedSources().allows(java.net.InetAddress.getByName("192.0.2.8"))).isFalse();
        assertThat(GatewayConfig.from(Map.of()).sip().allowedSources().isEmpty()).isTrue();
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_SIP_ALLOWED_SOURCES", "10.0.0.0/8,pbx.example.com")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DIALER_SIP_ALLOWED_SOURCES:")
                .hasMessageContaining("'pbx.example.com' is not an IP address or CIDR block");
    }
}
