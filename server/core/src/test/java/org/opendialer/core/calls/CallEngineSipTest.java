package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.CallRecord;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.PasswordHasher;
import org.opendialer.core.accounts.User;
import org.opendialer.core.config.DestinationSettings;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.media.relay.MediaRelay;
import org.opendialer.media.relay.RelaySettings;
import org.opendialer.sip.SipSettings;

/** The call engine with its real SIP user agent against SIPp as the trunk or the caller. */
class CallEngineSipTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final DialTarget BOB_MOBILE = new DialTarget.PhoneNumber("+14155550199");

    @TempDir
    Path dir;
    private Database db;
    private AccountService accounts;
    private User alice;
    private CallEngine engine;
    private MediaRelay relay;
    private Duration rtpTimeout = Duration.ofSeconds(30);
    private int sipPort;

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:file:" + dir.resolve("db"), null, null);
        accounts = new AccountService(db, Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(5),
                PasswordHasher.forTests());
        alice = accounts.createUser(new NewUser("alice", "correct horse battery", "Alice Agent", "1001",
                "+12015550123"));
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (relay != null) {
            relay.close();
        }
        db.close();
    }

    /** A real relay on loopback: OS-chosen WebRTC port, RTP ports from a test range. */
    private MediaRelay relay() throws java.io.IOException {
        relay = MediaRelay.open(new RelaySettings(InetAddress.getLoopbackAddress(), 0, "127.0.0.1", 21000, 21999,
                rtpTimeout));
        return relay;
    }

    private void startEngine(String trunk, Duration ringTimeout, String user, String password) throws Exception {
        startEngine(trunk, ringTimeout, user, password, null);
    }

    /** {@code t1} null: RFC 3261's 500 ms; shorter only where no SIPp answers (it would see retransmissions). */
    private void startEngine(String trunk, Duration ringTimeout, String user, String password, Duration t1)
            throws Exception {
        sipPort = SippPeer.freeUdpPort();
        SipSettings settings = new SipSettings("127.0.0.1", sipPort, "127.0.0.1", SipSettings.Trunk.parse(trunk),
                user, password, null, t1);
        engine = new CallEngine(accounts, new CallStore(db), settings,
                relay(), ringTimeout,
                Clock.systemUTC());
        engine.start();
    }

    private RecordingDialer attach(User user) {
        RecordingDialer d = new RecordingDialer(user.id());
        engine.attach(d);
        return d;
    }

    @Test
    void outbound_answeredThenFarEndBye_endsRemoteHangupAnswered_withCallerIdOnTheWire() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_then_bye.xml", Map.of())) {
            startEngine(trunk.uri(), Duration.ofSeconds(30), null, null);
            RecordingDialer d = attach(alice);
            String id = engine.place(alice, BOB_MOBILE);
            CallView end = d.awaitEnd(WAIT);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/remote_hangup");
            assertThat(d.received()).extracting(CallView::seq).containsExactly(1L, 2L, 3L);
            assertThat(end.id()).isEqualTo(id);
            assertThat(end.result()).isEqualTo(CallResult.ANSWERED);
            assertThat(end.direction()).isEqualTo(CallDirection.OUTBOUND);
            assertThat(end.from()).isEqualTo("+12015550123");
            assertThat(end.to()).isEqualTo("+14155550199");
            assertThat(end.answerTime()).isNotNull();
            assertThat(trunk.messages()).containsPattern("From: \"Alice Agent\" <sip:\\+12015550123@");
            assertLogged(id, "disconnected", "answered", "remote_hangup");
        }
    }

    @Test
    void outbound_overATcpTrunk_isAnsweredAndHungUp() throws Exception {
        try (SippPeer trunk = SippPeer.uasOverTcp("uas_answer_wait_bye.xml")) {
            startEngine(trunk.uri() + ";transport=tcp", Duration.ofSeconds(30), null, null);
            RecordingDialer d = attach(alice);
            engine.place(alice, BOB_MOBILE);
            d.await(v -> v.state() == CallState.ANSWERED, WAIT);
            engine.hangUp(d, null);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
            assertThat(trunk.messages()).contains("SIP/2.0/TCP");
        }
    }

    @Test
    void outbound_agentHangsUpAfterAnswer_sendsByeAndEndsLocalHangup() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_wait_bye.xml", Map.of())) {
            startEngine(trunk.uri(), Duration.ofSeconds(30), null, null);
            RecordingDialer d = attach(alice);
            String id = engine.place(alice, BOB_MOBILE);
            d.await(v -> v.state() == CallState.ANSWERED, WAIT);
            assertThatThrownBy(() -> engine.place(alice, BOB_MOBILE)).isInstanceOf(CallException.class)
                    .extracting(e -> ((CallException) e).reason()).isEqualTo(CallException.Reason.CALL_IN_PROGRESS);
            engine.hangUp(d, null);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
            assertLogged(id, "disconnected", "answered", "local_hangup");
        }
    }

    @Test
    void answeredCall_whoseFarEndSendsNoRtp_endsWithMediaTimeout_andBye() throws Exception {
        rtpTimeout = Duration.ofSeconds(1);
        try (SippPeer trunk = SippPeer.uas("uas_answer_wait_bye.xml", Map.of())) {
            startEngine(trunk.uri(), Duration.ofSeconds(30), null, null);
            RecordingDialer d = attach(alice);
            String id = engine.place(alice, BOB_MOBILE);
            d.await(v -> v.state() == CallState.DISCONNECTED, WAIT);
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/media_timeout");
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero(); // it got the BYE
            assertLogged(id, "disconnected", "answered", "media_timeout");
        }
    }

    @Test
    void outbound_busy486_endsBusyNotAnswered() throws Exception {
        assertRejectedAs("486", "Busy Here", "busy");
    }

    @Test
    void outbound_decline603_endsDeclinedNotAnswered() throws Exception {
        assertRejectedAs("603", "Decline", "declined");
    }

    private void assertRejectedAs(String status, String reason, String endReason) throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_reject.xml", Map.of("status", status, "reason", reason))) {
            startEngine(trunk.uri(), Duration.ofSeconds(30), null, null);
            RecordingDialer d = attach(alice);
            String id = engine.place(alice, BOB_MOBILE);
            CallView end = d.awaitEnd(WAIT);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(d.states()).containsExactly("connecting", "disconnected/" + endReason);
            assertThat(end.result()).isEqualTo(CallResult.NOT_ANSWERED);
            assertLogged(id, "disconnected", "not_answered", endReason);
        }
    }

    @Test
    void trunk5xxStorm_endsEachCallFailedAtOnce_whileAnAnsweredCallGoesOn() throws Exception {
        User carol = accounts.createUser(new NewUser("carol", "correct horse battery", "Carol", "1003",
                "+12015550124"));
        int storm = 20;
        try (SippPeer trunk = SippPeer.uas("uas_reject.xml", Map.of("status", "503", "reason",
                "Service Unavailable"), storm)) {
            startEngine(trunk.uri(), Duration.ofSeconds(30), null, null);
            // 20 calls in a few seconds from one user: over the default DIALER_CALLS_PER_MINUTE.
            engine.destinationPolicy(new DestinationPolicy(new DestinationSettings(Set.of(), List.of(), 0, 0),
                    id -> Optional.empty(), Clock.systemUTC()));
            RecordingDialer agent = attach(alice);
            RecordingDialer other = attach(carol);
            try (SippPeer caller = SippPeer.uac("uac_answered.xml", sipPort, "+12015550123")) {
                CallView ringing = agent.await(v -> v.state() == CallState.CONNECTING, WAIT);
                engine.answer(agent, ringing.id());
                for (int i = 0; i < storm; i++) {
                    long start = System.nanoTime();
                    String id = engine.place(carol, BOB_MOBILE);
                    CallView end = other.await(v -> v.id().equals(id) && v.state() == CallState.DISCONNECTED, WAIT);
                    assertThat(end.endReason()).isEqualTo(EndReason.FAILED);
                    // A 503 ends the call at once: no timer is waited for (bound from protocol.md part 5).
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                }
                assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero(); // every 503 was ACKed
                assertThat(agent.states()).containsExactly("connecting", "answered"); // untouched by the storm
                engine.hangUp(agent, ringing.id());
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertLogged(ringing.id(), "disconnected", "answered", "local_hangup");
            }
            assertThat(new CallLog(db).recent(50)).hasSize(storm + 1);
        }
    }

    @Test
    void outbound_ringTimeout_endsNoAnswer_andCancelsOnTheWire() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_ring_cancel.xml", Map.of())) {
            startEngine(trunk.uri(), Duration.ofSeconds(2), null, null);
            RecordingDialer d = attach(alice);
            long start = System.nanoTime();
            engine.place(alice, BOB_MOBILE);
            d.awaitEnd(WAIT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero(); // it received our CANCEL
            assertThat(d.states()).containsExactly("connecting", "disconnected/no_answer");
        }
    }

    @Test
    void outbound_agentCancelsWhileRinging_endsCanceled_andASecondCallWhileRingingIsRefused() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_ring_cancel.xml", Map.of())) {
            startEngine(trunk.uri(), Duration.ofSeconds(30), null, null);
            RecordingDialer d = attach(alice);
            String id = engine.place(alice, BOB_MOBILE);
            assertThatThrownBy(() -> engine.place(alice, new DialTarget.PhoneNumber("+14155550142")))
                    .isInstanceOf(CallException.class).extracting(e -> ((CallException) e).reason())
                    .isEqualTo(CallException.Reason.OUTGOING_CALL_ALREADY_RINGING);
            engine.hangUp(d, id);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(d.states()).containsExactly("connecting", "disconnected/canceled");
            assertThatThrownBy(() -> engine.hangUp(d, id)).isInstanceOf(CallException.class)
                    .extracting(e -> ((CallException) e).reason()).isEqualTo(CallException.Reason.CALL_NOT_FOUND);
        }
    }

    @Test
    void outbound_unreachableTrunk_endsUnreachableWithinTimerB() throws Exception {
        // T1 50 ms: Timer B (64*T1) gives up on the silent trunk in 3.2 s instead of 32 s.
        startEngine("sip:127.0.0.1:" + SippPeer.freeUdpPort(), Duration.ofSeconds(30), null, null,
                Duration.ofMillis(50));
        RecordingDialer d = attach(alice);
        engine.place(alice, BOB_MOBILE);
        CallView end = d.awaitEnd(Duration.ofSeconds(15));
        assertThat(end.endReason()).isIn(EndReason.UNREACHABLE);
        assertThat(end.result()).isEqualTo(CallResult.NOT_ANSWERED);
    }

    @Test
    void outbound_407Challenge_isAnsweredWithProxyAuthorization() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_auth_407.xml", Map.of())) {
            startEngine(trunk.uri(), Duration.ofSeconds(30), "gw", "s3cret");
            RecordingDialer d = attach(alice);
            engine.place(alice, BOB_MOBILE);
            d.await(v -> v.state() == CallState.ANSWERED, WAIT);
            engine.hangUp(d, null);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(trunk.messages()).containsPattern("Proxy-Authorization: Digest .*username=\"gw\"");
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        }
    }

    @Test
    void outbound_withoutTrunk_isRefusedAsUnavailable() throws Exception {
        engine = new CallEngine(accounts, new CallStore(db), null,
                relay(), Duration.ofSeconds(5),
                Clock.systemUTC());
        engine.start();
        assertThatThrownBy(() -> engine.place(alice, BOB_MOBILE)).isInstanceOf(CallException.class)
                .hasMessage("No SIP trunk is configured (DIALER_SIP_TRUNK).");
    }

    @Test
    void inbound_toTheUsersNumber_ringsEveryDialer_answeredOnOne_theOtherSeesAnsweredElsewhere() throws Exception {
        startEngine("sip:127.0.0.1:9", Duration.ofSeconds(30), null, null);
        RecordingDialer tab1 = attach(alice);
        RecordingDialer tab2 = attach(alice);
        try (SippPeer caller = SippPeer.uac("uac_answered.xml", sipPort, "+12015550123")) {
            CallView ringing = tab1.await(v -> v.state() == CallState.CONNECTING, WAIT);
            tab2.await(v -> v.state() == CallState.CONNECTING, WAIT);
            assertThat(ringing.direction()).isEqualTo(CallDirection.INBOUND);
            assertThat(ringing.from()).isEqualTo("+14155550100");
            assertThat(ringing.to()).isEqualTo("+12015550123");
            assertThat(ringing.callerDisplayName()).isEqualTo("Ada Lovelace");
            engine.answer(tab1, ringing.id());
            tab2.awaitEnd(WAIT);
            assertThatThrownBy(() -> engine.hangUp(tab2, ringing.id())).isInstanceOf(CallException.class);
            engine.hangUp(tab1, ringing.id());
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(tab1.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
            assertThat(tab2.states()).containsExactly("connecting", "disconnected/answered_elsewhere");
            assertThat(tab2.received().get(1).seq()).isEqualTo(2);
            assertLogged(ringing.id(), "disconnected", "answered", "local_hangup");
        }
    }

    @Test
    void inbound_anonymousToTheUsersExtension_hasNoCallerAndIsDeclined() throws Exception {
        startEngine("sip:127.0.0.1:9", Duration.ofSeconds(30), null, null);
        RecordingDialer d = attach(alice);
        try (SippPeer caller = SippPeer.uac("uac_declined.xml", sipPort, "1001")) {
            CallView ringing = d.await(v -> v.state() == CallState.CONNECTING, WAIT);
            assertThat(ringing.from()).isNull();
            assertThat(ringing.callerDisplayName()).isNull();
            assertThat(ringing.to()).isEqualTo("1001");
            engine.reject(d, null);
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(d.states()).containsExactly("connecting", "disconnected/declined");
        }
    }

    @Test
    void inbound_unanswered_gets480AtTheRingTimeout_andEndsNoAnswer() throws Exception {
        startEngine("sip:127.0.0.1:9", Duration.ofSeconds(2), null, null);
        RecordingDialer d = attach(alice);
        try (SippPeer caller = SippPeer.uac("uac_refused.xml", sipPort, "1001", Map.of("status", "480"))) {
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            d.awaitEnd(WAIT);
            assertThat(d.states()).containsExactly("connecting", "disconnected/no_answer");
        }
    }

    @Test
    void inbound_toAnUnknownNumber_gets404_andRingsNobody() throws Exception {
        startEngine("sip:127.0.0.1:9", Duration.ofSeconds(30), null, null);
        RecordingDialer d = attach(alice);
        try (SippPeer caller = SippPeer.uac("uac_refused.xml", sipPort, "+19995550000", Map.of("status", "404"))) {
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
            assertThat(d.received()).isEmpty();
        }
    }

    @Test
    void inbound_toAUserWhoAlreadyHasACall_gets486_andTheUserSeesOnlyTheirOwnCall() throws Exception {
        startEngine("sip:127.0.0.1:9", Duration.ofSeconds(30), null, null);
        accounts.createUser(new NewUser("bob", "correct horse battery", "Bob", "1002", null));
        RecordingDialer d = attach(alice);
        engine.place(alice, new DialTarget.Extension("1002"));
        d.await(v -> v.state() == CallState.CONNECTING, WAIT);
        try (SippPeer caller = SippPeer.uac("uac_refused.xml", sipPort, "+12015550123", Map.of("status", "486"))) {
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
        }
        assertThat(d.received()).extracting(CallView::direction).containsOnly(CallDirection.OUTBOUND);
    }

    @Test
    void callLog_keepsEndedCallsAcrossARestart() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_reject.xml", Map.of("status", "486", "reason", "Busy Here"))) {
            startEngine(trunk.uri(), Duration.ofSeconds(30), null, null);
            RecordingDialer d = attach(alice);
            String id = engine.place(alice, BOB_MOBILE);
            d.awaitEnd(WAIT);
            engine.close();
            engine = null;
            db.close();
            db = Database.open("jdbc:h2:file:" + dir.resolve("db"), null, null);
            List<CallRecord> log = new CallLog(db).recent(10);
            assertThat(log).extracting(CallRecord::id).containsExactly(id);
            assertThat(log.get(0).endReason()).isEqualTo("busy");
            assertThat(log.get(0).username()).isEqualTo("alice");
        }
    }

    @Test
    void close_endsAnsweredCallsWithBye_andLogsThemGatewayShutdown() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_wait_bye.xml", Map.of())) {
            startEngine(trunk.uri(), Duration.ofSeconds(30), null, null);
            RecordingDialer d = attach(alice);
            String id = engine.place(alice, BOB_MOBILE);
            d.await(v -> v.state() == CallState.ANSWERED, WAIT);
            CallEngine closed = engine;
            engine.close(); // what SIGTERM does
            engine = null;
            assertThatThrownBy(() -> closed.place(alice, BOB_MOBILE)).isInstanceOf(CallException.class)
                    .extracting(e -> ((CallException) e).reason()).isEqualTo(CallException.Reason.CALLS_UNAVAILABLE);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero(); // it got our BYE
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/gateway_shutdown");
            assertLogged(id, "disconnected", "answered", "gateway_shutdown");
        }
    }

    @Test
    void start_marksCallsLeftUnfinishedByACrashGatewayRestart() throws Exception {
        Call left = new Call("crashed-1", alice.id(), CallDirection.OUTBOUND, "+12015550123", "+14155550199",
                "Alice Agent", java.time.Instant.parse("2026-01-01T00:00:00Z"));
        new CallStore(db).save(alice.id(), left.view(), java.time.Instant.parse("2026-01-01T00:00:00Z"));
        engine = new CallEngine(accounts, new CallStore(db), null,
                relay(), Duration.ofSeconds(5),
                Clock.systemUTC());
        engine.start();
        assertLogged("crashed-1", "disconnected", "not_answered", "gateway_restart");
    }

    private void assertLogged(String id, String state, String result, String endReason) {
        CallRecord r = new CallLog(db).recent(50).stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("call " + id + " not in the log"));
        assertThat(List.of(r.state(), r.result(), r.endReason())).containsExactly(state, result, endReason);
        assertThat(r.endTime()).isNotNull();
    }
}
