package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.PasswordHasher;
import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.media.relay.MediaRelay;
import org.opendialer.media.relay.RelaySettings;
import org.opendialer.sip.SipSettings;
import org.opendialer.sip.SourceAllowList;
import org.opendialer.sip.TrunkOptions;

/** An answered call whose trunk stops refreshing the session (RFC 4028) ends as session_expired. */
class CallEngineSessionTimerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private Database db;
    private CallEngine engine;
    private MediaRelay relay;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void answeredCall_whoseTrunkStopsRefreshing_endsSessionExpired_withBye_andIsLoggedSo() throws Exception {
        db = Database.open("jdbc:h2:file:" + dir.resolve("db"), null, null);
        AccountService accounts = new AccountService(db, Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(5),
                PasswordHasher.forTests());
        User alice = accounts.createUser(new NewUser("alice", "correct horse battery", "Alice Agent", "1001",
                "+12015550123"));
        try (SippPeer trunk = SippPeer.uas("uas_session_not_refreshed.xml", Map.of())) {
            SipSettings settings = new SipSettings("127.0.0.1", SippPeer.freeUdpPort(), "127.0.0.1",
                    SipSettings.Trunk.parse(trunk.uri()), null, null, null, null, SourceAllowList.NONE,
                    TrunkOptions.DEFAULT.withSessionTimer(Duration.ofSeconds(2), Duration.ofSeconds(1)));
            relay = MediaRelay.open(new RelaySettings(InetAddress.getLoopbackAddress(), 0, "127.0.0.1", 21000, 21999,
                    Duration.ofSeconds(30)));
            engine = new CallEngine(accounts, new CallStore(db), settings, relay, Duration.ofSeconds(30),
                    Clock.systemUTC());
            engine.start();
            RecordingDialer d = new RecordingDialer(alice.id());
            engine.attach(d);
            String id = engine.place(alice, new DialTarget.PhoneNumber("+14155550199"));
            d.await(v -> v.state() == CallState.DISCONNECTED, WAIT);
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/session_expired");
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero(); // it got the BYE
            assertThat(new CallLog(db).recent(50)).filteredOn(r -> r.id().equals(id))
                    .extracting(r -> r.endReason()).containsExactly("session_expired");
        }
    }
}
