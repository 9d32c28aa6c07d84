package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opendialer.testkit.HeapProbe;

/**
 * Mutation fuzzing of the SIP port while a call is up: valid requests and responses of every kind, broken
 * in the ways parsers get wrong (flipped bytes, lost and doubled headers, truncation, wrong lengths, odd
 * line ends, junk values, NUL and non-UTF-8 bytes), over UDP and TCP. The agent must keep answering,
 * keep the call (the trunk's BYE exchange completes afterwards), place a new call, and not grow its heap.
 * Seeded: {@code -Dfuzz.seed=N} replays another run. The counts go to docs/benchmarks.md.
 */
@Timeout(180)
class SipFuzzTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** {@code -Dfuzz.inputs=N} (./dialer fuzz): N mutated UDP datagrams, N/20 TCP connections; default 3,000. */
    private static final int UDP_MESSAGES = Integer.getInteger("fuzz.inputs", 3000);
    private static final int TCP_CONNECTIONS = Math.max(150, UDP_MESSAGES / 20);

    private SipUserAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void mutatedMessagesOverUdpAndTcp_leaveTheAgentServing_andTheCallUp() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261125L);
        Random random = new Random(seed);
        int sippPort = FreePorts.next();
        int port = FreePorts.next();
        try (Sipp trunk = Sipp.uas("uas_answer.xml", sippPort, Map.of())) {
            agent = new SipUserAgent(new SipSettings("127.0.0.1", port, "127.0.0.1",
                    new SipSettings.Trunk("127.0.0.1", sippPort, "udp"), null, null, Duration.ofSeconds(20),
                    Duration.ofMillis(500)), InboundCallHandler.REJECT_ALL);
            agent.start();
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", "Ada", "+14155550199", agent.localOffer(40000),
                    listener);
            assertThat(listener.next(WAIT)).isEqualTo("provisional 180");
            assertThat(listener.next(WAIT)).isEqualTo("answered");
            long heapBefore = HeapProbe.usedAfterGc();

            Map<String, Integer> answers = new TreeMap<>();
            int udpSent = 0;
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                socket.setSoTimeout(1);
                for (int i = 0; i < UDP_MESSAGES; i++) {
                    byte[] message = mutate(template(random, socket.getLocalPort(), "UDP"), random);
                    byte[] datagram = message.length > 65_000 ? java.util.Arrays.copyOf(message, 65_000) : message;
                    socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), port));
                    udpSent++;
                    drain(socket, answers);
                    if (i % 500 == 499) {
                        assertServing(port);
                    }
                }
                socket.setSoTimeout(200);
                drain(socket, answers);
            }
            int tcpMessages = 0;
            for (int c = 0; c < TCP_CONNECTIONS; c++) {
                java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
                int n = 1 + random.nextInt(4);
                for (int m = 0; m < n; m++) {
                    stream.write(mutate(template(random, 5060, "TCP"), random));
                    tcpMessages++;
                }
                RawSipClient.sendTcp(port, stream.toByteArray(), 2);
            }
            assertServing(port);

            // The call went through all of it: still confirmed, and the trunk sees our BYE.
            assertThat(call.state()).isEqualTo(CallState.CONFIRMED);
            assertThat(listener.events).as("the fuzz touched the call").isEmpty();
            call.hangUp();
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            try (Sipp next = Sipp.uas("uas_answer.xml", sippPort, Map.of())) { // and a new call works
                RecordingListener second = new RecordingListener();
                OutboundCall again = agent.placeCall("+14155550100", "Ada", "+14155550199", agent.localOffer(40010),
                        second);
                assertThat(second.next(WAIT)).isEqualTo("provisional 180");
                assertThat(second.next(WAIT)).isEqualTo("answered");
                again.hangUp();
                assertThat(next.awaitExit(WAIT)).as(next.logs()).isZero();
            }
            long heapAfter = HeapProbe.usedAfterGc();
            System.out.printf("SIP fuzz (seed %d): %d UDP datagrams, %d TCP messages on %d connections; UDP answers"
                    + " by status: %s; heap after GC %d KiB before, %d KiB after%n", seed, udpSent, tcpMessages,
                    TCP_CONNECTIONS, answers, heapBefore / 1024, heapAfter / 1024);
            // Not a performance bound: a leak of the fuzz's transactions would be tens of MiB.
            assertThat(heapAfter - heapBefore).isLessThan(32L * 1024 * 1024);
        }
    }

    private static final String[] METHODS = {"INVITE", "OPTIONS", "BYE", "CANCEL", "ACK", "REGISTER", "INFO",
            "MESSAGE", "NOTIFY", "SUBSCRIBE", "PRACK", "UPDATE", "REFER", "XYZZY"};

    /** A well-formed request of a random method, or a response to a transaction that does not exist. */
    private static String template(Random r, int fromPort, String transport) {
        String callId = Long.toHexString(r.nextLong()) + "@fuzz";
        String branch = "z9hG4bK" + Long.toHexString(r.nextLong());
        String body = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40002 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n";
        String headers = "Via: SIP/2.0/" + transport + " 127.0.0.1:" + fromPort + ";branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Fuzz\" <sip:+14155550100@127.0.0.1>;tag=" + Integer.toHexString(r.nextInt()) + "\r\n"
                + "To: <sip:+12015550123@127.0.0.1>" + (r.nextBoolean() ? ";tag=" + r.nextInt(1000) : "") + "\r\n"
                + "Call-ID: " + callId + "\r\n";
        if (r.nextInt(8) == 0) {
            int status = new int[] {100, 180, 183, 200, 401, 407, 486, 500, 503, 603}[r.nextInt(10)];
            return "SIP/2.0 " + status + " Whatever\r\n" + headers + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        }
        String method = METHODS[r.nextInt(METHODS.length)];
        boolean sdp = method.equals("INVITE") || r.nextInt(6) == 0;
        return method + " sip:+12015550123@127.0.0.1 SIP/2.0\r\n" + headers
                + "CSeq: " + (1 + r.nextInt(1000)) + " " + method + "\r\n"
                + "Contact: <sip:fuzz@127.0.0.1:" + fromPort + ">\r\n"
                + (sdp ? "Content-Type: application/sdp\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                        : "Content-Length: 0\r\n\r\n");
    }

    /** Breaks {@code message} in one to three ways. */
    static byte[] mutate(String message, Random r) {
        String text = message;
        for (int e = 1 + r.nextInt(3); e > 0; e--) {
            text = mutateOnce(text, r);
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String mutateOnce(String text, Random r) {
        List<String> lines = new ArrayList<>(List.of(text.split("\r\n", -1)));
        int header = lines.size() < 2 ? 0 : 1 + r.nextInt(Math.min(lines.size() - 1, 9));
        switch (r.nextInt(10)) {
            case 0 -> lines.remove(header); // a header lost
            case 1 -> lines.add(header, lines.get(header)); // a header twice
            case 2 -> {
                return text.substring(0, r.nextInt(text.length() + 1)); // truncated
            }
            case 3 -> lines.set(header, lines.get(header).replaceFirst(":.*",
                    java.util.regex.Matcher.quoteReplacement(": " + junk(r, 1 + r.nextInt(2000)))));
            case 4 -> {
                String length = new String[] {"-1", "99999999", "0", "4294967296", "1e3", ""}[r.nextInt(6)];
                return text.replaceFirst("Content-Length: \\d+", "Content-Length: " + length);
            }
            case 5 -> {
                return r.nextBoolean() ? text.replace("\r\n", "\n") : text.replace("\r\n", "\r");
            }
            case 6 -> lines.set(0, new String[] {"INVITE sips:x SIP/2.0", "INVITE <sip:a@b> SIP/2.0",
                    "INVITE tel:+1 SIP/2.0", "INVITE  sip:a@b  SIP/2.0", "INVITE sip:a@b SIP/3.0",
                    "INVITE sip:a@b", "SIP/2.0 999999 X", "SIP/2.0 20 OK", " INVITE sip:a@b SIP/2.0",
                    "INVITE sip:%00@b SIP/2.0"}[r.nextInt(10)]);
            case 7 -> lines.add(header, "X-Big: " + "a".repeat(1000 + r.nextInt(60_000)));
            case 8 -> lines.add(header, " " + junk(r, 50)); // a folded continuation line
            default -> {
                byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
                for (int f = 1 + r.nextInt(8); f > 0 && bytes.length > 0; f--) {
                    bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256); // NUL, high bytes, anything
                }
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        }
        return String.join("\r\n", lines);
    }

    private static String junk(Random r, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) (r.nextInt(4) == 0 ? r.nextInt(256) : 32 + r.nextInt(95)));
        }
        return s.toString();
    }

    private static void drain(DatagramSocket socket, Map<String, Integer> answers) throws IOException {
        byte[] buffer = new byte[65_535];
        while (true) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return;
            }
            String head = new String(buffer, 0, Math.min(p.getLength(), 12), StandardCharsets.ISO_8859_1);
            answers.merge(head.startsWith("SIP/2.0 ") && head.length() >= 11 ? head.substring(8, 11) : "other", 1,
                    Integer::sum);
        }
    }

    private static void assertServing(int port) throws IOException {
        assertThat(RawSipClient.optionsOverUdp(port, 5000)).as("OPTIONS over UDP").startsWith("SIP/2.0 200 ");
        assertThat(RawSipClient.optionsOverTcp(port, 5000)).as("OPTIONS over TCP").startsWith("SIP/2.0 200 ");
    }
}
