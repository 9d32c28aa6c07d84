package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkConfigTest {
    @Test
    void defaults_tcpOnTheWebRtcPortNumber_noTurn_tenSecondsToConnect() {
        NetworkConfig n = GatewayConfig.from(Map.of()).network();
        assertThat(n.webRtcTcpPort()).isEqualTo(19000);
        assertThat(n.turnEnabled()).isFalse();
        assertThat(n.turnTtl()).isEqualTo(Duration.ofDays(1));
        assertThat(n.mediaConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(GatewayConfig.from(Map.of("DIALER_WEBRTC_PORT", "19500")).network().webRtcTcpPort()).isEqualTo(19500);
        assertThat(GatewayConfig.from(Map.of("DIALER_WEBRTC_TCP_PORT", "0")).network().webRtcTcpPort()).isZero();
    }

    @Test
    void turnUrlsAndSecret_areReadTogether_andTheSecretIsNeverPrinted() {
        NetworkConfig n = GatewayConfig.from(Map.of(
                "DIALER_TURN_URLS", "turn:127.0.0.1:3478?transport=udp, turns:turn.example.com:443?transport=tcp",
                "DIALER_TURN_SECRET", "very-secret-value", "DIALER_TURN_TTL_S", "600")).network();
        assertThat(n.turnUrls()).isEqualTo(List.of("turn:127.0.0.1:3478?transport=udp",
                "turns:turn.example.com:443?transport=tcp"));
        assertThat(n.turnTtl()).isEqualTo(Duration.ofSeconds(600));
        assertThat(n.toString()).doesNotContain("very-secret-value");
    }

    @Test
    void badValues_nameTheirKey() {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_TURN_URLS", "turn:x:3478")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_TURN_SECRET");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_TURN_SECRET", "x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_TURN_URLS");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_TURN_URLS", "http://x", "DIALER_TURN_SECRET", "x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_TURN_URLS");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_WEBRTC_TCP_PORT", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_WEBRTC_TCP_PORT");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_MEDIA_CONNECT_TIMEOUT_S", "301")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_MEDIA_CONNECT_TIMEOUT_S");
    }
}
