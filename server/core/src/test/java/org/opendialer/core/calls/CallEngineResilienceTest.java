package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import org.opendialer.testkit.BrowserOffers;

/**
 * protocol.md part 5 on the engine, with extension calls (no SIP needed) and a real relay: missed events
 * replayed to a reconnecting dialer, tabs of one device, the audio moving between dialers, and the end
 * reasons of a lost connection and of a restart.
 */
class CallEngineResilienceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final DialTarget BOB = new DialTarget.Extension("1002");

    @TempDir
    Path dir;
    private Database db;
    private AccountService accounts;
    private MediaRelay relay;
    private CallEngine engine;
    private User alice;
    private User bob;

    @BeforeEach
    void setUp() {
        db = Database.open("jdbc:h2:file:" + dir.resolve("db"), null, null);
        accounts = new AccountService(db, Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(5),
                PasswordHasher.forTests());
        alice = accounts.createUser(new NewUser("alice", "correct horse battery", "Alice Agent", "1001", null));
        bob = accounts.createUser(new NewUser("bob", "correct horse battery", "Bob Builder", "1002", null));
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

    private void startEngine(Duration rtpTimeout) throws Exception {
        relay = MediaRelay.open(new RelaySettings(InetAddress.getLoopbackAddress(), 0, "127.0.0.1", 22000, 22499,
                rtpTimeout));
        engine = new CallEngine(accounts, new CallStore(db), null, relay, Duration.ofSeconds(30), Clock.systemUTC());
        engine.start();
    }

    private RecordingDialer attach(User user, String device, Map<String, Long> known) {
        RecordingDialer d = new RecordingDialer(user.id(), device);
        engine.attach(d, known);
        return d;
    }

    private static String offer(int key, String ufrag) {
        return BrowserOffers.audioOffer(key, ufrag);
    }

    @Test
    void aDialerThatWasAwayIsSentEveryChangeItMissed_onceAndInOrder() throws Exception {
        startEngine(Duration.ofSeconds(30));
        RecordingDialer before = attach(alice, "d-alice", Map.of());
        RecordingDialer callee = attach(bob, "d-bob", Map.of());
        String id = engine.place(alice, BOB);
        CallView ringing = before.await(v -> v.state() == CallState.CONNECTING, WAIT);
        engine.detach(before); // the WebSocket dropped
        String bobsCall = callee.await(v -> v.state() == CallState.CONNECTING, WAIT).id();
        engine.answer(callee, bobsCall);
        engine.hangUp(callee, bobsCall);

        RecordingDialer after = attach(alice, "d-alice", Map.of(id, ringing.seq()));
        assertThat(after.states()).containsExactly("answered", "disconnected/remote_hangup");
        assertThat(after.received()).extracting(CallView::seq).containsExactly(2L, 3L);
        // A dialer that saw everything is sent nothing; one that knew no call is not sent ended calls.
        assertThat(attach(alice, "d-alice", Map.of(id, 3L)).received()).isEmpty();
        assertThat(attach(alice, "d-alice", Map.of()).received()).isEmpty();
        // Another user naming the call learns nothing.
        assertThat(attach(bob, "d-bob", Map.of(id, 0L)).received()).isEmpty();
        assertThat(before.states()).containsExactly("connecting");
    }

    @Test
    void aLiveCallIsReplayedFromTheLastSeqSeen_notRepeated() throws Exception {
        startEngine(Duration.ofSeconds(30));
        RecordingDialer caller = attach(alice, "d-alice", Map.of());
        RecordingDialer callee = attach(bob, "d-bob", Map.of());
        String id = engine.place(alice, BOB);
        String bobsCall = callee.await(v -> v.state() == CallState.CONNECTING, WAIT).id();
        engine.answer(callee, bobsCall);
        caller.await(v -> v.state() == CallState.ANSWERED, WAIT);

        assertThat(attach(alice, "d-alice", Map.of(id, 1L)).states()).containsExactly("answered");
        assertThat(attach(alice, "d-alice", Map.of(id, 2L)).states()).isEmpty();
        assertThat(attach(alice, "d-alice", Map.of()).states()).containsExactly("answered"); // current state
    }

    @Test
    void anAnsweredCallStaysVisibleToTabsOfTheSameDevice_andIsAnsweredElsewhereForOtherDevices() throws Exception {
        startEngine(Duration.ofSeconds(30));
        RecordingDialer caller = attach(alice, "d-alice", Map.of());
        RecordingDialer tab1 = attach(bob, "laptop", Map.of());
        RecordingDialer tab2 = attach(bob, "laptop", Map.of());
        RecordingDialer phone = attach(bob, "phone", Map.of());
        RecordingDialer phoneAway = attach(bob, "phone", Map.of());
        engine.place(alice, BOB);
        CallView ringing = tab1.await(v -> v.state() == CallState.CONNECTING, WAIT);
        phoneAway.await(v -> v.state() == CallState.CONNECTING, WAIT);
        engine.detach(phoneAway);
        engine.answer(tab1, ringing.id());
        tab2.await(v -> v.state() == CallState.ANSWERED, WAIT);
        phone.awaitEnd(WAIT);
        // The other tab is shown the call and may act on it; the other device may not.
        assertThatThrownBy(() -> engine.hangUp(phone, ringing.id())).isInstanceOf(CallException.class);
        engine.hangUp(tab2, ringing.id());
        caller.awaitEnd(WAIT);

        assertThat(tab1.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        assertThat(tab2.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        assertThat(phone.states()).containsExactly("connecting", "disconnected/answered_elsewhere");
        // The phone's other dialer missed the answer: it is replayed to it as answered elsewhere, once.
        RecordingDialer phoneBack = attach(bob, "phone", Map.of(ringing.id(), 1L));
        assertThat(phoneBack.states()).containsExactly("disconnected/answered_elsewhere");
        assertThat(phoneBack.received().get(0).seq()).isEqualTo(2);
        // A reloaded laptop tab that missed everything after the ring sees it all.
        assertThat(attach(bob, "laptop", Map.of(ringing.id(), 1L)).states())
                .containsExactly("answered", "disconnected/local_hangup");
    }

    @Test
    void theAudioMovesOnlyWithTake_andTheDialerThatLostItIsTold() throws Exception {
        startEngine(Duration.ofSeconds(30));
        RecordingDialer tabA = attach(alice, "laptop", Map.of());
        RecordingDialer tabB = attach(alice, "laptop", Map.of());
        RecordingDialer callee = attach(bob, "d-bob", Map.of());
        String id = engine.place(alice, BOB, tabA, offer(0xA1, "ufragA")).callId();
        String bobsCall = callee.await(v -> v.state() == CallState.CONNECTING, WAIT).id();
        assertThat(engine.answer(callee, bobsCall, offer(0xB1, "ufragB"))).contains("a=fingerprint");

        // Tab B's own peer connection without take: refused, nothing moves.
        assertThatThrownBy(() -> engine.updateMedia(tabB, id, offer(0xA2, "ufragC"), false))
                .isInstanceOf(CallException.class).extracting(e -> ((CallException) e).reason())
                .isEqualTo(CallException.Reason.MEDIA_MOVED);
        // Tab A's ICE restart (same fingerprint, new credentials) is fine.
        assertThat(engine.updateMedia(tabA, id, offer(0xA1, "ufragD"), false)).contains("a=ice-ufrag");
        assertThat(tabA.mediaMoved()).isEmpty();
        // Tab B takes the audio: tab A is told, and its ICE restart can no longer take it back.
        assertThat(engine.updateMedia(tabB, id, offer(0xA2, "ufragE"), true)).contains("a=ice-ufrag");
        assertThat(tabA.mediaMoved()).containsExactly(id);
        assertThatThrownBy(() -> engine.updateMedia(tabA, id, offer(0xA1, "ufragF"), false))
                .isInstanceOf(CallException.class).extracting(e -> ((CallException) e).reason())
                .isEqualTo(CallException.Reason.MEDIA_MOVED);
        assertThat(engine.updateMedia(tabB, id, offer(0xA2, "ufragG"), false)).contains("a=ice-ufrag");
        assertThat(tabB.mediaMoved()).isEmpty();
        assertThat(callee.mediaMoved()).isEmpty();
    }

    @Test
    void browserAudioLostWhileTheDialersAreConnected_endsMediaTimeout() throws Exception {
        startEngine(Duration.ofSeconds(1));
        RecordingDialer caller = attach(alice, "d-alice", Map.of());
        RecordingDialer callee = attach(bob, "d-bob", Map.of());
        engine.place(alice, BOB, caller, offer(0xA1, "ufragA"));
        String bobsCall = callee.await(v -> v.state() == CallState.CONNECTING, WAIT).id();
        engine.answer(callee, bobsCall, offer(0xB1, "ufragB"));
        assertThat(caller.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.MEDIA_TIMEOUT);
        assertThat(callee.awaitEnd(WAIT).endReason()).isEqualTo(EndReason.MEDIA_TIMEOUT);
    }

    @Test
    void browserAudioLostWithNoDialerConnected_endsConnectionLost() throws Exception {
        startEngine(Duration.ofSeconds(1));
        RecordingDialer caller = attach(alice, "d-alice", Map.of());
        RecordingDialer callee = attach(bob, "d-bob", Map.of());
        String id = engine.place(alice, BOB, caller, offer(0xA1, "ufragA")).callId();
        String bobsCall = callee.await(v -> v.state() == CallState.CONNECTING, WAIT).id();
        engine.answer(callee, bobsCall, offer(0xB1, "ufragB"));
        engine.detach(caller); // both tabs closed
        engine.detach(callee);
        RecordingDialer later = attach(alice, "d-alice", Map.of(id, 2L));
        CallView end = later.awaitEnd(WAIT);
        assertThat(end.endReason()).isEqualTo(EndReason.CONNECTION_LOST);
        assertThat(end.seq()).isEqualTo(3);
        assertThat(new org.opendialer.core.accounts.CallLog(db).recent(10)).extracting(r -> r.endReason())
                .containsOnly("connection_lost");
    }

    @Test
    void afterARestart_aReconnectingDialerIsSentTheGatewayRestartEnd_fromTheCallLog() throws Exception {
        CallStore store = new CallStore(db);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Call left = new Call("crashed-1", alice.id(), CallDirection.OUTBOUND, "1001", "+14155550199", "Alice", t0);
        store.save(alice.id(), left.view(), t0);
        store.save(alice.id(), left.moveTo(CallState.ANSWERED, null, t0.plusSeconds(2)), t0.plusSeconds(2));
        startEngine(Duration.ofSeconds(30)); // start() repairs what the "crash" left

        RecordingDialer back = attach(alice, "d-alice", Map.of("crashed-1", 2L));
        assertThat(back.states()).containsExactly("disconnected/gateway_restart");
        CallView end = back.received().get(0);
        assertThat(end.seq()).isEqualTo(3);
        assertThat(end.answerTime()).isEqualTo(t0.plusSeconds(2));
        assertThat(end.result()).isEqualTo(CallResult.ANSWERED);
        assertThat(attach(alice, "d-alice", Map.of("crashed-1", 3L)).received()).isEmpty();
        assertThat(attach(bob, "d-bob", Map.of("crashed-1", 0L)).received()).isEmpty();
        assertThat(attach(alice, "d-alice", Map.of("no-such-call", 0L)).received()).isEmpty();
    }

    @Test
    void aCleanShutdownEndsCallsGatewayShutdown() throws Exception {
        startEngine(Duration.ofSeconds(30));
        RecordingDialer caller = attach(alice, "d-alice", Map.of());
        RecordingDialer callee = attach(bob, "d-bob", Map.of());
        engine.place(alice, BOB);
        String bobsCall = callee.await(v -> v.state() == CallState.CONNECTING, WAIT).id();
        engine.answer(callee, bobsCall);
        engine.close();
        engine = null;
        assertThat(caller.states()).containsExactly("connecting", "answered", "disconnected/gateway_shutdown");
        assertThat(callee.states()).containsExactly("connecting", "answered", "disconnected/gateway_shutdown");
        assertThat(List.of(caller.received().get(2).result(), callee.received().get(2).result()))
                .containsOnly(CallResult.ANSWERED);
    }
}
