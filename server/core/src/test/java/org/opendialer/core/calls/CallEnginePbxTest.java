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
import java.util.function.BooleanSupplier;
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
import org.opendialer.sip.Registration;
import org.opendialer.sip.RegistrationState;
import org.opendialer.sip.SipSettings;
import org.opendialer.testkit.BaresipProcess;
import org.opendialer.testkit.KamailioProcess;
import org.opendialer.testkit.LoopbackPorts;

/**
 * PBX mode through the call engine, with no trunk: Kamailio as the PBX (registrar and proxy, digest auth),
 * baresip as extension 2001 on it (auto-answer). Alice's gateway account carries the PBX account gw1001.
 */
@Timeout(90)
class CallEnginePbxTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String GATEWAY_PASSWORD = secret();
    private static final String PHONE_PASSWORD = secret();

    private static Path peers;
    private static KamailioProcess kamailio;
    private static BaresipProcess phone;

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
        peers = Files.createTempDirectory("opendialer-engine-pbx-");
        int port = LoopbackPorts.next();
        kamailio = KamailioProcess.start(peers.resolve("kamailio"), port,
                Map.of("gw1001", GATEWAY_PASSWORD, "2001", PHONE_PASSWORD), 60);
        int rtp = LoopbackPorts.next();
        phone = BaresipProcess.start(peers.resolve("baresip"), "2001", PHONE_PASSWORD, "127.0.0.1:" + port,
                LoopbackPorts.next(), LoopbackPorts.next(), rtp + "-" + (rtp + 9));
        // baresip registers as it starts, maybe before the control connection exists: ask the registrar.
        kamailio.awaitLocation(t -> t.contains("AoR: 2001"), WAIT, "baresip's contact");
    }

    @AfterAll
    static void stopPeers() {
        if (phone != null) {
            phone.close(); // before the registrar: it waits for its un-REGISTER
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
        accounts.createUser(new NewUser("bob", "correct horse battery", "Bob", "1002", null));
        accounts.setSipAccount("alice", new SipAccount(kamailio.uri(), "gw1001", null, GATEWAY_PASSWORD));
        SipSettings settings = new SipSettings("127.0.0.1", LoopbackPorts.next(), "127.0.0.1", null, null, null,
                null, null);
        int rtp = LoopbackPorts.next();
        engine = new CallEngine(accounts, new CallStore(db), settings,
                relay = MediaRelay.open(new RelaySettings(InetAddress.getLoopbackAddress(), 0, "127.0.0.1", rtp,
                        rtp + 19, Duration.ofSeconds(30))), Duration.ofSeconds(30),
                Clock.systemUTC());
        engine.pbx().setGracePeriod(Duration.ofMillis(1500));
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

    private String contactToken() {
        return accounts.sipAccount(alice.id()).orElseThrow().contactToken();
    }

    private RecordingDialer attach(User user) {
        RecordingDialer d = new RecordingDialer(user.id());
        engine.attach(d);
        return d;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened within " + WAIT + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private boolean registered() {
        return engine.pbx().state(alice.id()).filter(s -> s == RegistrationState.REGISTERED).isPresent();
    }

    @Test
    void dialerAttached_registers_reloadWithinGraceKeepsIt_lastDialerGoneUnregistersAfterGrace() throws Exception {
        String token = contactToken();
        RecordingDialer first = attach(alice);
        await(this::registered, "alice registered");
        kamailio.awaitLocation(t -> t.contains(token), WAIT, "alice's contact");
        Registration registration = engine.pbx().registration(alice.id()).orElseThrow();

        // A reload: the dialer goes and another comes back within the grace period: same registration.
        engine.detach(first);
        RecordingDialer second = attach(alice);
        // The detach scheduled the un-REGISTER, and coming back cancelled it (the engine runs both in order; attach
        // returns once done): with none pending it cannot happen later, so no need to sleep past the grace to see
        // it not happen. The detach below shows it is scheduled when no dialer comes back.
        assertThat(engine.pbx().removalPending(alice.id())).isFalse();
        assertThat(engine.pbx().registration(alice.id())).containsSame(registration);
        assertThat(kamailio.locationTable()).contains(token);

        engine.detach(second);
        await(() -> engine.pbx().state(alice.id()).isEmpty(), "registration dropped after the grace period");
        kamailio.awaitLocation(t -> !t.contains(token), WAIT, "alice's contact removed");
    }

    @Test
    void gatewayStops_unregistersTheAccount() throws Exception {
        String token = contactToken();
        attach(alice);
        await(this::registered, "alice registered");
        kamailio.awaitLocation(t -> t.contains(token), WAIT, "alice's contact");
        engine.close();
        engine = null;
        kamailio.awaitLocation(t -> !t.contains(token), WAIT, "alice's contact removed at shutdown");
    }

    @Test
    void placeCall_toPbxExtension_goesThroughKamailio_answeredByBaresip_thenLocalHangup() throws Exception {
        RecordingDialer d = attach(alice);
        await(this::registered, "alice registered");
        String id = engine.place(alice, new DialTarget.Extension("2001"));
        d.await(v -> v.state() == CallState.ANSWERED, WAIT);
        phone.awaitEvent("CALL_ESTABLISHED", WAIT);
        engine.hangUp(d, id);
        phone.awaitEvent("CALL_CLOSED", WAIT);
        assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        assertThat(kamailio.log()).doesNotContain(GATEWAY_PASSWORD);
    }

    @Test
    void placeCall_toAnotherGatewayUsersExtension_staysInternal() throws Exception {
        RecordingDialer d = attach(alice);
        RecordingDialer bob = attach(accounts.findUser("bob").orElseThrow());
        engine.place(alice, new DialTarget.Extension("1002"));
        bob.await(v -> v.state() == CallState.CONNECTING, WAIT);
        engine.hangUp(d, null);
        d.awaitEnd(WAIT);
        assertThat(bob.awaitEnd(WAIT).endReason().wire()).isEqualTo("canceled");
    }

    @Test
    void baresipCallsTheAccount_ringsAlicesDialer_answeredThenRemoteHangup() throws Exception {
        RecordingDialer d = attach(alice);
        await(this::registered, "alice registered");
        phone.command("dial", "sip:gw1001@127.0.0.1:" + kamailio.port());
        CallView ringing = d.await(v -> v.state() == CallState.CONNECTING, WAIT);
        assertThat(ringing.direction()).isEqualTo(CallDirection.INBOUND);
        assertThat(ringing.from()).isEqualTo("2001");
        engine.answer(d, ringing.id());
        phone.awaitEvent("CALL_ESTABLISHED", WAIT);
        phone.command("hangup", "");
        assertThat(d.awaitEnd(WAIT).endReason().wire()).isEqualTo("remote_hangup");
        assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/remote_hangup");
    }
}
