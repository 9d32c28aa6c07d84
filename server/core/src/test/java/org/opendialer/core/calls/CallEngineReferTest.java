package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.config.TransferMode;
import org.opendialer.core.numbers.DialTarget;

/**
 * SIP REFER with SIPp as the caller on the trunk: alice transfers the caller by REFER (DIALER_TRANSFER=refer) and
 * the caller's NOTIFYs decide the outcome; the caller REFERs alice elsewhere and the gateway follows it with a new
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

    @BeforeEach
    void setUp() {
        fx = new SipEngineFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private void start(String trunk) throws Exception {
        engine = fx.start(trunk, 19600, 19679, e -> e.setTransferMode(TransferMode.REFER));
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
    void referTransfer_theFarEndReports200_theCallEndsTransferred_andWeSendBye() throws Exception {
        start("sip:127.0.0.1:9");
        try (SippPeer caller = SippPeer.uac("uac_refer_accept.xml", fx.sipPort, ALICE_NUMBER,
                keys("TARGET", "+14155550177", "FINAL", "200 OK"))) {
            String id = answered();
            engine.transfer(agent, fx.alice, id, TARGET);
            CallView end = agent.awaitEnd(WAIT);
            assertThat(end.endReason()).isEqualTo(EndReason.TRANSFERRED);
            assertThat(end.result()).isEqualTo(CallResult.ANSWERED);
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero(); // it got our BYE
            assertThat(caller.messages()).contains("Refer-To: <sip:+14155550177@127.0.0.1:9>");
        }
    }

    @Test
    void referTransfer_theTargetIsBusy_theCallerStaysWithTheUser_andTheDialerIsToldBusy() throws Exception {
        start("sip:127.0.0.1:9");
        try (SippPeer caller = SippPeer.uac("uac_refer_accept.xml", fx.sipPort, ALICE_NUMBER,
                keys("TARGET", "+14155550177", "FINAL", "486 Busy Here"))) {
            String id = answered();
            engine.transfer(agent, fx.alice, id, TARGET);
            assertThat(agent.awaitTransferFailures(WAIT)).containsExactly(id + "/busy");
            assertThat(agent.states()).containsExactly("connecting", "answered");
            engine.hangUp(agent, id); // still alice's call
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(agent.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        }
    }

    @Test
    void referTransfer_refusedByTheTrunk_keepsTheCall_andASecondTransferIsRefusedMeanwhile() throws Exception {
        start("sip:127.0.0.1:9");
        try (SippPeer caller = SippPeer.uac("uac_refer_refused.xml", fx.sipPort, ALICE_NUMBER,
                keys("TARGET", "+14155550177"))) {
            String id = answered();
            engine.transfer(agent, fx.alice, id, TARGET);
            // The REFER is under way until the 405 arrives (the scenario answers it 300 ms late).
            assertThatThrownBy(() -> engine.transfer(agent, fx.alice, id, TARGET))
                    .isInstanceOfSatisfying(CallException.class, e ->
                            assertThat(e.reason()).isEqualTo(CallException.Reason.TRANSFER_REFUSED));
            assertThat(agent.awaitTransferFailures(WAIT)).first().isEqualTo(id + "/failed");
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
                    keys("TARGET", "+14155550166", "URI_HEADERS", "", "FINAL", "200"))) {
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
                    keys("TARGET", "+14155550166", "URI_HEADERS", "", "FINAL", "486"))) {
                String id = answered();
                assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
                caller.awaitMessage("SIP/2.0 486 Busy Here", WAIT); // the NOTIFY, before alice hangs up
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
                    keys("TARGET", "+19005550100", "URI_HEADERS", "", "REFUSAL", "403"))) {
                String id = answered();
                caller.awaitMessage("SIP/2.0 403", WAIT);
                assertThat(agent.states()).containsExactly("connecting", "answered");
                engine.hangUp(agent, id);
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(caller.messages()).contains("403 Forbidden (destination not allowed)");
                assertThat(trunk.messages()).doesNotContain("INVITE sip:");
            }
        }
    }
}
