package org.opendialer.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * rtpengine (Debian's rtpengine-daemon, userspace only) on loopback, driven over its ng control protocol
 * (bencoded dictionaries over UDP). A real media peer that speaks SDES-SRTP (RFC 4568): offered RTP/SAVP with
 * {@code a=crypto} on one side and told {@code transport-protocol: RTP/AVP}, it bridges to plain RTP on the
 * other. Stopped by its PID with SIGINT (SIGTERM was slow to take effect, TESTING.md); its log is dir/rtpengine.log.
 */
public final class RtpengineProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final InetSocketAddress ng;
    private final DatagramSocket socket;
    private int cookie;

    private RtpengineProcess(Process process, Path log, InetSocketAddress ng, DatagramSocket socket) {
        this.process = process;
        this.log = log;
        this.ng = ng;
        this.socket = socket;
    }

    /** Starts rtpengine with its ng port on 127.0.0.1:{@code ngPort} and media ports in [portMin, portMax]. */
    public static RtpengineProcess start(Path dir, int ngPort, int portMin, int portMax)
            throws IOException, InterruptedException {
        if (!SippProcess.onPath("rtpengine")) {
            throw new IllegalStateException("rtpengine is not installed: apt-get install -y rtpengine");
        }
        Files.createDirectories(dir);
        Path log = dir.resolve("rtpengine.log");
        Process p = new ProcessBuilder("rtpengine", "--foreground", "--table=-1", "--interface=127.0.0.1",
                "--listen-ng=127.0.0.1:" + ngPort, "--port-min=" + portMin, "--port-max=" + portMax,
                "--log-stderr", "--config-file=none")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        RtpengineProcess r = new RtpengineProcess(p, log, new InetSocketAddress("127.0.0.1", ngPort), socket);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("rtpengine exited at start:\n" + r.log());
                }
                try {
                    if ("pong".equals(r.command(Map.of("command", "ping"), 300).get("result"))) {
                        return r;
                    }
                } catch (SocketTimeoutException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("rtpengine did not answer ping within 15 s:\n" + r.log());
                }
            }
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** ng {@code offer}: returns the SDP rtpengine offers to the other side. {@code flags} are added to the request. */
    public String offer(String callId, String fromTag, String sdp, Map<String, String> flags) throws IOException {
        Map<String, String> request = new LinkedHashMap<>(flags);
        request.putAll(Map.of("command", "offer", "call-id", callId, "from-tag", fromTag, "sdp", sdp));
        return sdpOf(command(request, 5000));
    }

    /** ng {@code answer}: returns the SDP rtpengine answers to the offerer. */
    public String answer(String callId, String fromTag, String toTag, String sdp) throws IOException {
        return sdpOf(command(Map.of("command", "answer", "call-id", callId, "from-tag", fromTag, "to-tag", toTag,
                "sdp", sdp), 5000));
    }

    private String sdpOf(Map<String, String> reply) {
        if (!"ok".equals(reply.get("result")) || reply.get("sdp") == null) {
            throw new IllegalStateException("rtpengine refused: " + reply + "\n" + log());
        }
        return reply.get("sdp");
    }

    private synchronized Map<String, String> command(Map<String, String> request, int timeoutMs) throws IOException {
        String id = "od" + ++cookie;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((id + " ").getBytes(StandardCharsets.US_ASCII));
        out.write('d');
        for (Map.Entry<String, String> e : new TreeMap<>(request).entrySet()) {
            string(out, e.getKey());
            string(out, e.getValue());
        }
        out.write('e');
        byte[] bytes = out.toByteArray();
        socket.send(new DatagramPacket(bytes, bytes.length, ng));
        socket.setSoTimeout(timeoutMs);
        byte[] buf = new byte[65536];
        while (true) {
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            socket.receive(reply);
            String text = new String(buf, 0, reply.getLength(), StandardCharsets.ISO_8859_1);
            if (text.startsWith(id + " ")) {
                return dictionary(text.substring(id.length() + 1));
            }
        }
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
    }

    /** The string values of a bencoded dictionary's top level; nested values are skipped. */
    private static Map<String, String> dictionary(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        int[] pos = {1};
        while (text.charAt(pos[0]) != 'e') {
            String key = (String) value(text, pos);
            Object v = value(text, pos);
            if (v instanceof String s) {
                result.put(key, s);
            }
        }
        return result;
    }

    private static Object value(String text, int[] pos) {
        char c = text.charAt(pos[0]);
        if (c == 'i') {
            int end = text.indexOf('e', pos[0]);
            pos[0] = end + 1;
            return null;
        }
        if (c == 'l' || c == 'd') {
            pos[0]++;
            while (text.charAt(pos[0]) != 'e') {
                value(text, pos);
            }
            pos[0]++;
            return null;
        }
        int colon = text.indexOf(':', pos[0]);
        int length = Integer.parseInt(text.substring(pos[0], colon));
        // ISO-8859-1 keeps one char per byte, so byte lengths index the string directly.
        String s = text.substring(colon + 1, colon + 1 + length);
        pos[0] = colon + 1 + length;
        return new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    public String log() {
        try {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGINT by this process's PID, then SIGKILL after 5 s. */
    @Override
    public void close() {
        socket.close();
        try {
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
