package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opendialer.testkit.DnsmasqProcess;
import org.xbill.DNS.Name;
import org.xbill.DNS.SRVRecord;

/** RFC 3263 lookups against a real DNS server (dnsmasq), and the RFC 2782 order of SRV records. */
@Timeout(60)
class TrunkLocatorTest {
    private static TrunkLocator locator(String trunk, DnsmasqProcess dns) {
        return new TrunkLocator(SipSettings.Trunk.parse(trunk),
                new TrunkDns(new InetSocketAddress("127.0.0.1", dns.port()), Duration.ofSeconds(3), null));
    }

    private static List<String> located(TrunkLocator l) throws Exception {
        return l.locate().get(10, TimeUnit.SECONDS).stream().map(TrunkLocator.Target::toString).toList();
    }

    private static DnsmasqProcess dns(String name, int port, int ttl, List<String> records) throws Exception {
        return DnsmasqProcess.start(Path.of("target", "dnsmasq", name).toAbsolutePath(), port, records, ttl);
    }

    @Test
    void naptr_thenSrv_thenAddresses_inPriorityOrder_withTheTransportOfEachRecord() throws Exception {
        try (DnsmasqProcess dns = dns("naptr", FreePorts.next(), 60, List.of(
                "host-record=a.carrier.test,127.0.0.2", "host-record=b.carrier.test,127.0.0.3",
                "srv-host=_sip._udp.carrier.test,b.carrier.test,5080,20,100",
                "srv-host=_sip._udp.carrier.test,a.carrier.test,5070,10,100",
                "srv-host=_sip._tcp.carrier.test,a.carrier.test,5071,10,100",
                "naptr-record=carrier.test,20,50,S,SIP+D2T,,_sip._tcp.carrier.test",
                "naptr-record=carrier.test,10,50,S,SIP+D2U,,_sip._udp.carrier.test",
                "naptr-record=carrier.test,5,50,S,SIPS+D2T,,_sips._tcp.carrier.test"))) {
            assertThat(located(locator("sip:carrier.test", dns))).containsExactly(
                    "127.0.0.2:5070/udp", "127.0.0.3:5080/udp", "127.0.0.2:5071/tcp");
            // A transport in the URI: SRV of that transport only (RFC 3263 4.1).
            assertThat(located(locator("sip:carrier.test;transport=tcp", dns))).containsExactly("127.0.0.2:5071/tcp");
            // A port in the URI: A/AAAA only (RFC 3263 4.2).
            assertThat(located(locator("sip:a.carrier.test:5099", dns))).containsExactly("127.0.0.2:5099/udp");
        }
    }

    @Test
    void aTlsTrunk_usesOnlySipsNaptrAndSrv_andPort5061WithoutThem() throws Exception {
        try (DnsmasqProcess dns = dns("tls", FreePorts.next(), 60, List.of(
                "host-record=a.carrier.test,127.0.0.2", "host-record=plain.test,127.0.0.4",
                "srv-host=_sip._udp.carrier.test,a.carrier.test,5070,10,100",
                "srv-host=_sips._tcp.carrier.test,a.carrier.test,5071,10,100",
                "naptr-record=carrier.test,10,50,S,SIP+D2U,,_sip._udp.carrier.test",
                "naptr-record=carrier.test,20,50,S,SIPS+D2T,,_sips._tcp.carrier.test"))) {
            assertThat(located(locator("sips:carrier.test", dns))).containsExactly("127.0.0.2:5071/tls");
            assertThat(located(locator("sip:carrier.test;transport=tls", dns))).containsExactly("127.0.0.2:5071/tls");
            assertThat(located(locator("sips:plain.test", dns))).containsExactly("127.0.0.4:5061/tls");
            // A plain trunk never gets a TLS server: the agent opens TLS only for a TLS trunk.
            assertThat(located(locator("sip:carrier.test", dns))).containsExactly("127.0.0.2:5070/udp");
        }
    }

    @Test
    void withoutNaptr_srvIsAsked_andWithoutSrv_theAddressOnPort5060() throws Exception {
        try (DnsmasqProcess dns = dns("srv", FreePorts.next(), 60, List.of(
                "host-record=a.carrier.test,127.0.0.2", "host-record=plain.test,127.0.0.4",
                "srv-host=_sip._udp.carrier.test,a.carrier.test,5070,10,100"))) {
            assertThat(located(locator("sip:carrier.test", dns))).containsExactly("127.0.0.2:5070/udp");
            assertThat(located(locator("sip:plain.test", dns))).containsExactly("127.0.0.4:5060/udp");
        }
    }

    @Test
    void anUnknownName_failsWithUnresolvable() throws Exception {
        try (DnsmasqProcess dns = dns("nx", FreePorts.next(), 60, List.of("host-record=a.carrier.test,127.0.0.2"))) {
            TrunkLocator l = locator("sip:nowhere.test", dns);
            assertThatThrownBy(() -> l.locate().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SipAgentException.class)
                    .hasMessageContaining("UNRESOLVABLE: trunk host nowhere.test does not resolve");
        }
    }

    @Test
    void afterTheTtl_theNameIsLookedUpAgain_andANewServerIsUsed() throws Exception {
        int port = FreePorts.next();
        List<String> before = List.of("host-record=a.carrier.test,127.0.0.2",
                "srv-host=_sip._udp.carrier.test,a.carrier.test,5070,10,100");
        TrunkLocator l;
        try (DnsmasqProcess dns = dns("ttl", port, 1, before)) {
            l = locator("sip:carrier.test", dns);
            assertThat(located(l)).containsExactly("127.0.0.2:5070/udp");
        }
        try (DnsmasqProcess dns = dns("ttl", port, 1, List.of("host-record=b.carrier.test,127.0.0.3",
                "srv-host=_sip._udp.carrier.test,b.carrier.test,5080,10,100"))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<String> now = located(l);
            while (!now.equals(List.of("127.0.0.3:5080/udp")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                now = located(l);
            }
            assertThat(now).containsExactly("127.0.0.3:5080/udp");
        }
    }

    @Test
    void srvOrder_isByPriority_thenWeighted() throws Exception {
        SRVRecord heavy = srv(10, 90, "heavy");
        SRVRecord light = srv(10, 10, "light");
        SRVRecord backup = srv(20, 100, "backup");
        Map<String, Integer> firsts = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            List<SRVRecord> order = TrunkLocator.order(List.of(backup, light, heavy), random);
            assertThat(order.get(2)).isSameAs(backup);
            firsts.merge(order.get(0).getTarget().toString(), 1, Integer::sum);
        }
        // 90:10 weights: the heavy one first about nine times in ten.
        assertThat(firsts.get("heavy.")).isBetween(820, 960);
        assertThat(firsts.get("light.")).isBetween(40, 180);
    }

    private static SRVRecord srv(int priority, int weight, String target) throws Exception {
        return new SRVRecord(Name.fromString("_sip._udp.x."), org.xbill.DNS.DClass.IN, 60, priority, weight, 5060,
                Name.fromString(target + "."));
    }
}
