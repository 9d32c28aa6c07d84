package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opendialer.sip.Registration;
import org.opendialer.sip.RegistrationState;
import org.opendialer.sip.SipSettings;
import org.opendialer.sip.SipUserAgent;
import org.opendialer.sip.SourceAllowList;
import org.opendialer.sip.TrunkOptions;
import org.opendialer.testkit.KamailioProcess;
import org.opendialer.testkit.LoopbackPorts;

/**
 * A cluster node's own binding at the SIP edge (what /healthz checks), against a real Kamailio registrar (the test
 * registrar keys passwords by address of record; the cluster's edge by the digest username, the node name).
 */
@Timeout(90)
class EdgeRegistrationsTest {
    private static final String SECRET = "cluster-secret-4b9e";

    private static SipUserAgent agent(String edge) {
        return new SipUserAgent(new SipSettings("127.0.0.1", LoopbackPorts.next(), "127.0.0.1",
                // T1 100 ms: a REGISTER without an answer fails after 6.4 s, not 32 s.
                SipSettings.Trunk.parse(edge), null, null, null, Duration.ofMillis(100), SourceAllowList.NONE,
                TrunkOptions.DEFAULT), null);
    }

    private static RegistrationState await(Registration r, Predicate<RegistrationState> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!wanted.test(r.state()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return r.state();
    }

    @Test
    void theNodeBindingIsRegisteredAtTheEdge_underAnAddressNoDialledNumberCanReach() throws Exception {
        Path dir = Files.createTempDirectory("opendialer-edge-binding-");
        try (KamailioProcess kamailio = KamailioProcess.start(dir, LoopbackPorts.next(), Map.of("node.node1", SECRET), 20);
             SipUserAgent sip = agent(kamailio.uri())) {
            sip.start();
            EdgeRegistrations edge = new EdgeRegistrations(null, sip, "node1", SECRET);
            Registration binding = edge.nodeBinding();
            assertThat(edge.nodeBinding()).as("one binding, not one per ask").isSameAs(binding);
            assertThat(await(binding, s -> s == RegistrationState.REGISTERED)).as(kamailio.log())
                    .isEqualTo(RegistrationState.REGISTERED);
            kamailio.awaitLocation(t -> t.contains("node.node1"), Duration.ofSeconds(10), "the node's address of record");
            EdgeRegistrations closed = new EdgeRegistrations(null, sip, "node1", SECRET);
            closed.close();
            assertThat(closed.nodeBinding()).as("none after close").isNull();
            edge.close();
        }
    }

    @Test
    void aWrongSecret_leavesTheBindingFailed_withTheEdgeAnswerAsTheReason() throws Exception {
        Path dir = Files.createTempDirectory("opendialer-edge-binding-");
        try (KamailioProcess kamailio = KamailioProcess.start(dir, LoopbackPorts.next(), Map.of("node.node1", SECRET), 20);
             SipUserAgent sip = agent(kamailio.uri())) {
            sip.start();
            Registration binding = new EdgeRegistrations(null, sip, "node1", "not-the-secret").nodeBinding();
            assertThat(await(binding, s -> s == RegistrationState.FAILED)).isEqualTo(RegistrationState.FAILED);
            assertThat(binding.failure()).isNotBlank();
        }
    }
}
