package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private static final TrustedProxies PROXY = TrustedProxies.parse("10.0.0.5, 192.168.1.0/24, 2001:db8::/32");

    @Test
    void unset_trustsNone_andForwardedForIsIgnored() {
        TrustedProxies none = TrustedProxies.from(Map.of());
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.clientAddress("10.0.0.5", List.of("203.0.113.7"))).isEqualTo("10.0.0.5");
    }

    @Test
    void forgedForwardedFor_fromAnUntrustedPeer_isIgnored() {
        assertThat(PROXY.clientAddress("203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
        assertThat(PROXY.clientAddress("10.0.0.6", List.of("198.51.100.1"))).isEqualTo("10.0.0.6");
    }

    @Test
    void trustedPeer_givesTheRightMostUntrustedAddress() {
        // The client forged 1.1.1.1; the proxy appended the address it saw (203.0.113.7).
        assertThat(PROXY.clientAddress("10.0.0.5", List.of("1.1.1.1, 203.0.113.7"))).isEqualTo("203.0.113.7");
        // Two proxies in a chain, and the header split over two lines.
        assertThat(PROXY.clientAddress("10.0.0.5", List.of("1.1.1.1", "203.0.113.7, 192.168.1.20"))).isEqualTo("203.0.113.7");
    }

    @Test
    void everyHopTrusted_givesTheLeftMost() {
        assertThat(PROXY.clientAddress("10.0.0.5", List.of("192.168.1.2, 192.168.1.3"))).isEqualTo("192.168.1.2");
    }

    @Test
    void noHeader_givesThePeer() {
        assertThat(PROXY.clientAddress("10.0.0.5", List.of())).isEqualTo("10.0.0.5");
        assertThat(PROXY.clientAddress("10.0.0.5", null)).isEqualTo("10.0.0.5");
    }

    @Test
    void garbageInTheHeader_endsTheWalkAtTheAddressAProxyVouchedFor() {
        assertThat(PROXY.clientAddress("10.0.0.5", List.of("evil.example.com"))).isEqualTo("10.0.0.5");
        assertThat(PROXY.clientAddress("10.0.0.5", List.of("not-an-ip, 192.168.1.9"))).isEqualTo("192.168.1.9");
        assertThat(PROXY.clientAddress("10.0.0.5", List.of(" , "))).isEqualTo("10.0.0.5");
        assertThat(PROXY.clientAddress("10.0.0.5", List.of("999.1.1.1"))).isEqualTo("10.0.0.5");
    }

    @Test
    void ipv6_portsAndBrackets() {
        assertThat(PROXY.clientAddress("2001:db8::1", List.of("[2001:db9::7]:443"))).isEqualTo("2001:db9:0:0:0:0:0:7");
        assertThat(PROXY.clientAddress("10.0.0.5", List.of("203.0.113.7:5060"))).isEqualTo("203.0.113.7");
        assertThat(PROXY.clientAddress("10.0.0.5", List.of("::ffff:203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(PROXY.contains("2001:db8:ffff::1")).isTrue();
        assertThat(PROXY.contains("2001:db9::1")).isFalse();
    }

    @Test
    void cidrBoundaries() {
        TrustedProxies p = TrustedProxies.parse("172.16.0.0/12,127.0.0.1");
        assertThat(p.contains("172.31.255.255")).isTrue();
        assertThat(p.contains("172.32.0.0")).isFalse();
        assertThat(p.contains("127.0.0.1")).isTrue();
        assertThat(p.contains("127.0.0.2")).isFalse();
        assertThat(TrustedProxies.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
    }

    @Test
    void badEntries_areConfigErrorsNamingTheKey() {
        for (String bad : List.of("proxy.internal", "10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "::1/129", "10.0.0.1/x")) {
            assertThatThrownBy(() -> TrustedProxies.from(Map.of("DIALER_TRUSTED_PROXIES", bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("DIALER_TRUSTED_PROXIES: '");
        }
    }

    @Test
    void securitySettings_carryThem() {
        assertThat(SecuritySettings.from(Map.of("DIALER_TRUSTED_PROXIES", "127.0.0.1")).trustedProxies().contains("127.0.0.1"))
                .isTrue();
        assertThat(SecuritySettings.defaults().trustedProxies().isEmpty()).isTrue();
    }
}
