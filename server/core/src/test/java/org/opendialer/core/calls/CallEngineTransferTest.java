package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.PasswordHasher;
import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.media.relay.MediaRelay;
import org.opendialer.media.relay.RelaySettings;
import org.opendialer.sip.SipSettings;

/** Blind transfer and call waiting, with SIPp as the caller on the trunk and users' extensions. */
class CallEngineTransferTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final DialTarget BOB = new DialTarget.Extension("1002");

    @TempDir
    Path dir;
    private Database db;
    private AccountService accounts;
    private User alice;
    private User bob;
    private User carol;
    private CallEngine engine;
    private MediaRelay relay;
    private int sipPort;

    @BeforeEach
    void setUp() throws Exception {
        db = Database.open("jdbc:h2:file:" + dir.resolve("db"), null, null);
        accounts = new AccountService(db, Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(5),
                PasswordHasher.forTests());
        alice = accounts.createUser(new NewUser("alice", "correct horse battery", "Alice Agent", "1001",
                "+12015550123"));
        bob = accounts.createUser(new NewUser("bob", "correct horse battery", "Bob", "1002", null));
        carol = accounts.createUser(new NewUser("carol", "correct horse battery", "Carol", "1003", null));
        sipPort = SippPeer.freeUdpPort();
        relay = MediaRelay.open(new RelaySettings(InetAddress.getLoopbackAddress(), 0, "127.0.0.1", 29400, 29499,
                Duration.ofSeconds(30)));
        engine = new CallEngine(accounts, new CallStore(db), new SipSettings("127.0.0.1", sipPort, "127.0.0.1",
                SipSettings.Trunk.parse("sip:127.0.0.1:9"), null, null, null, null), relay, Duration.ofSeconds(30),
                Clock.systemUTC());
        engine.start();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        relay.close();
        db.close();
    }

    private RecordingDialer attach(User user) {
        RecordingDialer d = new RecordingDialer(user.id());
        engine.attach(d);
        return d;
    }

    private static CallException.Reason refusal(Runnable r) {
        try {
            r.run();
        } catch (CallException e) {
            return e.reason();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void blindTransfer_ofATrunkCaller_toAnotherUsersExtension_endsTheUsersCallAtOnce_andHandsTheCallerToThem()
            throws Exception {
        RecordingDialer agent = attach(alice);
        RecordingDialer target = attach(bob);
        try (SippPeer caller = SippPeer.uac("uac_answered.xml", sipPort, "+12015550123")) {
            CallView ringing = agent.await(v -> v.state() == CallState.CONNECTING, WAIT);
            engine.answer(agent, ringing.id());
            engine.transfer(agent, alice, null, BOB);
            CallView offered = target.await(v -> v.state() == CallState.CONNECTING, WAIT);
            assertThat(offered.from()).isEqualTo("+14155550100");
            assertThat(offered.callerDisplayName()).isEqualTo("Ada Lovelace");
            assertThat(offered.direction()).isEqualTo(CallDirection.INBOUND);
            // Bob's dialer rings: the transfer has started and alice is free (decision 0022).
            CallView agentEnd = agent.awaitEnd(WAIT);
            assertThat(agentEnd.endReason()).isEqualTo(EndReason.TRANSFERRED);
            assertThat(agentEnd.result()).isEqualTo(CallResult.ANSWERED);
            engine.answer(target, offered.id());
            // The caller's SIP leg is bob's now: his hang-up sends the BYE SIPp waits for.
            engine.hangUp(target, offered.id());
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(target.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        }
    }

    @Test
    void blindTransfer_targetDeclines_recallsTheUser_whoTakesTheCallerBack() throws Exception {
        RecordingDialer agent = attach(alice);
        RecordingDialer target = attach(bob);
        try (SippPeer caller = SippPeer.uac("uac_answered.xml", sipPort, "+12015550123")) {
            CallView ringing = agent.await(v -> v.state() == CallState.CONNECTING, WAIT);
            engine.answer(agent, ringing.id());
            engine.transfer(agent, alice, ringing.id(), BOB);
            CallView offered = target.await(v -> v.state() == CallState.CONNECTING, WAIT);
            engine.reject(target, offered.id());
            CallView recall = agent.await(v -> v.recall() && v.state() == CallState.CONNECTING, WAIT);
            assertThat(recall.from()).isEqualTo("+14155550100");
            engine.answer(agent, recall.id());
            engine.hangUp(agent, recall.id()); // the caller's own leg again: her hang-up reaches the caller
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(agent.states()).containsExactly("connecting", "answered", "disconnected/transferred",
                    "connecting", "answered", "disconnected/local_hangup");
            assertThat(target.states()).containsExactly("connecting", "disconnected/declined");
        }
    }

    @Test
    void transfer_badInput_isRefusedWithATypedError_andLeavesTheCallUntouched() throws Exception {
        RecordingDialer agent = attach(alice);
        RecordingDialer bobs = attach(bob);
        RecordingDialer busy = attach(carol);
        try (SippPeer caller = SippPeer.uac("uac_answered.xml", sipPort, "+12015550123")) {
            CallView ringing = agent.await(v -> v.state() == CallState.CONNECTING, WAIT);
            assertThat(refusal(() -> engine.transfer(agent, alice, ringing.id(), BOB)))
                    .isEqualTo(CallException.Reason.TRANSFER_REFUSED); // not answered yet
            engine.answer(agent, ringing.id());
            assertThat(refusal(() -> engine.transfer(agent, alice, null, new DialTarget.Extension("1001"))))
                    .isEqualTo(CallException.Reason.TRANSFER_REFUSED); // oneself
            assertThat(refusal(() -> engine.transfer(agent, alice, null, new DialTarget.PhoneNumber("+12015550123"))))
                    .isEqualTo(CallException.Reason.TRANSFER_REFUSED); // one's own number
            assertThat(refusal(() -> engine.transfer(agent, alice, null, new DialTarget.Extension("1999"))))
                    .isEqualTo(CallException.Reason.INVALID_TARGET);
            assertThat(refusal(() -> engine.transfer(agent, alice, "no-such-call", BOB)))
                    .isEqualTo(CallException.Reason.CALL_NOT_FOUND);
            accounts.createUser(new NewUser("dave", "correct horse battery", "Dave", "1004", null));
            engine.place(carol, new DialTarget.Extension("1004")); // carol is busy: her own call rings
            assertThat(refusal(() -> engine.transfer(agent, alice, null, new DialTarget.Extension("1003"))))
                    .isEqualTo(CallException.Reason.TRANSFER_FAILED);
            assertThat(agent.states()).containsExactly("connecting", "answered");
            engine.transfer(agent, alice, null, BOB); // bob's dialer rings: alice's call has ended transferred
            assertThat(refusal(() -> engine.transfer(agent, alice, ringing.id(), BOB)))
                    .isEqualTo(CallException.Reason.CALL_NOT_FOUND); // ended (one under way: CallEngineBlindTransferTest)
            CallView offered = bobs.await(v -> v.state() == CallState.CONNECTING, WAIT);
            engine.reject(bobs, offered.id());
            CallView recall = agent.await(v -> v.recall() && v.state() == CallState.CONNECTING, WAIT);
            engine.reject(agent, recall.id()); // the recall declined: the caller gets a BYE
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(busy.received()).isNotEmpty();
        }
    }

    @Test
    void callWaiting_secondCallRings_answerHoldsTheFirst_resumingSwaps() throws Exception {
        RecordingDialer a = attach(alice);
        RecordingDialer b = attach(bob);
        RecordingDialer c = attach(carol);
        String fromBob = engine.place(bob, new DialTarget.Extension("1001"));
        CallView first = a.await(v -> v.state() == CallState.CONNECTING, WAIT);
        engine.answer(a, first.id());
        String fromCarol = engine.place(carol, new DialTarget.Extension("1001"));
        CallView second = a.await(v -> v.state() == CallState.CONNECTING && !v.id().equals(first.id()), WAIT);
        assertThat(c.states()).containsExactly("connecting"); // rings, not busy
        engine.answer(a, second.id()); // holds bob's call first
        c.await(v -> v.state() == CallState.ANSWERED, WAIT);
        engine.hold(a, first.id(), false); // back to bob: carol's call waits on hold
        engine.hangUp(a, null); // acts on the call alice talks on: bob's
        CallView bobEnd = b.awaitEnd(WAIT);
        assertThat(bobEnd.id()).isEqualTo(fromBob);
        assertThat(bobEnd.endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
        assertThat(c.states()).containsExactly("connecting", "answered");
        engine.hangUp(a, second.id());
        assertThat(c.awaitEnd(WAIT).id()).isEqualTo(fromCarol);
    }

    @Test
    void callWaitingOff_secondCallerGetsBusy() throws Exception {
        engine.setCallWaiting(false);
        RecordingDialer a = attach(alice);
        RecordingDialer c = attach(carol);
        engine.place(bob, new DialTarget.Extension("1001"));
        CallView first = a.await(v -> v.state() == CallState.CONNECTING, WAIT);
        engine.answer(a, first.id());
        engine.place(carol, new DialTarget.Extension("1001"));
        assertThat(c.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.BUSY);
        assertThat(a.received()).extracting(CallView::id).containsOnly(first.id());
    }

    @Test
    void callWaitingOffForOneUser_inTheAdminApi_refusesTheirSecondCallerBusy_whileTheGatewaysIsOn() throws Exception {
        accounts.callWaiting().set(alice.id(), false);
        RecordingDialer a = attach(alice);
        RecordingDialer c = attach(carol);
        engine.place(bob, new DialTarget.Extension("1001"));
        CallView first = a.await(v -> v.state() == CallState.CONNECTING, WAIT);
        engine.answer(a, first.id());
        engine.place(carol, new DialTarget.Extension("1001"));
        assertThat(c.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.BUSY);
        accounts.callWaiting().set(alice.id(), null); // back to the gateway's (on): the next caller waits
        String again = engine.place(carol, new DialTarget.Extension("1001"));
        assertThat(a.await(v -> v.state() == CallState.CONNECTING && !v.id().equals(first.id()), WAIT)).isNotNull();
        assertThat(c.received()).extracting(CallView::id).contains(again);
    }

    @Test
    void attendedTransfer_badInput_isRefusedWithATypedError_andLeavesBothCallsUntouched() throws Exception {
        RecordingDialer a = attach(alice);
        RecordingDialer b = attach(bob);
        RecordingDialer c = attach(carol);
        String fromBob = engine.place(bob, new DialTarget.Extension("1001"));
        CallView first = a.await(v -> v.state() == CallState.CONNECTING, WAIT);
        engine.answer(a, first.id());
        engine.hold(a, first.id(), true);
        String consultation = engine.place(alice, new DialTarget.Extension("1003"));
        assertThat(refusal(() -> engine.transferToCall(a, first.id(), consultation)))
                .isEqualTo(CallException.Reason.TRANSFER_REFUSED); // carol has not answered yet
        CallView ringing = c.await(v -> v.state() == CallState.CONNECTING, WAIT);
        engine.answer(c, ringing.id());
        a.await(v -> v.id().equals(consultation) && v.state() == CallState.ANSWERED, WAIT);
        assertThat(refusal(() -> engine.transferToCall(a, first.id(), first.id())))
                .isEqualTo(CallException.Reason.TRANSFER_REFUSED); // a call with itself
        assertThat(refusal(() -> engine.transferToCall(a, first.id(), "no-such-call")))
                .isEqualTo(CallException.Reason.CALL_NOT_FOUND);
        assertThat(refusal(() -> engine.transferToCall(a, first.id(), consultation)))
                .isEqualTo(CallException.Reason.TRANSFER_REFUSED); // two browsers: transfer to the extension instead
        assertThat(refusal(() -> engine.transferToCall(b, fromBob, consultation)))
                .isEqualTo(CallException.Reason.CALL_NOT_FOUND); // not bob's call
        assertThat(a.states()).doesNotContain("disconnected/transferred");
        assertThat(b.states()).containsExactly("connecting", "answered");
        assertThat(c.states()).containsExactly("connecting", "answered");
        engine.hangUp(a, consultation);
        engine.hangUp(a, first.id());
        assertThat(b.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
    }
}
