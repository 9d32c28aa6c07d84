package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceAllowListTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void parse_addressesAndCidrs_allowsOnlyThose() throws Exception {
        SourceAllowList list = SourceAllowList.parse(" 192.0.2.7 , 10.0.0.0/8,198.51.100.128/25, 2001:db8::/32 ");
        assertThat(list.allows(ip("192.0.2.7"))).isTrue();
        assertThat(list.allows(ip("192.0.2.8"))).isFalse();
        assertThat(list.allows(ip("10.255.1.2"))).isTrue();
        assertThat(list.allows(ip("11.0.0.1"))).isFalse();
        assertThat(list.allows(ip("198.51.100.200"))).isTrue();
        assertThat(list.allows(ip("198.51.100.127"))).isFalse();
        assertThat(list.allows(ip("2001:db8:1::5"))).isTrue();
        assertThat(list.allows(ip("2001:db9::5"))).isFalse();
        assertThat(list.allows(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void parse_blank_allowsNothing() throws Exception {
        assertThat(SourceAllowList.parse("  ").isEmpty()).isTrue();
        assertThat(SourceAllowList.parse(null).allows(ip("127.0.0.1"))).isFalse();
        assertThat(SourceAllowList.parse("0.0.0.0/0").allows(ip("203.0.113.9"))).isTrue();
    }

    @Test
    void parse_badEntries_nameTheEntry() {
        assertThatThrownBy(() -> SourceAllowList.parse("10.0.0.0/8,pbx.example.com"))
                .hasMessageContaining("'pbx.example.com' is not an IP address or CIDR block");
        assertThatThrownBy(() -> SourceAllowList.parse("10.0.0.0/33")).hasMessageContaining("bad prefix length (0-32)");
        assertThatThrownBy(() -> SourceAllowList.parse("300.1.1.1")).hasMessageContaining("'300.1.1.1'");
        assertThatThrownBy(() -> SourceAllowList.parse("10.0.0/8")).hasMessageContaining("'10.0.0/8'");
    }
}
