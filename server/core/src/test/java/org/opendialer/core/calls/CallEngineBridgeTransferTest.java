package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendialer.core.calls.RtpProbe.gatewayPort;
import static org.opendialer.core.calls.RtpProbe.relayed;
import static org.opendialer.core.calls.TransferFixture.NUMBER;
import static org.opendialer.core.calls.TransferFixture.WAIT;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opendialer.core.numbers.DialTarget;

/**
 * Transfers that join SIP legs in the gateway (bridge mode): a SIPp caller transferred blind to a number on the
 * SIPp trunk, and attended transfers of a trunk call to a number and to an extension. Each SIPp's SDP points at
 * an RTP socket of the test, so audio is checked both ways between the two SIP legs.
 */
class CallEngineBridgeTransferTest {
    @RegisterExtension
    final TransferFixture t = new TransferFixture();
    private CallEngine engine;
    private RecordingDialer alice;

    private void start(SippPeer trunk) throws Exception {
        engine = t.start(trunk, 19500, 19579, Duration.ofSeconds(30));
        alice = t.alice;
    }

    private SippPeer trunk(String codec, int pt) throws Exception {
        return SippPeer.uas("uas_media_peer_wait_bye.xml", Map.of("rtp_port", String.valueOf(t.targetRtp.getLocalPort()),
                "codec", codec, "pt", String.valueOf(pt)));
    }

    private SippPeer caller(String scenario) throws Exception {
        return t.caller(scenario, Map.of("talk_ms", "4000"));
    }

    @Test
    void blindTransferToANumber_bridgesTheCallersLegToANewTrunkLeg_audioBothWays() throws Exception {
        try (SippPeer target = trunk("PCMU", 0)) {
            start(target);
            try (SippPeer caller = caller("uac_media_peer.xml")) {
                CallView call = t.answeredCall();
                engine.transfer(alice, t.fx.alice, call.id(), NUMBER);
                CallView end = alice.awaitEnd(WAIT);
                assertThat(end.endReason()).isEqualTo(EndReason.TRANSFERRED);
                assertThat(end.result()).isEqualTo(CallResult.ANSWERED);
                assertThat(target.messages()).contains("INVITE sip:+14155550199@");

                int callerSide = gatewayPort(caller, t.callerRtp);
                int targetSide = gatewayPort(target, t.targetRtp);
                assertThat(relayed(t.callerRtp, callerSide, t.targetRtp, 0, 0x11)).as("caller → target").isTrue();
                assertThat(relayed(t.targetRtp, targetSide, t.callerRtp, 0, 0x22)).as("target → caller").isTrue();

                engine.close(); // no user owns the bridge: shutdown sends BYE to both legs
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(target.awaitExit(WAIT)).as(target.logs()).isZero();
            }
        }
    }

    @Test
    void blindTransferToANumberThatChoosesAnotherCodec_reoffersTheCaller_andItsHangUpEndsTheTarget() throws Exception {
        try (SippPeer target = trunk("PCMA", 8)) {
            start(target);
            try (SippPeer caller = caller("uac_media_peer_reinvite.xml")) {
                CallView call = t.answeredCall();
                engine.transfer(alice, t.fx.alice, call.id(), NUMBER);
                assertThat(alice.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.TRANSFERRED);
                // The caller's scenario checks the re-INVITE offers PCMA only, answers it, then hangs up:
                // the bridge forwards that as a BYE to the target, whose scenario waits for it.
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(target.awaitExit(WAIT)).as(target.logs()).isZero();
            }
        }
    }

    @Test
    void blindTransferToANumberThatIsBusyAtOnce_failsTheTransfer_andKeepsTheCallerWithTheUser() throws Exception {
        try (SippPeer target = SippPeer.uas("uas_reject_at_once.xml", Map.of("status", "486", "reason", "Busy Here"))) {
            start(target);
            try (SippPeer caller = caller("uac_media_peer.xml")) {
                CallView call = t.answeredCall();
                var started = engine.transfer(alice, t.fx.alice, call.id(), NUMBER);
                assertThatThrownBy(() -> started.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                        .hasCauseInstanceOf(CallException.class).hasMessageContaining("busy");
                assertThat(alice.states()).containsExactly("connecting", "answered");
                engine.hangUp(alice, call.id()); // still alice's call: her hang-up reaches the caller
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            }
        }
    }

    @Test
    void attendedTransfer_ofATrunkCallerToANumber_joinsThem_andBothCallsEndTransferred() throws Exception {
        try (SippPeer target = trunk("PCMU", 0)) {
            start(target);
            try (SippPeer caller = caller("uac_media_peer_held.xml")) {
                CallView first = t.answeredCall();
                engine.hold(alice, first.id(), true);
                String consultation = engine.place(t.fx.alice, NUMBER);
                alice.await(v -> v.id().equals(consultation) && v.state() == CallState.ANSWERED, WAIT);
                awaitReceivedAcks(caller, 1); // the hold's re-INVITE is over before the join re-INVITEs the caller
                engine.transferToCall(alice, first.id(), consultation);
                assertThat(alice.await(v -> v.id().equals(first.id()) && v.state() == CallState.DISCONNECTED, WAIT)
                        .endReason()).isEqualTo(EndReason.TRANSFERRED);
                assertThat(alice.await(v -> v.id().equals(consultation) && v.state() == CallState.DISCONNECTED, WAIT)
                        .endReason()).isEqualTo(EndReason.TRANSFERRED);

                int callerSide = gatewayPort(caller, t.callerRtp);
                int targetSide = gatewayPort(target, t.targetRtp);
                assertThat(relayed(t.callerRtp, callerSide, t.targetRtp, 0, 0x33)).as("caller → target (resumed)").isTrue();
                assertThat(relayed(t.targetRtp, targetSide, t.callerRtp, 0, 0x44)).as("target → caller").isTrue();
                // The join's re-INVITE (off hold) must be over, its ACK at the caller, before shutdown's BYE: the
                // relay is switched before that re-INVITE completes, and the scenario takes the BYE only after it.
                awaitReceivedAcks(caller, 2);
                engine.close();
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(target.awaitExit(WAIT)).as(target.logs()).isZero();
            }
        }
    }

    @Test
    void attendedTransfer_ofATrunkCallerToAnExtension_makesTheCallerTheOtherUsersCall() throws Exception {
        try (SippPeer unused = trunk("PCMU", 0)) {
            start(unused);
            RecordingDialer bobs = t.bob();
            try (SippPeer caller = caller("uac_media_peer_held.xml")) {
                CallView first = t.answeredCall();
                engine.hold(alice, first.id(), true);
                String consultation = engine.place(t.fx.alice, new DialTarget.Extension("1002"));
                CallView ringing = bobs.await(v -> v.state() == CallState.CONNECTING, WAIT);
                engine.answer(bobs, ringing.id());
                // The hold's re-INVITE must be over (its ACK reached the caller) before the join re-INVITEs the
                // caller off hold: a second re-INVITE while one is pending is refused (RFC 3261 14.1).
                awaitReceivedAcks(caller, 1);
                engine.transferToCall(alice, null, consultation); // null: the held call
                assertThat(alice.states()).containsSubsequence("disconnected/transferred", "disconnected/transferred");
                assertThat(bobs.states()).containsExactly("connecting", "answered"); // bob now talks to the caller
                // The caller's scenario takes the BYE only after it has the ACK of the re-INVITE that took it off
                // hold (the second ACK it receives); hanging up earlier races that ACK.
                awaitReceivedAcks(caller, 2);
                engine.hangUp(bobs, ringing.id()); // his hang-up is the BYE the caller waits for
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(bobs.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
            }
        }
    }

    /** Waits until SIPp has received {@code count} ACKs from the gateway (its messages log). */
    private static void awaitReceivedAcks(SippPeer sipp, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (sipp.messages().split("\nACK sip:sipp@", -1).length - 1 >= count) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + count + " ACKs received in " + sipp.messages());
    }
}
