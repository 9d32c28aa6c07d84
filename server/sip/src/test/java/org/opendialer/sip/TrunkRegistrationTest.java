package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opendialer.testkit.KamailioProcess;
import org.opendialer.testkit.LoopbackPorts;

/** DIALER_SIP_REGISTER: the agent registers with its trunk (Kamailio as the carrier's registrar, digest auth). */
@Timeout(60)
class TrunkRegistrationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int MAX_EXPIRES = 4;

    @Test
    void registerOn_registersWithTheTrunksCredentials_refreshesBeforeExpiry_andUnregistersAtStop() throws Exception {
        byte[] bytes = new byte[12];
        new java.security.SecureRandom().nextBytes(bytes);
        String password = HexFormat.of().formatHex(bytes);
        Path dir = Files.createTempDirectory("opendialer-trunk-reg-");
        try (KamailioProcess kamailio = KamailioProcess.start(dir, LoopbackPorts.next(), Map.of("gwtrunk", password),
                MAX_EXPIRES)) {
            SipSettings settings = new SipSettings("127.0.0.1", LoopbackPorts.next(), "127.0.0.1",
                    SipSettings.Trunk.parse(kamailio.uri()), "gwtrunk", password, null, null,
                    SourceAllowList.NONE, TrunkOptions.DEFAULT.withRegisterTrunk(true));
            SipUserAgent agent = new SipUserAgent(settings, null);
            try {
                agent.start();
                Registration r = agent.trunkRegistration();
                assertThat(r).isNotNull();
                kamailio.awaitLocation(t -> t.contains("gwtrunk") && t.contains("sip:gwtrunk@127.0.0.1:"), WAIT,
                        "the gateway's contact at the trunk");
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (r.acceptedCount() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(r.acceptedCount()).as("a refresh before the granted %d s ran out", MAX_EXPIRES)
                        .isGreaterThanOrEqualTo(2);
                assertThat(r.grantedExpires()).isEqualTo(MAX_EXPIRES);
            } finally {
                agent.stop();
            }
            kamailio.awaitLocation(t -> !t.contains("sip:gwtrunk@"), WAIT, "the contact removed (Expires: 0)");
        }
    }

    @Test
    void registerOff_sendsNoRegister() {
        SipSettings settings = new SipSettings("127.0.0.1", LoopbackPorts.next(), "127.0.0.1",
                SipSettings.Trunk.parse("sip:127.0.0.1:9"), "gwtrunk", "pw", null, null, SourceAllowList.NONE, null);
        try (SipUserAgent agent = new SipUserAgent(settings, null)) {
            agent.start();
            assertThat(agent.trunkRegistration()).isNull();
        }
    }
}
