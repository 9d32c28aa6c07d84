package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.opendialer.core.calls.RtpProbe.bothWays;
import static org.opendialer.core.calls.RtpProbe.gatewayPort;
import static org.opendialer.core.calls.RtpProbe.hearsRingback;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.config.TransferMode;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.media.relay.TestBrowser;

/**
 * SIP REFER with SIPp as the caller on the trunk: alice transfers the caller by REFER (DIALER_TRANSFER=refer) and
 * the caller's NOTIFYs decide the outcome as a target leg's responses would in bridge mode (decision 0027: resolved
 * at the ringing NOTIFY, the caller back before it, a recall after it); the caller REFERs alice elsewhere and the gateway follows it with a new
 * leg to the trunk (a second SIPp), or refuses it when the destination policy says no.
 */
class CallEngineReferTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ALICE_NUMBER = "+12015550123";
    private static final DialTarget TARGET = new DialTarget.PhoneNumber("+14155550177");

    @TempDir
    Path dir;
    private SipEngineFixture fx;
    private CallEngine engine;
    private RecordingDialer agent;

    private DatagramSocket callerRtp;

    @BeforeEach
    void setUp() throws Exception {
        fx = new SipEngineFixture(dir);
        callerRtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void tearDown() {
        fx.close();
        callerRtp.close();
    }

    /** The SIPp caller (audio: {@link #callerRtp}) that accepts the REFER and reports 100, {@code progress}, {@code last}. */
    private SippPeer referCaller(String progress, String last) throws Exception {
        return SippPeer.uac("uac_refer_accept.xml", fx.sipPort, ALICE_NUMBER, keys("TARGET", "+14155550177",
                "PROGRESS", progress, "FINAL", last, "rtp_port", String.valueOf(callerRtp.getLocalPort())));
    }

    /** The transfer's relay session is closed once the caller's leg is gone (nothing left behind). */
    private void awaitNoMediaSession() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (fx.relay.stats().activeSessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(fx.relay.stats().activeSessions()).as("relay sessions left").isZero();
    }

    private void start(String trunk) throws Exception {
        start(trunk, Duration.ofSeconds(30));
    }

    private void start(String trunk, Duration ring) throws Exception {
        engine = fx.start(trunk, 19600, 19679, ring, e -> e.setTransferMode(TransferMode.REFER));
        agent = new RecordingDialer(fx.alice.id());
        engine.attach(agent);
    }

    /** Alice answers the SIPp caller's call; returns its id. */
    private String answered() throws Exception {
        CallView ringing = agent.await(v -> v.state() == CallState.CONNECTING, WAIT);
        engine.answer(agent, ringing.id());
        agent.await(v -> v.state() == CallState.ANSWERED, WAIT);
        return ringing.id();
    }

    private static Map<String, String> keys(String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void referTransfer_ringingThen200_resolvesAtTheRing_thenWeSendBye_andCloseTheMedia() throws Exception {
        start("sip:127.0.0.1:9");
        try (SippPeer caller = referCaller("180 Ringing", "200 OK")) {
            String id = answered();
            engine.transfer(agent, fx.alice, id, TARGET).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            CallView end = agent.awaitEnd(WAIT);
            assertThat(end.endReason()).isEqualTo(EndReason.TRANSFERRED);
            assertThat(end.result()).isEqualTo(CallResult.ANSWERED);
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero(); // NOTIFY 200, then our BYE (RFC 5589)
            assertThat(caller.messages()).contains("Refer-To: <sip:+14155550177@127.0.0.1:9>");
            awaitNoMediaSession();
        }
    }

    @Test
    void referTransfer_ringingThenBusy_resolvesAtTheRing_recallsTheUser_whoTakesTheCallerBackWithAudio()
            throws Exception {
        start("sip:127.0.0.1:9");
        try (SippPeer caller = referCaller("180 Ringing", "486 Busy Here"); TestBrowser browser = new TestBrowser()) {
            String id = answered();
            // Resolved, not failed: the 180 NOTIFY started the transfer, so the 486 after it is a recall.
            engine.transfer(agent, fx.alice, id, TARGET).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(agent.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.TRANSFERRED);
            CallView recall = agent.await(v -> v.recall() && v.state() == CallState.CONNECTING, WAIT);
            assertThat(recall.from()).isEqualTo("+14155550100");
            assertThat(hearsRingback(callerRtp)).as("the caller hears our ringback meanwhile").isTrue();
            browser.connect(engine.answer(agent, recall.id(), browser.offer(true, true, -1)));
            agent.await(v -> v.id().equals(recall.id()) && v.state() == CallState.ANSWERED, WAIT);
            assertThat(bothWays(callerRtp, gatewayPort(caller, callerRtp), browser)).as("audio both ways").isTrue();
            engine.hangUp(agent, recall.id()); // the same SIP leg: the BYE the caller's scenario ends with
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(agent.states()).containsExactly("connecting", "answered", "disconnected/transferred",
                    "connecting", "answered", "disconnected/local_hangup");
        }
    }

    @Test
    void referTransfer_ringingThenBusy_andTheRecallIsNotTaken_hangsUpTheCaller() throws Exception {
        start("sip:127.0.0.1:9", Duration.ofSeconds(3));
        try (SippPeer caller = referCaller("180 Ringing", "486 Busy Here")) {
            String id = answered();
            engine.transfer(agent, fx.alice, id, TARGET).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            CallView recall = agent.await(v -> v.recall() && v.state() == CallState.CONNECTING, WAIT);
            assertThat(agent.await(v -> v.id().equals(recall.id()) && v.state() == CallState.DISCONNECTED, WAIT)
                    .endReason()).isEqualTo(EndReason.NO_ANSWER);
            assertThat(caller.awaitExit(WAIT)).as("the caller got a BYE: " + caller.logs()).isZero();
            awaitNoMediaSession();
        }
    }

    @Test
    void referTransfer_busyBeforeAnyRing_failsWithTransferFailed_andTheSameCallGoesOnWithAudio() throws Exception {
        start("sip:127.0.0.1:9");
        try (SippPeer caller = referCaller("100 Trying", "486 Busy Here"); TestBrowser browser = new TestBrowser()) {
            CallView ringing = agent.await(v -> v.state() == CallState.CONNECTING, WAIT);
            browser.connect(engine.answer(agent, ringing.id(), browser.offer(true, true, -1)));
            String id = ringing.id();
            var started = engine.transfer(agent, fx.alice, id, TARGET);
            assertThatThrownBy(() -> started.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(CallException.class, e -> {
                        assertThat(e.reason()).isEqualTo(CallException.Reason.TRANSFER_FAILED);
                        assertThat(e.getMessage()).contains("busy").contains("486 Busy Here");
                    });
            assertThat(agent.states()).containsExactly("connecting", "answered");
            assertThat(bothWays(callerRtp, gatewayPort(caller, callerRtp), browser)).as("audio both ways").isTrue();
            engine.hangUp(agent, id); // still alice's call
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(agent.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        }
    }

    @Test
    void referTransfer_ofAHeldCall_busyBeforeAnyRing_resumesTheSameCall_withAudioBothWays() throws Exception {
        start("sip:127.0.0.1:9");
        try (SippPeer caller = SippPeer.uac("uac_held_refer_fail.xml", fx.sipPort, ALICE_NUMBER,
                keys("TARGET", "+14155550177", "rtp_port", String.valueOf(callerRtp.getLocalPort())));
             TestBrowser browser = new TestBrowser()) {
            CallView ringing = agent.await(v -> v.state() == CallState.CONNECTING, WAIT);
            browser.connect(engine.answer(agent, ringing.id(), browser.offer(true, true, -1)));
            String id = ringing.id();
            engine.hold(agent, id, true);
            awaitSeen(caller, "^ACK sip:", 2); // the hold is done before the REFER (the scenario's order)
            var started = engine.transfer(agent, fx.alice, id, TARGET);
            assertThatThrownBy(() -> started.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .cause().hasMessageContaining("busy");
            awaitSeen(caller, "^ACK sip:", 3); // our resume (a=sendrecv, checked by the scenario) is complete
            assertThat(bothWays(callerRtp, gatewayPort(caller, callerRtp), browser)).as("audio both ways").isTrue();
            engine.hangUp(agent, id);
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(agent.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        }
    }

    @Test
    void referTransfer_theFarEndHangsUpAfterAccepting_endsTheCallTransferred() throws Exception {
        start("sip:127.0.0.1:9");
        try (SippPeer caller = SippPeer.uac("uac_refer_accept_then_bye.xml", fx.sipPort, ALICE_NUMBER,
                keys("TARGET", "+14155550177", "rtp_port", String.valueOf(callerRtp.getLocalPort())))) {
            String id = answered();
            engine.transfer(agent, fx.alice, id, TARGET).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            CallView end = agent.awaitEnd(WAIT);
            assertThat(end.endReason()).isEqualTo(EndReason.TRANSFERRED);
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            awaitNoMediaSession();
        }
    }

    @Test
    void referTransfer_acceptedButNoRingingWithinTheTargetRingTime_resolvesAnyway_beforeTheSdksLimit() throws Exception {
        start("sip:127.0.0.1:9", Duration.ofSeconds(3)); // the target ring time: 3 s
        try (SippPeer caller = SippPeer.uac("uac_refer_accept_silent.xml", fx.sipPort, ALICE_NUMBER,
                keys("TARGET", "+14155550177", "rtp_port", String.valueOf(callerRtp.getLocalPort())))) {
            String id = answered();
            engine.transfer(agent, fx.alice, id, TARGET).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(agent.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.TRANSFERRED);
            engine.close(); // the caller still waits for the final NOTIFY: shutdown hangs it up
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
        }
    }

    @Test
    void referTransfer_refusedByTheTrunk_failsWithTheStatus_keepsTheCall_andASecondTransferIsRefusedMeanwhile()
            throws Exception {
        start("sip:127.0.0.1:9");
        try (SippPeer caller = SippPeer.uac("uac_refer_refused.xml", fx.sipPort, ALICE_NUMBER,
                keys("TARGET", "+14155550177"))) {
            String id = answered();
            var started = engine.transfer(agent, fx.alice, id, TARGET);
            // The REFER is under way until the 405 arrives (the scenario answers it 300 ms late).
            assertThatThrownBy(() -> engine.transfer(agent, fx.alice, id, TARGET))
                    .isInstanceOfSatisfying(CallException.class, e ->
                            assertThat(e.reason()).isEqualTo(CallException.Reason.TRANSFER_REFUSED));
            assertThatThrownBy(() -> started.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(CallException.class, e -> {
                        assertThat(e.reason()).isEqualTo(CallException.Reason.TRANSFER_FAILED);
                        assertThat(e.getMessage()).contains("405");
                    });
            assertThat(agent.states()).containsExactly("connecting", "answered");
            engine.hangUp(agent, id);
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
        }
    }

    @Test
    void referTransfer_toAPremiumNumber_isRefusedBeforeAnyRefer() throws Exception {
        start("sip:127.0.0.1:9");
        try (SippPeer caller = SippPeer.uac("uac_answered.xml", fx.sipPort, ALICE_NUMBER)) {
            String id = answered();
            assertThatThrownBy(() -> engine.transfer(agent, fx.alice, id, new DialTarget.PhoneNumber("+19005550100")))
                    .isInstanceOfSatisfying(CallException.class, e ->
                            assertThat(e.reason()).isEqualTo(CallException.Reason.DESTINATION_NOT_ALLOWED));
            engine.hangUp(agent, id);
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(caller.messages()).doesNotContain("REFER sip:");
        }
    }

    @Test
    void attendedTransferInReferMode_sendsReferWithReplaces_andBothCallsEndTransferredOn200() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_wait_bye.xml", Map.of())) {
            start(trunk.uri());
            try (SippPeer caller = SippPeer.uac("uac_held_refer_accept.xml", fx.sipPort, ALICE_NUMBER,
                    keys("TARGET", "+14155550177", "FINAL", "200 OK"))) {
                String first = answered();
                engine.hold(agent, first, true);
                String consultation = engine.place(fx.alice, TARGET);
                agent.await(v -> v.id().equals(consultation) && v.state() == CallState.ANSWERED, WAIT);
                engine.transferToCall(agent, first, consultation);
                assertThat(agent.await(v -> v.id().equals(first) && v.state() == CallState.DISCONNECTED, WAIT)
                        .endReason()).isEqualTo(EndReason.TRANSFERRED);
                assertThat(agent.await(v -> v.id().equals(consultation) && v.state() == CallState.DISCONNECTED, WAIT)
                        .endReason()).isEqualTo(EndReason.TRANSFERRED);
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero(); // REFER with Replaces checked, BYE got
                assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero(); // the consultation leg got our BYE
                String callId = java.util.regex.Pattern.compile("(?m)^Call-ID: (\\S+)").matcher(trunk.messages())
                        .results().findFirst().orElseThrow().group(1);
                assertThat(caller.messages()).contains("?Replaces=" + callId.replace("@", "%40"));
            }
        }
    }

    @Test
    void referFromTheCaller_isFollowed_theTargetAnswers_andTheUsersCallGoesOnWithIt() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_wait_bye.xml", Map.of())) {
            start(trunk.uri());
            try (SippPeer caller = SippPeer.uac("uac_refers_us.xml", fx.sipPort, ALICE_NUMBER,
                    keys("TARGET", "+14155550166", "FINAL", "200"))) {
                String id = answered();
                // 202, NOTIFY 100/180/200 and our BYE: the caller's scenario checks each.
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(trunk.messages()).contains("INVITE sip:+14155550166@")
                        .contains("From: \"Alice Agent\" <sip:+12015550123@");
                assertThat(agent.states()).containsExactly("connecting", "answered"); // the same call goes on
                engine.hangUp(agent, id); // its far end is the target now: the BYE goes to the trunk
                assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
                assertThat(agent.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
            }
        }
    }

    @Test
    void referFromTheCaller_whileTheUserHoldsTheCall_placesTheNewLegHeld_asTheDialerShowsIt() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_wait_bye.xml", Map.of())) {
            start(trunk.uri());
            try (SippPeer caller = SippPeer.uac("uac_held_then_refers_us.xml", fx.sipPort, ALICE_NUMBER,
                    keys("TARGET", "+14155550166", "FINAL", "200"))) {
                String id = answered();
                engine.hold(agent, id, true); // the caller answers the hold re-INVITE, then REFERs us
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(trunk.messages()).contains("INVITE sip:+14155550166@").contains("a=sendonly");
                engine.hangUp(agent, id);
                assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
                assertThat(agent.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
            }
        }
    }

    @Test
    void referFromTheCaller_toABusyTarget_isReported486_andTheCallGoesOnWithTheCaller() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_reject.xml", Map.of("status", "486", "reason", "Busy Here"))) {
            start(trunk.uri());
            try (SippPeer caller = SippPeer.uac("uac_refers_us.xml", fx.sipPort, ALICE_NUMBER,
                    keys("TARGET", "+14155550166", "FINAL", "486"))) {
                String id = answered();
                assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
                awaitSeen(caller, "SIP/2.0 486 Busy Here"); // the NOTIFY, before alice hangs up
                engine.hangUp(agent, id); // the caller is still alice's: it gets the BYE its scenario ends with
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(agent.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
            }
        }
    }

    @Test
    void referFromTheCaller_toAPremiumNumber_gets403_andNoInviteLeaves() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_wait_bye.xml", Map.of())) {
            start(trunk.uri());
            try (SippPeer caller = SippPeer.uac("uac_refers_us_refused.xml", fx.sipPort, ALICE_NUMBER,
                    keys("TARGET", "+19005550100", "REFUSAL", "403"))) {
                String id = answered();
                awaitSeen(caller, "SIP/2.0 403");
                assertThat(agent.states()).containsExactly("connecting", "answered");
                engine.hangUp(agent, id);
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(caller.messages()).contains("403 Forbidden (destination not allowed)");
                assertThat(trunk.messages()).doesNotContain("INVITE sip:");
            }
        }
    }

    /** Waits until SIPp's message log has {@code count} lines matching {@code regex} (sent or received). */
    private static void awaitSeen(SippPeer peer, String regex, int count) throws InterruptedException {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.MULTILINE);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (p.matcher(peer.messages()).results().count() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(p.matcher(peer.messages()).results().count()).as(peer.messages()).isGreaterThanOrEqualTo(count);
    }

    /** Waits until SIPp's message log shows {@code text}, so what the test does next comes after it. */
    private static void awaitSeen(SippPeer caller, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!caller.messages().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
