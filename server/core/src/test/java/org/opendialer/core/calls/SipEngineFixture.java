package org.opendialer.core.calls;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.PasswordHasher;
import org.opendialer.core.accounts.User;
import org.opendialer.media.relay.MediaRelay;
import org.opendialer.media.relay.RelaySettings;
import org.opendialer.sip.SipSettings;

/**
 * What the engine's SIP tests share: a fresh H2 database with the user alice (extension 1001,
 * +12015550123) and, once started, a relay on the test's own RTP ports and an engine whose SIP agent
 * talks to {@code trunk} (SIPp). Closed after each test.
 */
final class SipEngineFixture implements AutoCloseable {
    final Database db;
    final AccountService accounts;
    final User alice;
    MediaRelay relay;
    CallEngine engine;
    int sipPort;

    SipEngineFixture(Path dir) {
        db = Database.open("jdbc:h2:file:" + dir.resolve("db"), null, null);
        accounts = new AccountService(db, Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(5),
                PasswordHasher.forTests());
        alice = accounts.createUser(new NewUser("alice", "correct horse battery", "Alice Agent", "1001",
                "+12015550123"));
    }

    /** Starts the engine toward {@code trunk}; {@code configure} runs before start (carrier, policy). */
    CallEngine start(String trunk, int rtpMin, int rtpMax, Consumer<CallEngine> configure) throws Exception {
        return start(trunk, rtpMin, rtpMax, Duration.ofSeconds(30), configure);
    }

    /** As above with the engine's ring timeout (DIALER_RING_TIMEOUT_S) {@code ringTimeout}. */
    CallEngine start(String trunk, int rtpMin, int rtpMax, Duration ringTimeout, Consumer<CallEngine> configure)
            throws Exception {
        relay = MediaRelay.open(new RelaySettings(InetAddress.getLoopbackAddress(), 0, "127.0.0.1", rtpMin, rtpMax,
                Duration.ofSeconds(30)));
        sipPort = SippPeer.freeUdpPort();
        SipSettings settings = new SipSettings("127.0.0.1", sipPort, "127.0.0.1", SipSettings.Trunk.parse(trunk),
                null, null, null, null);
        engine = new CallEngine(accounts, new CallStore(db), settings, relay, ringTimeout, Clock.systemUTC());
        configure.accept(engine);
        engine.start();
        return engine;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        if (relay != null) {
            relay.close();
        }
        db.close();
    }
}
