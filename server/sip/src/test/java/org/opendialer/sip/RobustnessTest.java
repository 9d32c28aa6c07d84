package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SIP port is public: OPTIONS must be answered, and no message, malformed or not, may crash or stall
 * the agent. The RFC 4475 torture messages are copied from shared/data/rfc4475.
 */
@Timeout(90)
class RobustnessTest {
    private static SipUserAgent agent;
    private static int port;

    @BeforeAll
    static void start() {
        port = FreePorts.next();
        agent = new SipUserAgent(new SipSettings("127.0.0.1", port, "127.0.0.1",
                SipSettings.Trunk.parse("sip:127.0.0.1:9"), null, null, Duration.ofSeconds(5),
                Duration.ofMillis(100)), InboundCallHandler.REJECT_ALL);
        agent.start();
    }

    @AfterAll
    static void stop() {
        agent.stop();
    }

    @Test
    void options_overUdp_isAnswered200WithAllowAndAccept() throws IOException {
        String response = RawSipClient.optionsOverUdp(port, 3000);
        assertThat(response).startsWith("SIP/2.0 200 ");
        assertThat(response).containsPattern("(?i)\\r\\nAllow: [^\\r]*INVITE")
                .containsPattern("(?i)\\r\\nAllow: [^\\r]*OPTIONS")
                .containsPattern("(?i)\\r\\nAccept: application/sdp");
    }

    @Test
    void aRequestWithoutMaxForwards_isAnswered400NamingTheMissingHeader() throws IOException {
        String response = RawSipClient.optionsOverUdp(port, 3000, r -> r.replace("Max-Forwards: 70\r\n", ""));
        assertThat(response).startsWith("SIP/2.0 400 Bad Request (Missing a required header : Max-Forwards)\r\n");
    }

    @Test
    void options_overTcp_isAnswered200() throws IOException {
        assertThat(RawSipClient.optionsOverTcp(port, 3000)).startsWith("SIP/2.0 200 ");
    }

    @Test
    void everyRfc4475TortureMessageOverUdp_leavesTheAgentServing() throws Exception {
        List<Path> messages = tortureMessages();
        assertThat(messages).hasSize(49);
        for (Path m : messages) {
            RawSipClient.sendUdp(port, Files.readAllBytes(m));
        }
        assertServing();
    }

    @Test
    void tortureMessagesOverTcp_leaveTheAgentServing() throws Exception {
        // Valid but odd, invalid, a Content-Length beyond the body, a negative one, a huge request.
        for (String name : List.of("wsinv.dat", "esc01.dat", "badinv01.dat", "mismatch01.dat", "ncl.dat",
                "clerr.dat", "scalarlg.dat", "longreq.dat", "escnull.dat")) {
            RawSipClient.sendTcp(port, Files.readAllBytes(tortureDir().resolve(name)), 20);
        }
        assertServing();
    }

    @Test
    void thousandRandomDatagrams_leaveTheAgentServing() throws Exception {
        Random random = new Random(4475);
        byte[] prefix = "INVITE sip:+14155550199@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK"
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 1000; i++) {
            byte[] junk = new byte[1 + random.nextInt(1400)];
            random.nextBytes(junk);
            if (i % 3 == 0) { // a plausible start, so the parser gets past the request line
                System.arraycopy(prefix, 0, junk, 0, Math.min(prefix.length, junk.length));
            }
            RawSipClient.sendUdp(port, junk);
        }
        assertServing();
    }

    @Test
    void randomBytesOverTcp_leaveTheAgentServing() throws Exception {
        Random random = new Random(3261);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[1 + random.nextInt(16_384)];
            random.nextBytes(junk);
            RawSipClient.sendTcp(port, junk, 5);
        }
        assertServing();
    }

    /** UDP and TCP OPTIONS both answered within a bound after whatever came before. */
    private static void assertServing() throws IOException {
        long start = System.nanoTime();
        assertThat(RawSipClient.optionsOverUdp(port, 5000)).as("OPTIONS over UDP").startsWith("SIP/2.0 200 ");
        assertThat(RawSipClient.optionsOverTcp(port, 5000)).as("OPTIONS over TCP").startsWith("SIP/2.0 200 ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    private static Path tortureDir() throws URISyntaxException {
        return Paths.get(RobustnessTest.class.getResource("/rfc4475").toURI());
    }

    private static List<Path> tortureMessages() throws Exception {
        try (Stream<Path> files = Files.list(tortureDir())) {
            return files.filter(p -> p.toString().endsWith(".dat")).sorted().toList();
        }
    }
}
