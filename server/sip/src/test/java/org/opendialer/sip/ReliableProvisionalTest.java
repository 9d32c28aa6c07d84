package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reliable provisional responses (RFC 3262) from a trunk, with SIPp as the trunk. */
@Timeout(60)
class ReliableProvisionalTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A 200 to a PRACK in SIPp's message log (before the answer, the only 200 there is). */
    private static final java.util.regex.Pattern PRACK_ANSWERED =
            java.util.regex.Pattern.compile("SIP/2.0 200 [^\\r\\n]*\\r?\\n(?:[^\\r\\n]+\\r?\\n)*?CSeq: *\\d+ PRACK");
    private SipUserAgent agent;

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void outbound_reliable183And180_areEachPrackedWithTheirRAck_thenTheCallIsAnswered() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_reliable_183.xml", sippPort, Map.of())) {
            agent = new SipUserAgent(new SipSettings("127.0.0.1", FreePorts.next(), "127.0.0.1",
                    new SipSettings.Trunk("127.0.0.1", sippPort, "udp"), null, null, null, Duration.ofMillis(100)),
                    null);
            agent.start();
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", agent.localOffer(40020),
                    listener);
            assertThat(listener.next(WAIT)).isEqualTo("provisional 183");
            assertThat(listener.next(WAIT)).isEqualTo("provisional 180");
            assertThat(listener.next(WAIT)).isEqualTo("answered");
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // both PRACKs arrived, RAck checked
            assertThat(sipp.messages()).containsPattern("Supported: [^\\r\\n]*100rel");
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }

    @Test
    void inbound_inviteRequiring100rel_isRungWithAReliable180_whosePrackIsAnswered_thenAnswered() throws Exception {
        java.util.concurrent.BlockingQueue<InboundCall> invites = new java.util.concurrent.LinkedBlockingQueue<>();
        RecordingListener listener = new RecordingListener();
        int port = FreePorts.next();
        agent = new SipUserAgent(new SipSettings("127.0.0.1", port, "127.0.0.1", null, null, null, null,
                Duration.ofMillis(100), SourceAllowList.parse("127.0.0.1")), call -> {
                    call.ring();
                    invites.add(call);
                    return listener;
                });
        agent.start();
        try (Sipp sipp = Sipp.uac("uac_require_100rel.xml", FreePorts.next(), port, "201")) {
            InboundCall call = invites.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(call).isNotNull();
            // SIPp's scenario takes the PRACK's 200 before the INVITE's: answer only once it has it (a fixed
            // second was not always enough on a loaded machine).
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!PRACK_ANSWERED.matcher(sipp.messages()).find() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(sipp.messages()).as("SIPp got the PRACK's 200").containsPattern(PRACK_ANSWERED);
            call.answer(agent.localAnswer(call.offer(), 40022));
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // reliable 180, PRACK 200, 200, BYE 200
            assertThat(sipp.messages()).containsPattern("RSeq: *\\d+");
        }
    }
}
