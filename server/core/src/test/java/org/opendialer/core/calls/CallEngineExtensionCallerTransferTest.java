package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendialer.core.calls.RtpProbe.gatewayPort;
import static org.opendialer.core.calls.TransferFixture.NUMBER;
import static org.opendialer.core.calls.TransferFixture.WAIT;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.media.relay.TestBrowser;
import org.opendialer.media.relay.TestBrowserTones;

/**
 * Blind transfer of an extension call (decision 0028): bob's browser called alice, alice transfers bob. Bob's
 * call stays answered; he hears ringback from the gateway over DTLS-SRTP while the target rings, alice's call
 * ends transferred at the ring, a failure before it gives alice the same call back, a failure after it recalls
 * her. Browsers are the media module's WebRTC stand-in (ICE, DTLS, SRTP); the number target is SIPp.
 */
class CallEngineExtensionCallerTransferTest {
    /** Short, so the no-answer and recall timeouts run in seconds. */
    private static final Duration RING = Duration.ofSeconds(3);
    private static final DialTarget CAROL = new DialTarget.Extension("1003");

    @TempDir
    Path dir;
    private SipEngineFixture fx;
    private User bob;
    private User carol;
    private RecordingDialer alices;
    private RecordingDialer bobs;
    private RecordingDialer carols;
    private DatagramSocket targetRtp;
    private final List<TestBrowser> browsers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fx = new SipEngineFixture(dir);
        bob = fx.accounts.createUser(new NewUser("bob", "correct horse battery", "Bob", "1002", null));
        carol = fx.accounts.createUser(new NewUser("carol", "correct horse battery", "Carol", "1003", null));
        targetRtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void tearDown() {
        fx.close();
        browsers.forEach(TestBrowser::close);
        targetRtp.close();
    }

    /** RTP ports in this test's block (E2E_PORT_BASE + 3020..3059). */
    private CallEngine start(String trunk) throws Exception {
        CallEngine engine = fx.start(trunk, 21100, 21139, RING, e -> {});
        alices = attach(fx.alice);
        bobs = attach(bob);
        carols = attach(carol);
        return engine;
    }

    private RecordingDialer attach(User user) {
        RecordingDialer d = new RecordingDialer(user.id());
        fx.engine.attach(d);
        return d;
    }

    private TestBrowser browser() throws Exception {
        TestBrowser b = new TestBrowser();
        browsers.add(b);
        return b;
    }

    /** Bob's browser calls alice's extension, alice's browser answers; returns alice's call. */
    private CallView bobCallsAlice(TestBrowser bobsBrowser, TestBrowser alicesBrowser) throws Exception {
        CallEngine.Placed placed = fx.engine.place(bob, new DialTarget.Extension("1001"), bobs, bobsBrowser.offer(true, true, -1));
        bobsBrowser.connect(placed.answerSdp());
        CallView ringing = alices.await(v -> v.state() == CallState.CONNECTING && !v.recall()
                && alices.received().stream().noneMatch(x -> x.id().equals(v.id()) && x.state() != CallState.CONNECTING),
                WAIT);
        alicesBrowser.connect(fx.engine.answer(alices, ringing.id(), alicesBrowser.offer(true, true, -1)));
        bobs.await(v -> v.id().equals(placed.callId()) && v.state() == CallState.ANSWERED, WAIT);
        assertThat(TestBrowserTones.reaches(bobsBrowser, alicesBrowser, 0x0B)).as("bob → alice").isTrue();
        assertThat(TestBrowserTones.reaches(alicesBrowser, bobsBrowser, 0x0A)).as("alice → bob").isTrue();
        return ringing;
    }

    @Test
    void toAnExtension_endsAlicesCallAtTheRing_bobHearsRingback_thenTalksToCarol() throws Exception {
        start("sip:127.0.0.1:9");
        TestBrowser bobsBrowser = browser();
        CallView call = bobCallsAlice(bobsBrowser, browser());
        fx.engine.transfer(alices, fx.alice, call.id(), CAROL).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        CallView end = alices.awaitEnd(WAIT);
        assertThat(end.endReason()).isEqualTo(EndReason.TRANSFERRED);
        assertThat(end.result()).isEqualTo(CallResult.ANSWERED);
        CallView offered = carols.await(v -> v.state() == CallState.CONNECTING, WAIT);
        assertThat(offered.from()).isEqualTo("1002");
        assertThat(TestBrowserTones.hearsRingback(bobsBrowser)).as("ringback in bob's browser while carol's dialer rings").isTrue();

        TestBrowser carolsBrowser = browser();
        carolsBrowser.connect(fx.engine.answer(carols, offered.id(), carolsBrowser.offer(true, true, -1)));
        assertThat(TestBrowserTones.reaches(bobsBrowser, carolsBrowser, 0x11)).as("bob → carol").isTrue();
        assertThat(TestBrowserTones.reaches(carolsBrowser, bobsBrowser, 0x22)).as("carol → bob").isTrue();
        fx.engine.hangUp(carols, offered.id());
        assertThat(bobs.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
        assertThat(bobs.states()).containsExactly("connecting", "answered", "disconnected/remote_hangup");
    }

    @Test
    void toANumber_endsAlicesCallAtTheRing_bobHearsRingback_thenTalksToTheSipTarget() throws Exception {
        try (SippPeer target = SippPeer.uas("uas_ring_then_answer_wait_bye.xml", Map.of("rtp_port",
                String.valueOf(targetRtp.getLocalPort()), "codec", "PCMU", "pt", "0", "ring_ms", "2500"))) {
            start(target.uri());
            TestBrowser bobsBrowser = browser();
            CallView call = bobCallsAlice(bobsBrowser, browser());
            fx.engine.transfer(alices, fx.alice, call.id(), NUMBER).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(target.messages()).as("resolved while the target rings").doesNotContain("SIP/2.0 200 OK");
            assertThat(alices.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.TRANSFERRED);
            assertThat(TestBrowserTones.hearsRingback(bobsBrowser)).as("ringback in bob's browser while the target rings").isTrue();

            int gateway = gatewayPort(target, targetRtp);
            assertThat(RtpProbe.bothWays(targetRtp, gateway, bobsBrowser)).as("target ↔ bob").isTrue();
            assertThat(target.messages()).contains("SIP/2.0 200 OK");
            fx.engine.hangUp(bobs, null); // bob's call's far end is the SIP leg now: the BYE SIPp waits for
            assertThat(target.awaitExit(WAIT)).as(target.logs()).isZero();
            assertThat(bobs.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        }
    }

    @Test
    void aTargetThatFailsBeforeRinging_givesAliceTheSameCallBack_withAudioBothWays() throws Exception {
        try (SippPeer target = SippPeer.uas("uas_reject_at_once.xml", Map.of("status", "486", "reason", "Busy Here"))) {
            start(target.uri());
            TestBrowser bobsBrowser = browser();
            TestBrowser alicesBrowser = browser();
            CallView call = bobCallsAlice(bobsBrowser, alicesBrowser);
            var started = fx.engine.transfer(alices, fx.alice, call.id(), NUMBER);
            assertThatThrownBy(() -> started.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(CallException.class).hasMessageContaining("busy");
            assertThat(alices.states()).containsExactly("connecting", "answered");
            assertThat(TestBrowserTones.reaches(bobsBrowser, alicesBrowser, 0x55)).as("bob → alice again").isTrue();
            assertThat(TestBrowserTones.reaches(alicesBrowser, bobsBrowser, 0x66)).as("alice → bob again").isTrue();
            assertThat(target.awaitExit(WAIT)).as(target.logs()).isZero();
        }
    }

    @Test
    void aTargetThatRangThenDeclined_recallsAlice_whoTalksToBobAgain() throws Exception {
        start("sip:127.0.0.1:9");
        TestBrowser bobsBrowser = browser();
        CallView call = bobCallsAlice(bobsBrowser, browser());
        fx.engine.transfer(alices, fx.alice, call.id(), CAROL).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        CallView offered = carols.await(v -> v.state() == CallState.CONNECTING, WAIT);
        fx.engine.reject(carols, offered.id());
        CallView recall = alices.await(v -> v.recall() && v.state() == CallState.CONNECTING, WAIT);
        assertThat(recall.from()).isEqualTo("1002");
        assertThat(TestBrowserTones.hearsRingback(bobsBrowser)).as("bob still hears ringback").isTrue();

        TestBrowser alicesNewBrowser = browser();
        alicesNewBrowser.connect(fx.engine.answer(alices, recall.id(), alicesNewBrowser.offer(true, true, -1)));
        assertThat(TestBrowserTones.reaches(bobsBrowser, alicesNewBrowser, 0x77)).as("bob → alice").isTrue();
        assertThat(TestBrowserTones.reaches(alicesNewBrowser, bobsBrowser, 0x88)).as("alice → bob").isTrue();
        fx.engine.hangUp(bobs, null);
        CallView recallEnd = alices.await(v -> v.id().equals(recall.id()) && v.state() == CallState.DISCONNECTED,
                WAIT);
        assertThat(recallEnd.endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
        assertThat(carols.states()).containsExactly("connecting", "disconnected/declined");
    }

    @Test
    void aTargetThatRingsUnanswered_recallsAlice_andAnUnansweredRecallEndsBobsCall() throws Exception {
        try (SippPeer target = SippPeer.uas("uas_ring_cancel.xml", Map.of())) {
            start(target.uri());
            CallView call = bobCallsAlice(browser(), browser());
            fx.engine.transfer(alices, fx.alice, call.id(), NUMBER).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            CallView recall = alices.await(v -> v.recall() && v.state() == CallState.CONNECTING, WAIT);
            assertThat(target.awaitExit(WAIT)).as("the target was cancelled: " + target.logs()).isZero();
            assertThat(bobs.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
            assertThat(alices.states()).containsExactly("connecting", "answered", "disconnected/transferred",
                    "connecting", "disconnected/no_answer");
            assertThat(alices.received()).extracting(CallView::id).contains(recall.id());
            assertThat(bobs.states()).containsExactly("connecting", "answered", "disconnected/remote_hangup");
            assertThat(fx.engine.liveCallCount()).isZero();
        }
    }

    @Test
    void bobHangingUp_whileTheTargetRings_cancelsIt_andDuringTheRecall_endsIt() throws Exception {
        start("sip:127.0.0.1:9");
        CallView call = bobCallsAlice(browser(), browser());
        fx.engine.transfer(alices, fx.alice, call.id(), CAROL).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        CallView first = carols.await(v -> v.state() == CallState.CONNECTING, WAIT);
        fx.engine.hangUp(bobs, null);
        assertThat(carols.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.CANCELED);
        assertThat(alices.states()).containsExactly("connecting", "answered", "disconnected/transferred");
        assertThat(fx.engine.liveCallCount()).isZero();

        CallView second = bobCallsAlice(browser(), browser());
        fx.engine.transfer(alices, fx.alice, second.id(), CAROL).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        CallView offered = carols.await(v -> v.state() == CallState.CONNECTING && !v.id().equals(first.id()), WAIT);
        fx.engine.reject(carols, offered.id());
        CallView recall = alices.await(v -> v.recall() && v.state() == CallState.CONNECTING, WAIT);
        fx.engine.hangUp(bobs, null);
        CallView gone = alices.await(v -> v.id().equals(recall.id()) && v.state() == CallState.DISCONNECTED, WAIT);
        assertThat(gone.endReason()).isEqualTo(EndReason.CANCELED);
        assertThat(fx.engine.liveCallCount()).isZero();
    }

    @Test
    void bobHangingUp_beforeTheTargetRings_failsTheTransfer_andEndsAlicesCall() throws Exception {
        try (SippPeer target = SippPeer.uas("uas_silent.xml", Map.of())) {
            start(target.uri());
            CallView call = bobCallsAlice(browser(), browser());
            var started = fx.engine.transfer(alices, fx.alice, call.id(), NUMBER);
            fx.engine.hangUp(bobs, null);
            assertThatThrownBy(() -> started.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(CallException.class).hasMessageContaining("hung up before the transfer target rang");
            assertThat(alices.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
            assertThat(fx.engine.liveCallCount()).isZero();
        }
    }
}
