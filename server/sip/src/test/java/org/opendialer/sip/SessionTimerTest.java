package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Session timers (RFC 4028) and UPDATE (RFC 3311) against SIPp. Intervals of 2-3 s (Min-SE 1-2 s: below the
 * RFC's 90 s on the wire, allowed by TrunkOptions for tests) keep each test within a few seconds.
 */
@Timeout(60)
class SessionTimerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private SipUserAgent agent;
    private final BlockingQueue<InboundCall> invites = new LinkedBlockingQueue<>();
    private final RecordingListener listener = new RecordingListener();

    private int startAnsweringAgent(TrunkOptions options, SipSettings.Trunk trunk) {
        int port = FreePorts.next();
        agent = new SipUserAgent(new SipSettings("127.0.0.1", port, "127.0.0.1", trunk, null, null,
                Duration.ofSeconds(20), Duration.ofMillis(100), SourceAllowList.parse("127.0.0.1"), options), call -> {
                    invites.add(call);
                    call.answer(agent.localAnswer(call.offer(), 40002));
                    return listener;
                });
        agent.start();
        return port;
    }

    private static TrunkOptions timers(int sessionExpires, int minSe) {
        return TrunkOptions.DEFAULT.withSessionTimer(Duration.ofSeconds(sessionExpires), Duration.ofSeconds(minSe));
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void inboundInvite_withSessionExpiresAndNoRefresher_isAnsweredAsRefresher_andRefreshedWithUpdate() throws Exception {
        int port = startAnsweringAgent(timers(2, 1), null);
        try (Sipp sipp = Sipp.uac("uac_session_refresh.xml", FreePorts.next(), port, "201")) {
            assertThat(sipp.awaitExit(Duration.ofSeconds(15))).as(sipp.logs()).isZero(); // two UPDATEs arrived
            assertThat(sipp.messages()).contains("Session-Expires: 2;refresher=uas").contains("UPDATE sip:");
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup");
        }
    }

    @Test
    void inboundInvite_whoseCallerStopsRefreshing_getsByeBeforeExpiry_andEndsAsSessionExpired() throws Exception {
        int port = startAnsweringAgent(timers(2, 1), null);
        try (Sipp sipp = Sipp.uac("uac_session_expiry.xml", FreePorts.next(), port, "201")) {
            InboundCall call = invites.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(call).isNotNull();
            assertThat(listener.next(WAIT)).isEqualTo("sessionExpired");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // the BYE arrived
            assertThat(sipp.messages()).contains("Session-Expires: 2;refresher=uac").contains("Require: timer");
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }

    @Test
    void inboundInvite_withSessionExpiresBelowMinSe_gets422WithMinSe_andNeverRings() throws Exception {
        int port = startAnsweringAgent(timers(2, 2), null);
        try (Sipp sipp = Sipp.uac("uac_session_too_small.xml", FreePorts.next(), port, "201")) {
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(sipp.messages()).contains("SIP/2.0 422").contains("Min-SE: 2");
            assertThat(invites).isEmpty();
            assertThat(agent.activeCalls()).isZero();
        }
    }

    @Test
    void outboundInvite_answered422_isResentWithTheTrunksMinSe_andRefreshedWithReInviteWithoutUpdate() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_session_422_reinvite_refresh.xml", sippPort, Map.of())) {
            startAnsweringAgent(timers(2, 1), new SipSettings.Trunk("127.0.0.1", sippPort, "udp"));
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199",
                    agent.localOffer(40010), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("answered");
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup"); // after our refresh re-INVITE
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(sipp.messages()).contains("Supported: timer").contains("Min-SE: 3");
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }

    @Test
    void updateStorm_everyUpdateGetsAFinalResponse_theExcessIs500WithRetryAfter_andTheCallStillEnds() throws Exception {
        int port = startAnsweringAgent(TrunkOptions.DEFAULT, null);
        int updates = 40;
        try (Sipp sipp = Sipp.uacNoRetransmissions("uac_update_storm.xml", FreePorts.next(), port,
                Map.of("updates", storm(updates)), "201")) {
            assertThat(sipp.awaitExit(Duration.ofSeconds(30))).as(sipp.logs()).isZero();
            String messages = sipp.messages();
            int ok = responsesToUpdate(messages, 200);
            int refused = responsesToUpdate(messages, 500);
            assertThat(ok + refused).isEqualTo(updates);
            assertThat(refused).as("UPDATEs over the rate").isPositive();
            assertThat(messages).contains("Retry-After: 1");
            assertThat(ok).isGreaterThanOrEqualTo(UpdateLimiter.BURST);
            int reInvited = 0;
            for (String e = listener.next(WAIT); !e.equals("remoteHangup"); e = listener.next(WAIT)) {
                reInvited += e.startsWith("reInvited") ? 1 : 0;
            }
            assertThat(reInvited).as("media changes the engine sees").isEqualTo(ok);
        }
    }

    /** {@code n} UPDATEs with SDP sent back to back, each waiting for its 200 or 500. */
    private static String storm(int n) {
        StringBuilder xml = new StringBuilder();
        for (int i = 0; i < n; i++) {
            xml.append("""
                      <send>
                        <![CDATA[

                          UPDATE [next_url] SIP/2.0
                          Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                          From: "Ada Lovelace" <sip:+14155550100@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
                          To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
                          Call-ID: [call_id]
                          CSeq: %d UPDATE
                          Contact: <sip:sipp@[local_ip]:[local_port]>
                          Max-Forwards: 70
                          Content-Type: application/sdp
                          Content-Length: [len]

                          v=0
                          o=user1 53655765 %d IN IP[local_ip_type] [local_ip]
                          s=-
                          c=IN IP[media_ip_type] [media_ip]
                          t=0 0
                          m=audio [media_port] RTP/AVP 0 101
                          a=rtpmap:0 PCMU/8000
                          a=rtpmap:101 telephone-event/8000

                        ]]>
                      </send>
                      <recv response="500" optional="true" next="u%d"/>
                      <recv response="200"/>
                      <label id="u%d"/>
                    """.formatted(i + 2, 2353687638L + i, i, i));
        }
        return xml.toString();
    }

    /** Distinct UPDATE CSeqs answered with {@code status} in SIPp's message trace. */
    private static int responsesToUpdate(String trace, int status) {
        java.util.Set<String> cseqs = new java.util.HashSet<>();
        int current = 0;
        for (String line : trace.split("\n")) {
            String l = line.strip();
            if (l.startsWith("SIP/2.0 ")) {
                current = Integer.parseInt(l.substring(8, 11));
            } else if (l.matches("[A-Z]+ \\S+ SIP/2\\.0")) {
                current = 0;
            } else if (current == status && l.matches("CSeq: *\\d+ UPDATE")) {
                cseqs.add(l.replaceAll("\\D", ""));
            }
        }
        return cseqs.size();
    }
}
