package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** INVITEs from the trunk, with SIPp playing the trunk's caller. */
@Timeout(60)
class InboundCallTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Set<String> USERS = Set.of("+14155550199", "201");

    private SipUserAgent agent;
    private final BlockingQueue<InboundCall> invites = new LinkedBlockingQueue<>();
    private final RecordingListener listener = new RecordingListener();

    private int startAgent(Duration ringTimeout, InboundCallHandler handler) {
        return startAgent(ringTimeout, handler, "127.0.0.1");
    }

    /** No trunk here: INVITEs are accepted only from {@code allowedSources} (DIALER_SIP_ALLOWED_SOURCES). */
    private int startAgent(Duration ringTimeout, InboundCallHandler handler, String allowedSources) {
        int port = FreePorts.next();
        agent = new SipUserAgent(new SipSettings("127.0.0.1", port, "127.0.0.1", null, null, null,
                ringTimeout, Duration.ofMillis(100), SourceAllowList.parse(allowedSources)), handler);
        agent.start();
        return port;
    }

    /** Rings known users and answers at once; rejects anonymous callers with 603 and others with 404. */
    private int startAgent() {
        return startAgent(Duration.ofSeconds(20), call -> {
            invites.add(call);
            if (!USERS.contains(call.identity().to())) {
                call.reject(404);
            } else if (call.identity().from() == null) {
                call.ring();
                call.reject(603);
            } else {
                call.ring();
                call.answer(agent.localAnswer(call.offer(), 40002));
            }
            return listener;
        });
    }

    /** A handler that only rings. */
    private int startRingingAgent(Duration ringTimeout) {
        return startAgent(ringTimeout, call -> {
            invites.add(call);
            call.ring();
            return listener;
        });
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.stop();
        }
    }

    private InboundCall nextInvite() throws InterruptedException {
        InboundCall call = invites.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(call).as("INVITE reached the handler").isNotNull();
        return call;
    }

    @Test
    void invite_withDisplayName_isAnswered_thenRemoteByeEndsCall() throws Exception {
        int port = startAgent();
        try (Sipp sipp = Sipp.uac("uac_answered_bye.xml", FreePorts.next(), port, "+14155550199")) {
            InboundCall call = nextInvite();
            assertThat(call.identity()).isEqualTo(new CallerIdentity("+14155550100", "Ada Lovelace", "+14155550199"));
            assertThat(call.offer().firstCommonCodec()).contains(RtpFormat.PCMU);
            assertThat(call.offer().telephoneEvent()).isPresent();
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
            assertThat(call.localSdp().format()).contains("m=audio 40002 RTP/AVP 0 101");
        }
    }

    @Test
    void invite_withPAssertedIdentity_showsTheAssertedCaller_notTheFromTheCallerWrote() throws Exception {
        int port = startAgent();
        try (Sipp sipp = Sipp.uac("uac_asserted_identity_bye.xml", FreePorts.next(), port, "+14155550199")) {
            assertThat(nextInvite().identity())
                    .isEqualTo(new CallerIdentity("+14155550122", "Grace Hopper", "+14155550199"));
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
        }
    }

    @Test
    void invite_toExtension_reachesHandlerWithExtension() throws Exception {
        int port = startAgent();
        try (Sipp sipp = Sipp.uac("uac_answered_bye.xml", FreePorts.next(), port, "201")) {
            assertThat(nextInvite().identity().to()).isEqualTo("201");
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
        }
    }

    @Test
    void invite_fromAnonymousWithPrivacyId_hidesNumberAndName() throws Exception {
        int port = startAgent();
        try (Sipp sipp = Sipp.uac("uac_anonymous_declined.xml", FreePorts.next(), port, "+14155550199")) {
            InboundCall call = nextInvite();
            assertThat(call.identity()).isEqualTo(new CallerIdentity(null, null, "+14155550199"));
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // 180, then 603 and its ACK
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }

    @Test
    void invite_fromSourceNotAllowed_gets403_andNeverReachesHandler() throws Exception {
        int port = startAgent(Duration.ofSeconds(20), call -> {
            invites.add(call);
            call.reject(404);
            return null;
        }, "10.0.0.0/8, 192.0.2.7");
        try (Sipp sipp = Sipp.uac("uac_forbidden.xml", FreePorts.next(), port, "201")) {
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(invites).isEmpty();
            assertThat(agent.activeCalls()).isZero();
        }
    }

    @Test
    void invite_toUnknownNumber_gets404() throws Exception {
        int port = startAgent();
        try (Sipp sipp = Sipp.uac("uac_not_found.xml", FreePorts.next(), port, "+14155550000")) {
            assertThat(nextInvite().identity().to()).isEqualTo("+14155550000");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(agent.activeCalls()).isZero();
        }
    }

    @Test
    void invite_canceledWhileRinging_gets487_andReportsCanceled() throws Exception {
        int port = startRingingAgent(Duration.ofSeconds(20));
        try (Sipp sipp = Sipp.uac("uac_cancel.xml", FreePorts.next(), port, "+14155550199")) {
            InboundCall call = nextInvite();
            assertThat(listener.next(WAIT)).isEqualTo("failed CANCELED 487");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // 200 for CANCEL, 487, ACK
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }

    @Test
    void invite_notAnsweredWithinRingTimeout_gets480_andReportsNoAnswer() throws Exception {
        int port = startRingingAgent(Duration.ofSeconds(1));
        try (Sipp sipp = Sipp.uac("uac_ring_timeout.xml", FreePorts.next(), port, "+14155550199")) {
            InboundCall call = nextInvite();
            assertThat(listener.next(WAIT)).isEqualTo("failed NO_ANSWER 480");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }

    @Test
    void answer_withoutAckFromCaller_retransmits200UntilAcked() throws Exception {
        int port = startAgent();
        try (Sipp sipp = Sipp.uac("uac_late_ack.xml", FreePorts.next(), port, "+14155550199")) {
            nextInvite();
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            // T1 = 100 ms: copies at about 100, 300, 700 and 1500 ms before SIPp's ACK at 1.5 s
            long okForInvite = java.util.Arrays.stream(sipp.messages().split("message received"))
                    .filter(m -> m.contains("SIP/2.0 200 OK") && m.contains("CSeq: 1 INVITE")).count();
            assertThat(okForInvite).isGreaterThanOrEqualTo(2);
        }
    }
}
