package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opendialer.sip.TrunkOptions;

class TrunkSettingsTest {
    private static final Map<String, String> TRUNK = Map.of("DIALER_SIP_TRUNK", "sip:127.0.0.1:5070",
            "DIALER_SIP_USERNAME", "gw", "DIALER_SIP_PASSWORD", "pw");

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }

    @Test
    void defaults_are1800sSessionInterval_90sMinSe_noRegistration() {
        assertThat(TrunkSettings.from(Map.of())).isEqualTo(TrunkOptions.DEFAULT);
        assertThat(GatewayConfig.from(Map.of()).sip().trunkOptions()).isEqualTo(TrunkOptions.DEFAULT);
    }

    @Test
    void everyKey_isRead_intoTheSipConfig() {
        var env = with(with(with(TRUNK, "DIALER_SIP_SESSION_EXPIRES_S", "600"), "DIALER_SIP_MIN_SE_S", "120"),
                "DIALER_SIP_REGISTER", "on");
        assertThat(GatewayConfig.from(env).sip().trunkOptions())
                .isEqualTo(new TrunkOptions(Duration.ofSeconds(600), Duration.ofSeconds(120), true));
    }

    @Test
    void sessionExpiresZero_turnsOurSessionTimerOff() {
        assertThat(TrunkSettings.from(Map.of("DIALER_SIP_SESSION_EXPIRES_S", "0")).sessionExpires()).isZero();
    }

    @Test
    void minSeBelow90_orSessionExpiresBelowMinSe_orGarbage_isRefusedWithTheKeyNamed() {
        assertThatThrownBy(() -> TrunkSettings.from(Map.of("DIALER_SIP_MIN_SE_S", "30")))
                .hasMessageContaining("DIALER_SIP_MIN_SE_S").hasMessageContaining("between 90 and 86400");
        assertThatThrownBy(() -> TrunkSettings.from(Map.of("DIALER_SIP_SESSION_EXPIRES_S", "60")))
                .hasMessageContaining("DIALER_SIP_SESSION_EXPIRES_S").hasMessageContaining("below");
        assertThatThrownBy(() -> TrunkSettings.from(Map.of("DIALER_SIP_SESSION_EXPIRES_S", "soon")))
                .hasMessageContaining("DIALER_SIP_SESSION_EXPIRES_S");
    }

    @Test
    void register_needsTheTrunkAndCredentials_andOnlyOnOrOff() {
        assertThatThrownBy(() -> TrunkSettings.from(Map.of("DIALER_SIP_REGISTER", "on")))
                .hasMessageContaining("DIALER_SIP_REGISTER").hasMessageContaining("DIALER_SIP_USERNAME");
        assertThatThrownBy(() -> TrunkSettings.from(with(TRUNK, "DIALER_SIP_REGISTER", "yes")))
                .hasMessageContaining("neither on nor off");
    }

    @Test
    void tlsAndSrtpKeys_areRead_andBadValuesRefusedWithTheKeyNamed() throws Exception {
        java.nio.file.Path ca = java.nio.file.Files.createTempFile("ca", ".pem");
        try {
            java.nio.file.Files.writeString(ca, "not a certificate");
            assertThatThrownBy(() -> TrunkSettings.from(Map.of("DIALER_SIP_TLS_CA_FILE", ca.toString())))
                    .hasMessageStartingWith("DIALER_SIP_TLS_CA_FILE:");
        } finally {
            java.nio.file.Files.delete(ca);
        }
        assertThatThrownBy(() -> TrunkSettings.from(Map.of("DIALER_SIP_TLS_CA_FILE", "/nonexistent/ca.pem")))
                .hasMessageStartingWith("DIALER_SIP_TLS_CA_FILE:");
        assertThatThrownBy(() -> TrunkSettings.from(Map.of("DIALER_SIP_TLS_PORT", "70000")))
                .hasMessageStartingWith("DIALER_SIP_TLS_PORT:");
        assertThatThrownBy(() -> TrunkSettings.from(Map.of("DIALER_SIP_SRTP", "sometimes")))
                .hasMessageStartingWith("DIALER_SIP_SRTP:");
        TrunkOptions o = TrunkSettings.from(Map.of("DIALER_SIP_TLS_PORT", "5071", "DIALER_SIP_SRTP", "Required"));
        assertThat(o.tlsPort()).isEqualTo(5071);
        assertThat(o.srtp()).isEqualTo(org.opendialer.sip.SrtpMode.REQUIRED);
        assertThat(TrunkSettings.from(Map.of()).srtp()).isEqualTo(org.opendialer.sip.SrtpMode.OFF);
    }

    @Test
    void sipTlsCertificate_isCheckedAtStart_andBadValuesRefusedWithTheKeyNamed() {
        assertThat(TrunkSettings.from(Map.of()).acceptsTls()).isFalse();
        assertThatThrownBy(() -> TrunkSettings.from(Map.of("DIALER_SIP_TLS_CERT", "/nonexistent/sip.pem")))
                .hasMessageStartingWith("DIALER_SIP_TLS_KEY: must be set together with DIALER_SIP_TLS_CERT");
        assertThatThrownBy(() -> TrunkSettings.from(Map.of("DIALER_SIP_TLS_CERT", "/nonexistent/sip.pem",
                "DIALER_SIP_TLS_KEY", "/nonexistent/sip.key")))
                .hasMessageStartingWith("DIALER_SIP_TLS_CERT: cannot use '/nonexistent/sip.pem'");
        assertThatThrownBy(() -> TrunkSettings.from(Map.of("DIALER_SIP_TLS_MAX_CONNECTIONS", "0")))
                .hasMessageStartingWith("DIALER_SIP_TLS_MAX_CONNECTIONS:");
        assertThat(TrunkSettings.from(Map.of("DIALER_SIP_TLS_MAX_CONNECTIONS", "7")).tlsMaxConnections()).isEqualTo(7);
    }
}
