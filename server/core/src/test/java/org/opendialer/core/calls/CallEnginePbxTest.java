package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.sip.Registration;
import org.opendialer.sip.RegistrationState;
import org.opendialer.testkit.BaresipProcess;
import org.opendialer.testkit.KamailioProcess;

/**
 * PBX mode through the call engine, with no trunk: Kamailio as the PBX (registrar and proxy, digest auth),
 * baresip as extension 2001 on it (auto-answer). Alice's gateway account carries the PBX account gw1001.
 */
@Timeout(90)
class CallEnginePbxTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static KamailioPbx pbx;
    private static KamailioProcess kamailio;
    private static BaresipProcess phone;

    @TempDir
    Path dir;
    private PbxEngineFixture fx;
    private AccountService accounts;
    private User alice;
    private CallEngine engine;

    @BeforeAll
    static void startPeers() throws Exception {
        pbx = KamailioPbx.start("engine-pbx", WAIT, "2001");
        kamailio = pbx.kamailio;
        phone = pbx.phone("2001");
    }

    @AfterAll
    static void stopPeers() {
        if (pbx != null) {
            pbx.close();
        }
    }

    @BeforeEach
    void setUp() throws java.io.IOException {
        fx = new PbxEngineFixture(dir, pbx);
        accounts = fx.accounts;
        alice = fx.alice;
        accounts.createUser(new NewUser("bob", "correct horse battery", "Bob", "1002", null));
        engine = fx.start(e -> e.pbx().setGracePeriod(Duration.ofMillis(1500)));
    }

    @AfterEach
    void tearDown() {
        fx.close();
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
        fx.engine = null;
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
        assertThat(kamailio.log()).doesNotContain(pbx.gatewayPassword);
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
