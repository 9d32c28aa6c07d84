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
import org.opendialer.core.accounts.SipAccount;
import org.opendialer.core.accounts.User;
import org.opendialer.media.relay.MediaRelay;
import org.opendialer.media.relay.RelaySettings;
import org.opendialer.sip.SipSettings;

/**
 * What the engine's PBX-mode tests share per test: a fresh H2 database with the user alice (extension 1001)
 * whose gateway account carries the PBX account gw1001 on {@code pbx}, a relay on loopback ports and an engine
 * with no trunk. The PBX-mode twin of {@link SipEngineFixture}. Closed after each test.
 */
final class PbxEngineFixture implements AutoCloseable {
    final Database db;
    final AccountService accounts;
    final User alice;
    MediaRelay relay;
    CallEngine engine;

    PbxEngineFixture(Path dir, KamailioPbx pbx) {
        db = Database.open("jdbc:h2:file:" + dir.resolve("db"), null, null);
        accounts = new AccountService(db, Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(5),
                PasswordHasher.forTests());
        alice = accounts.createUser(new NewUser("alice", "correct horse battery", "Alice Agent", "1001", null));
        accounts.setSipAccount("alice", new SipAccount(pbx.kamailio.uri(), "gw1001", null, pbx.gatewayPassword));
    }

    /** Starts the engine; {@code configure} runs before start (e.g. the registration's grace period). */
    CallEngine start(Consumer<CallEngine> configure) throws java.io.IOException {
        SipSettings settings = new SipSettings("127.0.0.1", org.opendialer.testkit.LoopbackPorts.next(), "127.0.0.1",
                null, null, null, null, null);
        int rtp = org.opendialer.testkit.LoopbackPorts.next();
        relay = MediaRelay.open(new RelaySettings(InetAddress.getLoopbackAddress(), 0, "127.0.0.1", rtp, rtp + 19,
                Duration.ofSeconds(30)));
        engine = new CallEngine(accounts, new CallStore(db), settings, relay, Duration.ofSeconds(30), Clock.systemUTC());
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
