package org.opendialer.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opendialer.media.g711.G711;
import org.opendialer.testkit.Goertzel;

/** The test numbers, called by SIPp standing in for the gateway, over real SIP and RTP on loopback. */
@Timeout(60)
class SandboxTestNumbersTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PCMU = "      a=rtpmap:0 PCMU/8000";
    private static final String PCMA = "      a=rtpmap:8 PCMA/8000";
    private static final String PLAY_PCAP = "  <nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/g711a.pcap\"/>"
            + "</action></nop>";

    static Sandbox sandbox;
    static int sipPort;

    @BeforeAll
    static void start() throws Exception {
        // Nothing listens at the gateway URI: these tests only call the sandbox.
        sandbox = Sandbox.start(new SandboxSettings("127.0.0.1", 0, "sip:127.0.0.1:9", FreePorts.RTP_MIN,
                FreePorts.RTP_MAX));
        String uri = sandbox.trunkUri();
        assertThat(uri).matches("sip:127\\.0\\.0\\.1:\\d+");
        sipPort = Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static Map<String, String> offer(int rtpPort, String payloadTypes, String rtpmaps) {
        Map<String, String> keys = new HashMap<>();
        keys.put("rtp_port", String.valueOf(rtpPort));
        keys.put("payload_types", payloadTypes + " 101");
        keys.put("rtpmaps", rtpmaps);
        return keys;
    }

    private static void awaitNoCalls() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sandbox.activeCalls() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sandbox.activeCalls()).as("sandbox calls left over").isZero();
    }

    @Test
    void echoNumber_answers_andReflectsEveryRtpPacket() throws Exception {
        try (RtpProbe probe = new RtpProbe()) {
            Map<String, String> keys = offer(probe.port(), "8", PCMA);
            keys.put("play", PLAY_PCAP);
            keys.put("talk_ms", "5000");
            // SIPp plays G.711 from its own media port; our SDP sends the reflection to the probe.
            try (Sipp sipp = Sipp.uac("uac_answered.xml", sipPort, "+16505550100", keys)) {
                List<RtpProbe.Packet> first = probe.collect(Duration.ofSeconds(4), 1);
                assertThat(first).as("SIPp's pcap reflected to the SDP address\n" + sipp.logs()).hasSize(1);
                assertThat(first.get(0).payloadType()).isEqualTo(8);
                SocketAddress sandboxRtp = first.get(0).from();

                // Our own packets, PT 0 so they stand out from the pcap's PT 8: back byte for byte, new SSRC.
                int ourSsrc = 0x0BADCAFE;
                for (int i = 0; i < 20; i++) {
                    probe.send(rtp(0, 50000 + i, 160L * i, ourSsrc, (byte) (i * 7 + 1)), sandboxRtp);
                    Thread.sleep(5);
                }
                List<RtpProbe.Packet> back = probe.collect(Duration.ofMillis(1500), 1000).stream()
                        .filter(p -> p.payloadType() == 0).toList();
                assertThat(back).extracting(RtpProbe.Packet::sequence)
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(50000, 50020).boxed().toList());
                for (RtpProbe.Packet p : back) {
                    int i = p.sequence() - 50000;
                    assertThat(p.timestamp()).isEqualTo(160L * i);
                    assertThat(p.payload()).hasSize(160).containsOnly((byte) (i * 7 + 1));
                    assertThat(p.ssrc()).isNotEqualTo(ourSsrc);
                }
                assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            }
        }
        awaitNoCalls();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8})
    void toneNumber_answers_andSendsTheToneInTheOfferedG711(int payloadType) throws Exception {
        try (RtpProbe probe = new RtpProbe()) {
            Map<String, String> keys = offer(probe.port(), String.valueOf(payloadType), payloadType == 0 ? PCMU : PCMA);
            keys.put("play", "");
            keys.put("talk_ms", "4000");
            try (Sipp sipp = Sipp.uac("uac_answered.xml", sipPort, "+16505550101", keys)) {
                // One whole 2.4 s cycle of the announcement: 120 packets of 20 ms.
                List<RtpProbe.Packet> packets = probe.collect(Duration.ofSeconds(10), 120);
                assertThat(packets).as(sipp.logs()).hasSize(120);
                int tone1k = 0;
                int tone500 = 0;
                for (int i = 0; i < packets.size(); i++) {
                    RtpProbe.Packet p = packets.get(i);
                    assertThat(p.payloadType()).isEqualTo(payloadType);
                    assertThat(p.bytes()).hasSize(12 + 160);
                    if (i > 0) {
                        assertThat(p.sequence()).isEqualTo((packets.get(i - 1).sequence() + 1) & 0xFFFF);
                        assertThat(p.timestamp()).isEqualTo((packets.get(i - 1).timestamp() + 160) & 0xFFFFFFFFL);
                    }
                    short[] samples = decode(p.payload(), payloadType);
                    tone1k += Goertzel.energyRatio(samples, 1000, 8000) > 0.9 ? 1 : 0;
                    tone500 += Goertzel.energyRatio(samples, 500, 8000) > 0.9 ? 1 : 0;
                }
                assertThat(tone1k).as("20 ms frames of 1 kHz").isGreaterThanOrEqualTo(30);
                assertThat(tone500).as("20 ms frames of the chime's 500 Hz").isGreaterThanOrEqualTo(5);
                assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
                assertThat(sipp.messages()).contains("m=audio").contains("RTP/AVP " + payloadType);
            }
        }
        awaitNoCalls();
    }

    @Test
    void toneNumber_onHold_stopsSending_andResumesWhenTakenOffHold() throws Exception {
        try (RtpProbe probe = new RtpProbe()) {
            Map<String, String> keys = offer(probe.port(), "0", PCMU);
            keys.put("talk_ms", "1200");
            keys.put("hold_ms", "2000");
            try (Sipp sipp = Sipp.uac("uac_hold.xml", sipPort, "+16505550101", keys)) {
                List<RtpProbe.Packet> packets = probe.collect(Duration.ofMillis(5500), 10_000);
                assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
                long longestGapMillis = 0;
                int gapEnd = 0;
                for (int i = 1; i < packets.size(); i++) {
                    long gap = (packets.get(i).arrivalNanos() - packets.get(i - 1).arrivalNanos()) / 1_000_000;
                    if (gap > longestGapMillis) {
                        longestGapMillis = gap;
                        gapEnd = i;
                    }
                }
                // sendonly from the far end: RFC 3264 says we answer recvonly and stop sending.
                assertThat(longestGapMillis).as("silence while held").isBetween(1500L, 4000L);
                assertThat(gapEnd).as("packets before the hold").isGreaterThan(30);
                assertThat(packets.size() - gapEnd).as("packets after the resume").isGreaterThan(30);
                assertThat(sipp.messages()).contains("a=recvonly");
            }
        }
        awaitNoCalls();
    }

    @Test
    void busyNumber_answers486() throws Exception {
        assertRejected("+16505550102", 486, true);
    }

    @Test
    void declinedNumber_rings_thenAnswers603() throws Exception {
        assertRejected("+16505550103", 603, false);
    }

    @Test
    void unknownNumber_gets404() throws Exception {
        assertRejected("+14155550123", 404, true);
    }

    private static void assertRejected(String number, int status, boolean ringingOptional) throws Exception {
        try (RtpProbe probe = new RtpProbe()) {
            Map<String, String> keys = offer(probe.port(), "0 8", PCMU + "\n" + PCMA);
            keys.put("status", String.valueOf(status));
            keys.put("ringing_optional", String.valueOf(ringingOptional));
            try (Sipp sipp = Sipp.uac("uac_rejected.xml", sipPort, number, keys)) {
                assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
                assertThat(probe.collect(Duration.ofMillis(200), 1)).as("no media for a rejected call").isEmpty();
            }
        }
        awaitNoCalls();
    }

    @Test
    void noAnswerNumber_rings_andAcceptsTheCancel() throws Exception {
        try (RtpProbe probe = new RtpProbe()) {
            Map<String, String> keys = offer(probe.port(), "0", PCMU);
            keys.put("ring_ms", "1500");
            try (Sipp sipp = Sipp.uac("uac_cancel.xml", sipPort, "+16505550104", keys)) {
                assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero(); // 180, CANCEL, 200, 487, ACK
            }
        }
        awaitNoCalls();
    }

    @Test
    void delayedAnswerNumber_ringsThreeSeconds_thenEchoes() throws Exception {
        try (RtpProbe probe = new RtpProbe()) {
            Map<String, String> keys = offer(probe.port(), "0", PCMU);
            keys.put("play", "");
            keys.put("talk_ms", "1000");
            long start = System.nanoTime();
            try (Sipp sipp = Sipp.uac("uac_answered.xml", sipPort, "+16505550105", keys)) {
                assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(3900));
                String messages = sipp.messages();
                assertThat(messages.indexOf("SIP/2.0 180")).isPositive().isLessThan(messages.indexOf("SIP/2.0 200"));
            }
        }
        awaitNoCalls();
    }

    static byte[] rtp(int payloadType, int sequence, long timestamp, int ssrc, byte fill) {
        byte[] b = new byte[12 + 160];
        b[0] = (byte) 0x80;
        b[1] = (byte) payloadType;
        b[2] = (byte) (sequence >> 8);
        b[3] = (byte) sequence;
        for (int i = 0; i < 4; i++) {
            b[4 + i] = (byte) (timestamp >> (24 - 8 * i));
            b[8 + i] = (byte) (ssrc >> (24 - 8 * i));
        }
        java.util.Arrays.fill(b, 12, b.length, fill);
        return b;
    }

    static short[] decode(byte[] payload, int payloadType) {
        short[] samples = new short[payload.length];
        for (int i = 0; i < payload.length; i++) {
            samples[i] = payloadType == 8 ? G711.alawToLinear(payload[i]) : G711.ulawToLinear(payload[i]);
        }
        return samples;
    }
}
