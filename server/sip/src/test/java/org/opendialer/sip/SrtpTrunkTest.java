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

/** DIALER_SIP_SRTP in the signalling, with SIPp as the trunk: which offers and answers pass, and the 488s. */
@Timeout(60)
class SrtpTrunkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CRYPTO = "a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:"
            + java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcd".getBytes());

    private SipUserAgent agent;
    private final BlockingQueue<InboundCall> invites = new LinkedBlockingQueue<>();
    private final RecordingListener listener = new RecordingListener();

    private int startAgent(SrtpMode mode, int trunkPort) {
        int port = FreePorts.next();
        SipSettings settings = new SipSettings("127.0.0.1", port, "127.0.0.1",
                new SipSettings.Trunk("127.0.0.1", trunkPort, "udp"), null, null, Duration.ofSeconds(20),
                Duration.ofMillis(500));
        agent = new SipUserAgent(settings.withTrunkOptions(settings.trunkOptions().withSrtp(mode)), call -> {
            invites.add(call);
            call.ring();
            call.answer(agent.localAnswer(call.offer(), 40002));
            return listener;
        });
        agent.start();
        return port;
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void plainOffer_whenSrtpIsRequired_gets488_andNeverRings() throws Exception {
        int sippPort = FreePorts.next();
        int port = startAgent(SrtpMode.REQUIRED, sippPort);
        try (Sipp sipp = Sipp.uacNoRetransmissions("uac_offer_refused.xml", sippPort, port,
                Map.of("profile", "RTP/AVP", "attribute", "a=sendrecv"), "+14155550199")) {
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(sipp.messages()).contains("488 Not Acceptable Here (SRTP required (DIALER_SIP_SRTP))");
            assertThat(invites).isEmpty();
        }
    }

    @Test
    void srtpOffer_whenSrtpIsOff_gets488() throws Exception {
        int sippPort = FreePorts.next();
        int port = startAgent(SrtpMode.OFF, sippPort);
        try (Sipp sipp = Sipp.uacNoRetransmissions("uac_offer_refused.xml", sippPort, port,
                Map.of("profile", "RTP/SAVP", "attribute", CRYPTO), "+14155550199")) {
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(invites).isEmpty();
        }
    }

    @Test
    void srtpOffer_whenOptional_isAnsweredWithOurOwnKeyUnderItsTag() throws Exception {
        int sippPort = FreePorts.next();
        int port = startAgent(SrtpMode.OPTIONAL, sippPort);
        try (Sipp sipp = Sipp.uacNoRetransmissions("uac_offer_answered.xml", sippPort, port,
                Map.of("profile", "RTP/SAVP", "attribute", CRYPTO), "+14155550199")) {
            InboundCall call = invites.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(call).isNotNull();
            assertThat(call.offer().crypto().tag()).isEqualTo(3);
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(call.localSdp().format()).contains("m=audio 40002 RTP/SAVP 0 101")
                    .containsPattern("a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:\\S{40}");
            assertThat(call.localSdp().crypto()).isNotEqualTo(call.offer().crypto());
        }
    }

    @Test
    void optional_aTrunkThatRefusesSrtpWith488_getsThePlainOfferOnce_andTheCallIsAnswered() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_488_then_answer.xml", sippPort, Map.of())) {
            startAgent(SrtpMode.OPTIONAL, sippPort);
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", agent.localOffer(40000), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("answered");
            assertThat(call.localSdp().secure()).isFalse();
            call.hangUp();
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            String messages = sipp.messages();
            assertThat(messages).contains("m=audio 40000 RTP/SAVP 0 8 101", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:",
                    "m=audio 40000 RTP/AVP 0 8 101");
            assertThat(messages.indexOf("RTP/SAVP")).isLessThan(messages.indexOf("RTP/AVP 0 8 101"));
        }
    }

    @Test
    void required_aPlainAnswerToOurSrtpOffer_endsTheCallWithBye_andAClearReason() throws Exception {
        int sippPort = FreePorts.next();
        try (Sipp sipp = Sipp.uas("uas_answer.xml", sippPort, Map.of())) {
            startAgent(SrtpMode.REQUIRED, sippPort);
            agent.placeCall("+14155550100", null, "+14155550199", agent.localOffer(40000), listener);
            assertThat(listener.nextFinal(WAIT)).isEqualTo("failed FAILED 488");
            assertThat(listener.failurePhrase).contains("without a usable SDES key");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // ACK, then our BYE
        }
    }
}
