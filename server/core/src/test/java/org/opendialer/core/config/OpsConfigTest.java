package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsConfigTest {
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void defaults_metricsOn9464_noWebhooks_textLogs() {
        OpsConfig c = OpsConfig.from(Map.of());
        assertThat(c.metricsPort()).isEqualTo(9464);
        assertThat(c.webhook()).isEmpty();
        assertThat(c.jsonLogs()).isFalse();
    }

    @Test
    void metricsPortZero_turnsMetricsOff() {
        assertThat(OpsConfig.from(Map.of("DIALER_METRICS_PORT", "0")).metricsPort()).isZero();
    }

    @Test
    void webhook_httpsUrlAndSecret_areParsedWithTheRetryWindow() {
        OpsConfig c = OpsConfig.from(Map.of("DIALER_WEBHOOK_URL", "https://crm.example.com/hooks",
                "DIALER_WEBHOOK_SECRET", SECRET, "DIALER_WEBHOOK_RETRY_HOURS", "2"));
        assertThat(c.webhook().orElseThrow().url().toString()).isEqualTo("https://crm.example.com/hooks");
        assertThat(c.webhook().orElseThrow().secret()).hasSize(32);
        assertThat(c.webhook().orElseThrow().retryFor()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void webhook_plainHttpToAnotherHost_isRefused() {
        assertThatThrownBy(() -> OpsConfig.from(Map.of("DIALER_WEBHOOK_URL", "http://crm.example.com/hooks",
                "DIALER_WEBHOOK_SECRET", SECRET)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("DIALER_WEBHOOK_URL: must use https");
    }

    @Test
    void webhook_plainHttpToLoopback_isAllowed() {
        for (String url : new String[] {"http://127.0.0.1:9000/h", "http://localhost:9000/h", "http://[::1]:9000/h"}) {
            assertThat(OpsConfig.from(Map.of("DIALER_WEBHOOK_URL", url, "DIALER_WEBHOOK_SECRET", SECRET)).webhook())
                    .isPresent();
        }
    }

    @Test
    void webhook_urlWithoutSecret_namesTheMissingKey() {
        assertThatThrownBy(() -> OpsConfig.from(Map.of("DIALER_WEBHOOK_URL", "https://crm.example.com/h")))
                .hasMessageStartingWith("DIALER_WEBHOOK_SECRET: must be set together with DIALER_WEBHOOK_URL");
    }

    @Test
    void webhook_secretWithoutPrefixOrNotBase64OrTooShort_isRefused() {
        for (String secret : new String[] {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!", "whsec_AAAA"}) {
            assertThatThrownBy(() -> OpsConfig.from(Map.of("DIALER_WEBHOOK_URL", "https://crm.example.com/h",
                    "DIALER_WEBHOOK_SECRET", secret)))
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("DIALER_WEBHOOK_SECRET:");
        }
    }

    @Test
    void badValues_nameTheirKey() {
        assertThatThrownBy(() -> OpsConfig.from(Map.of("DIALER_METRICS_PORT", "-1")))
                .hasMessageStartingWith("DIALER_METRICS_PORT:");
        assertThatThrownBy(() -> OpsConfig.from(Map.of("DIALER_LOG_FORMAT", "xml")))
                .hasMessageStartingWith("DIALER_LOG_FORMAT:");
        assertThatThrownBy(() -> OpsConfig.from(Map.of("DIALER_WEBHOOK_URL", "https://x.example/h",
                "DIALER_WEBHOOK_SECRET", SECRET, "DIALER_WEBHOOK_RETRY_HOURS", "0")))
                .hasMessageStartingWith("DIALER_WEBHOOK_RETRY_HOURS:");
    }
}
