package org.opendialer.app.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opendialer.sip.SipSettings;
import org.opendialer.sip.SipUserAgent;
import org.opendialer.sip.SourceAllowList;
import org.opendialer.sip.TrunkOptions;
import org.opendialer.testkit.KamailioProcess;
import org.opendialer.testkit.LoopbackPorts;

/** /healthz's SIP edge check against a real registrar (Kamailio) and one that never answers. */
@Timeout(90)
class TrunkRegistrationCheckTest {
    private static final String PASSWORD = "edge-check-password-7f3a";

    private static SipUserAgent agent(String trunk, boolean register) {
        return new SipUserAgent(new SipSettings("127.0.0.1", LoopbackPorts.next(), "127.0.0.1",
                // T1 100 ms: a REGISTER without an answer fails after 64 × T1 = 6.4 s, not 32 s.
                SipSettings.Trunk.parse(trunk), "gwnode", PASSWORD, null, Duration.ofMillis(100), SourceAllowList.NONE,
                TrunkOptions.DEFAULT.withRegisterTrunk(register)), null);
    }

    private static String awaitProblem(NodeHealth.Check check, java.util.function.Predicate<String> wanted, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String problem = check.problem();
        while (!wanted.test(problem) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            problem = check.problem();
        }
        assertThat(wanted.test(problem)).as("%s; last: %s", what, problem).isTrue();
        return problem;
    }

    @Test
    void withoutTrunkRegistration_thereIsNothingToCheck() {
        try (SipUserAgent agent = agent("sip:127.0.0.1:9", false)) {
            agent.start();
            assertThat(new TrunkRegistrationCheck(agent::trunkRegistration).problem()).isNull();
        }
    }

    @Test
    void aRegistrarThatNeverAnswers_keepsTheNodeUnhealthy_sayingWhere() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             SipUserAgent agent = agent("sip:127.0.0.1:" + silent.getLocalPort(), true)) {
            agent.start();
            String problem = new TrunkRegistrationCheck(agent::trunkRegistration).problem();
            assertThat(problem).startsWith("not registered with the SIP trunk at 127.0.0.1:" + silent.getLocalPort() + " (");
        }
    }

    @Test
    void healthyOnceKamailioAcceptedTheRegistration_unhealthyAgainWhenItsRefreshFails() throws Exception {
        Path dir = Files.createTempDirectory("opendialer-edge-check-");
        SipUserAgent agent;
        NodeHealth.Check check;
        try (KamailioProcess kamailio = KamailioProcess.start(dir, LoopbackPorts.next(), Map.of("gwnode", PASSWORD), 4)) {
            agent = agent(kamailio.uri(), true);
            agent.start();
            Supplier<org.opendialer.sip.Registration> registration = agent::trunkRegistration;
            check = new TrunkRegistrationCheck(registration);
            awaitProblem(check, p -> p == null, "registered with Kamailio");
        }
        try {
            // Kamailio is gone: the refresh (the registrar granted 4 s) gets no answer.
            String problem = awaitProblem(check, p -> p != null && p.contains("failed"), "the failed refresh reported");
            assertThat(problem).startsWith("not registered with the SIP trunk at 127.0.0.1:");
        } finally {
            agent.stop();
        }
    }
}
