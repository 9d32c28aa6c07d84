package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opendialer.testkit.DnsmasqProcess;

/**
 * A NAPTR record that moves the trunk to TCP (RFC 3263 4.1): the INVITE that answers a digest challenge or a 422
 * goes to the same server over the same transport as the first, and says so in its Via. dnsmasq names one SIPp
 * trunk that listens on TCP only (127.0.0.2), so a retry sent anywhere else is never answered.
 */
@Timeout(90)
class NaptrTcpRetryTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern VIA = Pattern.compile("\\nVia: SIP/2.0/(\\w+) ");

    @AutoClose
    private SipUserAgent agent;
    @AutoClose
    private DnsmasqProcess dns;

    private void start(int trunkPort, java.util.function.UnaryOperator<SipSettings> configure) throws Exception {
        dns = DnsmasqProcess.start(Path.of("target", "dnsmasq", "naptr-tcp-" + trunkPort).toAbsolutePath(),
                FreePorts.next(), List.of("host-record=a.trunk.test,127.0.0.2",
                        "srv-host=_sip._tcp.trunk.test,a.trunk.test," + trunkPort + ",10,100",
                        "naptr-record=trunk.test,10,50,S,SIP+D2T,,_sip._tcp.trunk.test"), 60);
        SipSettings settings = configure.apply(new SipSettings("127.0.0.1", FreePorts.next(), "127.0.0.1",
                SipSettings.Trunk.parse("sip:trunk.test"), null, null, Duration.ofSeconds(30), Duration.ofMillis(500)));
        agent = new SipUserAgent(settings, InboundCallHandler.REJECT_ALL);
        agent.setTrunkDns(new TrunkDns(new InetSocketAddress("127.0.0.1", dns.port()), Duration.ofSeconds(3), null));
        agent.start();
    }

    /** The transport of each Via the trunk received (requests only, in order). */
    private static List<String> viaTransports(Sipp sipp) {
        List<String> found = new java.util.ArrayList<>();
        for (String message : sipp.messages().split("\\n-{10,}")) {
            if (message.contains("message received") && message.contains("INVITE sip:")) {
                Matcher m = VIA.matcher(message);
                if (m.find()) {
                    found.add(m.group(1));
                }
            }
        }
        return found;
    }

    @Test
    void aDigestChallenge_isAnsweredOverTcpToTheSameServer_withATcpVia() throws Exception {
        int trunkPort = FreePorts.next();
        Map<String, String> challenge = Map.of("status", "401", "reason", "Unauthorized",
                "challenge", "WWW-Authenticate",
                "verify", "<verifyauth assign_to=\"authvalid\" username=\"gw\" password=\"s3cret\"/>",
                "gate", "<nop hide=\"true\" test=\"authvalid\" next=\"goodauth\"/>");
        try (Sipp trunk = Sipp.uasOnOverTcp("uas_auth.xml", "127.0.0.2", trunkPort, challenge)) {
            start(trunkPort, s -> s.withCredentials("gw", "s3cret"));
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", agent.localOffer(40000), listener);
            assertThat(listener.nextFinal(WAIT)).as(trunk.logs()).isEqualTo("answered");
            call.hangUp();
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(viaTransports(trunk)).as(trunk.messages()).containsExactly("TCP", "TCP");
        }
    }

    @Test
    void a422_isAnsweredOverTcpToTheSameServer_withATcpVia() throws Exception {
        int trunkPort = FreePorts.next();
        try (Sipp trunk = Sipp.uasOnOverTcp("uas_session_422_reinvite_refresh.xml", "127.0.0.2", trunkPort, Map.of())) {
            start(trunkPort, s -> s.withTrunkOptions(TrunkOptions.DEFAULT.withSessionTimer(Duration.ofSeconds(2),
                    Duration.ofSeconds(1))));
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", agent.localOffer(40000), listener);
            assertThat(listener.nextFinal(WAIT)).as(trunk.logs()).isEqualTo("answered");
            assertThat(listener.next(WAIT)).as(trunk.logs()).isEqualTo("remoteHangup"); // after our refresh re-INVITE
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(trunk.messages()).contains("Min-SE: 3");
            assertThat(viaTransports(trunk)).as(trunk.messages()).startsWith("TCP", "TCP").doesNotContain("UDP");
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }
}
