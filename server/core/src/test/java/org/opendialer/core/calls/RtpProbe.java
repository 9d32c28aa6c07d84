package org.opendialer.core.calls;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendialer.media.g711.G711;
import org.opendialer.media.relay.TestBrowser;
import org.opendialer.testkit.Goertzel;

/** The transfer tests' view of RTP: the test's sockets stand in for SIPp's audio, checked both ways and for tones. */
final class RtpProbe {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern M_AUDIO = Pattern.compile("m=audio (\\d+) ");

    private RtpProbe() {
    }

    /** The gateway's RTP port of a SIPp's leg: the m=audio line of its SDP that is not the test's socket. */
    static int gatewayPort(SippPeer sipp, DatagramSocket own) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = M_AUDIO.matcher(sipp.messages());
            while (m.find()) {
                int port = Integer.parseInt(m.group(1));
                if (port != own.getLocalPort()) {
                    return port;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no gateway m=audio in " + sipp.messages());
    }

    /** Sends RTP from {@code from} to the gateway until {@code to} receives a packet whose payload is {@code mark}. */
    static boolean relayed(DatagramSocket from, int gatewayPort, DatagramSocket to, int pt, int mark)
            throws Exception {
        byte[] packet = new byte[12 + 160];
        packet[0] = (byte) 0x80;
        packet[1] = (byte) pt;
        java.util.Arrays.fill(packet, 12, packet.length, (byte) mark);
        packet[11] = (byte) mark; // SSRC
        to.setSoTimeout(100);
        byte[] buf = new byte[2048];
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int seq = 1; System.nanoTime() < deadline; seq++) {
            packet[2] = (byte) (seq >> 8);
            packet[3] = (byte) seq;
            packet[7] = (byte) (seq * 160);
            from.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), gatewayPort));
            DatagramPacket got = new DatagramPacket(buf, buf.length);
            try {
                to.receive(got);
                if (got.getLength() == packet.length && buf[12] == (byte) mark && buf[170] == (byte) mark) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // keep sending: the far side may not be spliced yet
            }
        }
        return false;
    }

    /**
     * Audio both ways between a SIP peer's RTP socket {@code sip} (the gateway's side of it: {@code gatewayPort})
     * and a connected browser stand-in: each receives the other's marked PCMU packets.
     */
    static boolean bothWays(DatagramSocket sip, int gatewayPort, TestBrowser browser) throws Exception {
        return toBrowser(sip, gatewayPort, browser, 0x33) && fromBrowser(browser, sip, 0x44);
    }

    private static boolean toBrowser(DatagramSocket from, int gatewayPort, TestBrowser to, int mark) throws Exception {
        byte[] packet = marked(mark);
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int seq = 1; System.nanoTime() < deadline; seq++) {
            packet[2] = (byte) (seq >> 8);
            packet[3] = (byte) seq;
            from.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), gatewayPort));
            byte[] got = to.nextRtp(100);
            while (got != null) {
                if (isMarked(got, got.length, mark)) {
                    return true;
                }
                got = to.nextRtp(0); // ringback queued before the join
            }
        }
        return false;
    }

    private static boolean fromBrowser(TestBrowser from, DatagramSocket to, int mark) throws Exception {
        byte[] payload = new byte[160];
        java.util.Arrays.fill(payload, (byte) mark);
        to.setSoTimeout(100);
        byte[] buf = new byte[2048];
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int seq = 1; System.nanoTime() < deadline; seq++) {
            from.sendRtp(0, seq, seq * 160L, 0x4444, false, payload);
            try {
                while (true) {
                    DatagramPacket got = new DatagramPacket(buf, buf.length);
                    to.receive(got);
                    if (isMarked(buf, got.getLength(), mark)) {
                        return true;
                    }
                }
            } catch (SocketTimeoutException e) {
                // keep sending: the browser's leg may not be joined yet
            }
        }
        return false;
    }

    private static byte[] marked(int mark) {
        byte[] packet = new byte[12 + 160];
        packet[0] = (byte) 0x80;
        java.util.Arrays.fill(packet, 12, packet.length, (byte) mark);
        packet[11] = (byte) mark;
        return packet;
    }

    private static boolean isMarked(byte[] p, int length, int mark) {
        return length == 12 + 160 && p[12] == (byte) mark && p[length - 1] == (byte) mark;
    }

    /**
     * Whether {@code socket} receives North American ringback (440 + 480 Hz) within the wait: G.711 packets
     * decoded by payload type, five at a time (100 ms: both tones on a 10 Hz bin).
     */
    static boolean hearsRingback(DatagramSocket socket) throws Exception {
        socket.setSoTimeout(200);
        byte[] buf = new byte[2048];
        short[] block = new short[800];
        int filled = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            DatagramPacket got = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(got);
            } catch (SocketTimeoutException e) {
                filled = 0;
                continue;
            }
            int pt = buf[1] & 0x7F;
            if (got.getLength() != 12 + 160 || pt != 0 && pt != 8) {
                continue;
            }
            for (int i = 0; i < 160; i++) {
                block[filled + i] = pt == 0 ? G711.ulawToLinear(buf[12 + i]) : G711.alawToLinear(buf[12 + i]);
            }
            filled += 160;
            if (filled == block.length) {
                filled = 0;
                if (Goertzel.energyRatio(block, 440, 8000) + Goertzel.energyRatio(block, 480, 8000) > 0.8) {
                    return true;
                }
            }
        }
        return false;
    }
}
