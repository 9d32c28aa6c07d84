package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opendialer.testkit.DnsmasqProcess;

/**
 * RFC 3263 with real peers: dnsmasq serves NAPTR and SRV records for {@code trunk.test} that name two SIPp
 * trunks on other loopback hosts (127.0.0.2 first, 127.0.0.3 second); the gateway is given only
 * {@code sip:trunk.test}.
 */
@Timeout(90)
class TrunkFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String NUMBER = "+14155550199";

    @AutoClose
    private SipUserAgent agent;
    @AutoClose
    private DnsmasqProcess dns;

    private void startDns(int firstPort, int secondPort) throws Exception {
        dns = DnsmasqProcess.start(Path.of("target", "dnsmasq", "failover-" + firstPort).toAbsolutePath(),
                FreePorts.next(), List.of(
                        "host-record=a.trunk.test,127.0.0.2", "host-record=b.trunk.test,127.0.0.3",
                        "srv-host=_sip._udp.trunk.test,a.trunk.test," + firstPort + ",10,100",
                        "srv-host=_sip._udp.trunk.test,b.trunk.test," + secondPort + ",20,100",
                        "naptr-record=trunk.test,10,50,S,SIP+D2U,,_sip._udp.trunk.test"), 60);
    }

    private void startAgent(String trunk, Duration failover) {
        SipSettings settings = new SipSettings("127.0.0.1", FreePorts.next(), "127.0.0.1",
                SipSettings.Trunk.parse(trunk), null, null, Duration.ofSeconds(30), Duration.ofMillis(500));
        agent = new SipUserAgent(settings, InboundCallHandler.REJECT_ALL);
        agent.setTrunkDns(new TrunkDns(new InetSocketAddress("127.0.0.1", dns.port()), Duration.ofSeconds(3), failover));
        agent.start();
    }

    @Test
    void calls_goToTheFirstSrvTarget_andToTheSecond_onceTheFirstIsKilled() throws Exception {
        int first = FreePorts.next();
        int second = FreePorts.next();
        startDns(first, second);
        try (Sipp a = Sipp.uasOn("uas_answer.xml", "127.0.0.2", first, Map.of());
             Sipp b = Sipp.uasOn("uas_answer.xml", "127.0.0.3", second, Map.of())) {
            startAgent("sip:trunk.test", Duration.ofSeconds(2));
            RecordingListener one = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, NUMBER, agent.localOffer(40000), one);
            assertThat(one.nextFinal(WAIT)).as(a.logs() + dns.log()).isEqualTo("answered");
            call.hangUp();
            assertThat(a.awaitExit(WAIT)).as(a.logs()).isZero();
            // RFC 3263: the Request-URI keeps the domain; only the next hop comes from DNS.
            assertThat(a.messages()).contains("INVITE sip:" + NUMBER + "@trunk.test SIP/2.0");
            assertThat(b.isAlive()).isTrue();

            a.close(); // the first site is gone: its port answers nothing
            RecordingListener two = new RecordingListener();
            OutboundCall second2 = agent.placeCall("+14155550100", null, NUMBER, agent.localOffer(40002), two);
            assertThat(two.nextFinal(WAIT)).as(b.logs()).isEqualTo("answered");
            second2.hangUp();
            assertThat(b.awaitExit(WAIT)).as(b.logs()).isZero();
            assertThat(b.messages()).contains("INVITE sip:" + NUMBER + "@trunk.test SIP/2.0");
        }
    }

    @Test
    void a503FromTheFirstTarget_sendsTheCallToTheSecond() throws Exception {
        int first = FreePorts.next();
        int second = FreePorts.next();
        startDns(first, second);
        try (Sipp a = Sipp.uasOn("uas_reject.xml", "127.0.0.2", first,
                Map.of("status", "503", "reason", "Service Unavailable"));
             Sipp b = Sipp.uasOn("uas_answer.xml", "127.0.0.3", second, Map.of())) {
            startAgent("sip:trunk.test", Duration.ofSeconds(20)); // only the 503 can move it on in time
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, NUMBER, agent.localOffer(40000), listener);
            assertThat(listener.nextFinal(WAIT)).as(a.logs() + b.logs()).isEqualTo("answered");
            call.hangUp();
            assertThat(a.awaitExit(WAIT)).as(a.logs()).isZero();
            assertThat(b.awaitExit(WAIT)).as(b.logs()).isZero();
        }
    }

    @Test
    void aTrunkNameThatDoesNotResolve_failsTheCallAsUnreachable_withTheReason() throws Exception {
        startDns(FreePorts.next(), FreePorts.next());
        startAgent("sip:nowhere.test", Duration.ofSeconds(2));
        RecordingListener listener = new RecordingListener();
        agent.placeCall("+14155550100", null, NUMBER, agent.localOffer(40000), listener);
        assertThat(listener.nextFinal(WAIT)).isEqualTo("failed UNREACHABLE 0");
        assertThat(listener.failurePhrase).contains("trunk host nowhere.test does not resolve");
        assertThat(agent.activeCalls()).isZero();
    }

    @Test
    void aDnsServerThatNeverAnswers_failsTheCallWithinTheBound_notAHang() throws Exception {
        startDns(FreePorts.next(), FreePorts.next());
        int silentPort = dns.port();
        dns.close(); // nothing listens there any more
        dns = null;
        SipSettings settings = new SipSettings("127.0.0.1", FreePorts.next(), "127.0.0.1",
                SipSettings.Trunk.parse("sip:trunk.test"), null, null, Duration.ofSeconds(30), Duration.ofMillis(500));
        agent = new SipUserAgent(settings, InboundCallHandler.REJECT_ALL);
        agent.setTrunkDns(new TrunkDns(new InetSocketAddress("127.0.0.1", silentPort), Duration.ofSeconds(2), null));
        agent.start();
        RecordingListener listener = new RecordingListener();
        agent.placeCall("+14155550100", null, NUMBER, agent.localOffer(40000), listener);
        assertThat(listener.nextFinal(WAIT)).isEqualTo("failed UNREACHABLE 0");
        assertThat(listener.failurePhrase).contains("trunk host trunk.test does not resolve");
    }
}
