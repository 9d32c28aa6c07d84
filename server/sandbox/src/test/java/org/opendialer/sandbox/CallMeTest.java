package org.opendialer.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opendialer.testkit.Goertzel;

/** "Call me": the sandbox calls a gateway user; SIPp answers in the gateway's place. */
@Timeout(60)
class CallMeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private Sandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private Sandbox start(int gatewayPort, Duration callLength, Duration interval) throws Exception {
        sandbox = Sandbox.start(new SandboxSettings("127.0.0.1", 0, "sip:127.0.0.1:" + gatewayPort,
                FreePorts.RTP_MIN, FreePorts.RTP_MAX).withCallMeLimits(callLength, interval));
        return sandbox;
    }

    @Test
    void callUser_invitesTheUser_playsTheAnnouncement_andHangsUpAfterTheLimit() throws Exception {
        try (RtpProbe probe = new RtpProbe();
             Sipp gateway = Sipp.uas("uas_answer.xml", Map.of("rtp_port", String.valueOf(probe.port()),
                     "codec", "8", "bye_within_ms", "10000"))) {
            start(gateway.port, Duration.ofSeconds(2), Duration.ofSeconds(60));
            long start = System.nanoTime();
            sandbox.callUser("1001");

            assertThatThrownBy(() -> sandbox.callUser("1001")).isInstanceOf(CallMeRefusedException.class)
                    .hasMessageContaining("already calling 1001");
            // The first 1.5 s of audio (75 packets), however long the answer took on a loaded machine.
            List<RtpProbe.Packet> packets = probe.collect(Duration.ofSeconds(8), 75);
            assertThat(packets).as(gateway.logs()).hasSize(75);
            int tone1k = 0;
            int tone500 = 0;
            for (RtpProbe.Packet p : packets) {
                assertThat(p.payloadType()).isEqualTo(8); // PCMA: what the "gateway" answered with
                short[] samples = SandboxTestNumbersTest.decode(p.payload(), 8);
                tone1k += Goertzel.energyRatio(samples, 1000, 8000) > 0.9 ? 1 : 0;
                tone500 += Goertzel.energyRatio(samples, 500, 8000) > 0.9 ? 1 : 0;
            }
            assertThat(tone500).as("chime frames").isGreaterThanOrEqualTo(5);
            assertThat(tone1k).as("1 kHz frames").isGreaterThanOrEqualTo(10);

            assertThat(gateway.awaitExit(WAIT)).as(gateway.logs()).isZero(); // the BYE came, and got its 200
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(2000));
            String messages = gateway.messages();
            assertThat(messages).contains("INVITE sip:1001@127.0.0.1:" + gateway.port)
                    .contains("\"opendialer sandbox\" <sip:+16505550101@")
                    .contains("BYE sip:");
            awaitNoCalls();
        }
        assertThatThrownBy(() -> sandbox.callUser("1001")).isInstanceOf(CallMeRefusedException.class)
                .hasMessageContaining("try again in");
    }

    @Test
    void callUser_withoutAnAnswer_endsWhenTheGatewayRejects_andAllowsTheNextAfterTheInterval() throws Exception {
        try (Sipp gateway = Sipp.uas("uas_busy.xml", Map.of())) {
            start(gateway.port, Duration.ofSeconds(2), Duration.ofMillis(300));
            sandbox.callUser("+16505550142");
            assertThat(gateway.awaitExit(WAIT)).as(gateway.logs()).isZero();
            awaitNoCalls();
            Thread.sleep(400);
            // The next one is allowed (nothing answers it now: SIPp has gone, so it just tries).
            sandbox.callUser("1001");
            assertThat(sandbox.activeCalls()).isEqualTo(1);
        }
    }

    @Test
    void callUser_rejectsWhatIsNotANumberOrExtension() throws Exception {
        start(9, Duration.ofSeconds(2), Duration.ofSeconds(60));
        for (String bad : new String[] {null, "", "abc", "1", "+", "1001; drop", "sip:1001@x", "1234567890123456"}) {
            assertThatThrownBy(() -> sandbox.callUser(bad)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(sandbox.activeCalls()).isZero();
    }

    private void awaitNoCalls() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sandbox.activeCalls() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sandbox.activeCalls()).isZero();
    }
}
