package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.PasswordHasher;
import org.opendialer.core.accounts.SipAccount;
import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.media.relay.MediaRelay;
import org.opendialer.media.relay.RelaySettings;
import org.opendialer.sip.RegistrationState;
import org.opendialer.sip.SipSettings;
import org.opendialer.testkit.BaresipProcess;
import org.opendialer.testkit.KamailioProcess;
import org.opendialer.testkit.LoopbackPorts;

/**
 * A REFER from a real PBX phone: Kamailio as the PBX, baresip as extensions 2001 and 2002 (auto-answer). Alice
 * (PBX account gw1001) calls 2001; 2001 transfers her to 2002 with baresip's {@code transfer} command (a blind
 * REFER through Kamailio); the gateway follows it: a new leg to 2002 through the PBX account, NOTIFYs to 2001,
 * and alice's call goes on with 2002.
 */
@Timeout(120)
class CallEngineReferPbxTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String GATEWAY_PASSWORD = secret();
    private static final String PHONE_PASSWORD = secret();

    private static Path peers;
    private static KamailioProcess kamailio;
    private static BaresipProcess transferor;
    private static BaresipProcess target;

    @TempDir
    Path dir;
    private Database db;
    private AccountService accounts;
    private User alice;
    private CallEngine engine;
    private MediaRelay relay;

    private static String secret() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @BeforeAll
    static void startPeers() throws Exception {
        peers = Files.createTempDirectory("opendialer-refer-pbx-");
        int port = LoopbackPorts.next();
        kamailio = KamailioProcess.start(peers.resolve("kamailio"), port,
                Map.of("gw1001", GATEWAY_PASSWORD, "2001", PHONE_PASSWORD, "2002", PHONE_PASSWORD), 60);
        transferor = phone("2001", port);
        target = phone("2002", port);
        kamailio.awaitLocation(t -> t.contains("AoR: 2001") && t.contains("AoR: 2002"), WAIT, "both phones' contacts");
    }

    private static BaresipProcess phone(String user, int kamailioPort) throws Exception {
        int rtp = LoopbackPorts.next();
        return BaresipProcess.start(peers.resolve("baresip-" + user), user, PHONE_PASSWORD, "127.0.0.1:" + kamailioPort,
                LoopbackPorts.next(), LoopbackPorts.next(), rtp + "-" + (rtp + 9));
    }

    @AfterAll
    static void stopPeers() {
        for (BaresipProcess p : new BaresipProcess[] {transferor, target}) {
            if (p != null) {
                p.close(); // before the registrar: it waits for its un-REGISTER
            }
        }
        if (kamailio != null) {
            kamailio.close();
        }
    }

    @BeforeEach
    void setUp() throws java.io.IOException {
        db = Database.open("jdbc:h2:file:" + dir.resolve("db"), null, null);
        accounts = new AccountService(db, Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(5),
                PasswordHasher.forTests());
        alice = accounts.createUser(new NewUser("alice", "correct horse battery", "Alice Agent", "1001", null));
        accounts.setSipAccount("alice", new SipAccount(kamailio.uri(), "gw1001", null, GATEWAY_PASSWORD));
        SipSettings settings = new SipSettings("127.0.0.1", LoopbackPorts.next(), "127.0.0.1", null, null, null,
                null, null);
        int rtp = LoopbackPorts.next();
        engine = new CallEngine(accounts, new CallStore(db), settings,
                relay = MediaRelay.open(new RelaySettings(InetAddress.getLoopbackAddress(), 0, "127.0.0.1", rtp,
                        rtp + 19, Duration.ofSeconds(30))), Duration.ofSeconds(30), Clock.systemUTC());
        engine.start();
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

    @Test
    void baresipTransfersAlice_toAnotherExtension_theGatewayFollowsTheRefer_andHerCallGoesOnWithTheTarget()
            throws Exception {
        RecordingDialer d = new RecordingDialer(alice.id());
        engine.attach(d);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (engine.pbx().state(alice.id()).filter(s -> s == RegistrationState.REGISTERED).isEmpty()) {
            assertThat(System.nanoTime()).as("alice registered").isLessThan(deadline);
            Thread.sleep(50);
        }
        String id = engine.place(alice, new DialTarget.Extension("2001"));
        d.await(v -> v.state() == CallState.ANSWERED, WAIT);
        transferor.awaitEvent("CALL_ESTABLISHED", WAIT);

        transferor.command("transfer", "sip:2002@127.0.0.1:" + kamailio.port());
        target.awaitEvent("CALL_ESTABLISHED", WAIT); // the gateway's new leg, through gw1001 and Kamailio
        transferor.awaitEvent("CALL_CLOSED", WAIT); // the referrer's call ended (our BYE after NOTIFY 200)
        assertThat(d.states()).containsExactly("connecting", "answered"); // alice's call goes on

        engine.hangUp(d, id); // its far end is 2002 now
        target.awaitEvent("CALL_CLOSED", WAIT);
        assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        assertThat(kamailio.log()).doesNotContain(GATEWAY_PASSWORD);
    }
}
