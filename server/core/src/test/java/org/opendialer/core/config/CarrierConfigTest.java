package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CarrierConfigTest {
    @Test
    void emptyEnvironment_givesTheDocumentedDefaults() {
        CarrierConfig c = GatewayConfig.from(Map.of()).carrier();
        assertThat(c).isEqualTo(new CarrierConfig(Duration.ofMillis(2000), 3, Optional.empty()));
        assertThat(c.presentedNumber("+12015550123")).isEqualTo("+12015550123");
        assertThat(c.presentedNumber(null)).isNull();
    }

    @Test
    void callerId_aNumberForEveryone_orAnonymous() {
        CarrierConfig main = GatewayConfig.from(Map.of("DIALER_SIP_CALLER_ID", "+12015550100")).carrier();
        assertThat(main.presentedNumber("+12015550123")).isEqualTo("+12015550100");
        assertThat(main.presentedNumber(null)).isEqualTo("+12015550100");
        CarrierConfig hidden = GatewayConfig.from(Map.of("DIALER_SIP_CALLER_ID", "anonymous")).carrier();
        assertThat(hidden.presentedNumber("+12015550123")).isNull();
    }

    @Test
    void graceAndRedirects_areRead() {
        CarrierConfig c = GatewayConfig.from(Map.of("DIALER_ABSENT_USER_GRACE_MS", "0",
                "DIALER_SIP_MAX_REDIRECTS", "10")).carrier();
        assertThat(c.absentUserGrace()).isZero();
        assertThat(c.maxRedirects()).isEqualTo(10);
    }

    @Test
    void trunkDns_systemResolverByDefault_orTheGivenServer_andTheFailoverBound() {
        assertThat(GatewayConfig.from(Map.of()).carrier().dns().server()).isNull();
        assertThat(GatewayConfig.from(Map.of()).carrier().dns().failoverTimeout()).isEqualTo(Duration.ofSeconds(3));
        CarrierConfig c = GatewayConfig.from(Map.of("DIALER_SIP_DNS_SERVER", "127.0.0.1:5353",
                "DIALER_SIP_FAILOVER_MS", "1500")).carrier();
        assertThat(c.dns().server()).isEqualTo(new java.net.InetSocketAddress("127.0.0.1", 5353));
        assertThat(c.dns().failoverTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(GatewayConfig.from(Map.of("DIALER_SIP_DNS_SERVER", "[::1]")).carrier().dns().server())
                .isEqualTo(new java.net.InetSocketAddress("::1", 53));
        assertThat(GatewayConfig.from(Map.of("DIALER_SIP_DNS_SERVER", "192.0.2.53")).carrier().dns().server().getPort())
                .isEqualTo(53);
    }

    @ParameterizedTest
    @CsvSource({
        "DIALER_ABSENT_USER_GRACE_MS, 10001, 'DIALER_ABSENT_USER_GRACE_MS: ''10001'' is not a whole number from 0 to 10000'",
        "DIALER_ABSENT_USER_GRACE_MS, 2s, 'DIALER_ABSENT_USER_GRACE_MS: ''2s'' is not a whole number from 0 to 10000'",
        "DIALER_SIP_MAX_REDIRECTS, -1, 'DIALER_SIP_MAX_REDIRECTS: ''-1'' is not a whole number from 0 to 10'",
        "DIALER_SIP_CALLER_ID, 2015550100, 'DIALER_SIP_CALLER_ID: ''2015550100'' is neither an E.164 number like +12015550100 nor ''anonymous'''",
        "DIALER_SIP_FAILOVER_MS, 50, 'DIALER_SIP_FAILOVER_MS: ''50'' is not a whole number from 100 to 32000'",
        "DIALER_SIP_DNS_SERVER, dns.example.com, 'DIALER_SIP_DNS_SERVER: ''dns.example.com'' is not an IP address with an optional port, like 192.0.2.53 or 192.0.2.53:5353 or [2001:db8::53]:53'",
        "DIALER_SIP_DNS_SERVER, 127.0.0.1:99999, 'DIALER_SIP_DNS_SERVER: ''127.0.0.1:99999'' is not an IP address with an optional port, like 192.0.2.53 or 192.0.2.53:5353 or [2001:db8::53]:53'",
    })
    void badValues_stopTheGatewayWithALineNamingTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of(key, value)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage()).isEqualTo(message));
    }
}
