package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.sip.RegistrationState;
import org.opendialer.testkit.BaresipProcess;

/**
 * A REFER from a real PBX phone: Kamailio as the PBX, baresip as extensions 2001 and 2002 (auto-answer). Alice
 * (PBX account gw1001) calls 2001; 2001 transfers her to 2002 with baresip's {@code transfer} command (a blind
 * REFER through Kamailio); the gateway follows it: a new leg to 2002 through the PBX account, NOTIFYs to 2001,
 * and alice's call goes on with 2002.
 */
@Timeout(120)
class CallEngineReferPbxTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static KamailioPbx pbx;
    private static BaresipProcess transferor;
    private static BaresipProcess target;

    @TempDir
    Path dir;
    private PbxEngineFixture fx;
    private CallEngine engine;

    @BeforeAll
    static void startPeers() throws Exception {
        pbx = KamailioPbx.start("refer-pbx", WAIT, "2001", "2002");
        transferor = pbx.phone("2001");
        target = pbx.phone("2002");
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
        engine = fx.start(e -> { });
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void baresipTransfersAlice_toAnotherExtension_theGatewayFollowsTheRefer_andHerCallGoesOnWithTheTarget()
            throws Exception {
        RecordingDialer d = new RecordingDialer(fx.alice.id());
        engine.attach(d);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (engine.pbx().state(fx.alice.id()).filter(s -> s == RegistrationState.REGISTERED).isEmpty()) {
            assertThat(System.nanoTime()).as("alice registered").isLessThan(deadline);
            Thread.sleep(50);
        }
        String id = engine.place(fx.alice, new DialTarget.Extension("2001"));
        d.await(v -> v.state() == CallState.ANSWERED, WAIT);
        transferor.awaitEvent("CALL_ESTABLISHED", WAIT);

        transferor.command("transfer", "sip:2002@127.0.0.1:" + pbx.port());
        target.awaitEvent("CALL_ESTABLISHED", WAIT); // the gateway's new leg, through gw1001 and Kamailio
        transferor.awaitEvent("CALL_CLOSED", WAIT); // the referrer's call ended (our BYE after NOTIFY 200)
        assertThat(d.states()).containsExactly("connecting", "answered"); // alice's call goes on

        engine.hangUp(d, id); // its far end is 2002 now
        target.awaitEvent("CALL_CLOSED", WAIT);
        assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        assertThat(pbx.kamailio.log()).doesNotContain(pbx.gatewayPassword);
    }
}
