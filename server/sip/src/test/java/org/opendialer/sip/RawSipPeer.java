package org.opendialer.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A SIP peer over raw UDP on a chosen loopback host (127.0.0.2 = another machine): writes requests by hand. */
final class RawSipPeer implements AutoCloseable {
    final DatagramSocket socket;
    final String host;
    private final int agentPort;

    RawSipPeer(String host, int agentPort) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0));
        this.host = host;
        this.agentPort = agentPort;
    }

    int port() {
        return socket.getLocalPort();
    }

    void send(String message) throws IOException {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), agentPort));
    }

    /** Every datagram received within {@code millis}. */
    List<String> receiveAll(int millis) throws IOException {
        List<String> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + millis;
        byte[] buf = new byte[65535];
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return got;
            }
            socket.setSoTimeout((int) left);
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            } catch (SocketTimeoutException e) {
                return got;
            }
        }
    }

    /** The first response whose status line starts with {@code status} (e.g. "SIP/2.0 200"), within {@code millis}. */
    String awaitResponse(String status, int millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        byte[] buf = new byte[65535];
        while (System.currentTimeMillis() < deadline) {
            socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            String m = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            if (m.startsWith(status)) {
                return m;
            }
        }
        throw new AssertionError("no " + status + " within " + millis + " ms");
    }

    /** A request of dialog {@code callId}; {@code toTag} null for a new INVITE; SDP naming this peer when {@code sdp}. */
    String request(String method, String callId, String fromTag, String toTag, int cseq, boolean sdp) {
        String body = sdp ? "v=0\r\no=- 1 1 IN IP4 " + host + "\r\ns=-\r\nc=IN IP4 " + host + "\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" : "";
        return method + " sip:+14155550199@127.0.0.1:" + agentPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ":" + port() + ";branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:+14155550100@" + host + ">;tag=" + fromTag + "\r\n"
                + "To: <sip:+14155550199@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:caller@" + host + ":" + port() + ">\r\n"
                + (method.equals("REFER") ? "Refer-To: <sip:+19005550100@" + host + ">\r\n" : "")
                + (sdp ? "Content-Type: application/sdp\r\n" : "")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    static String toTag(String response) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^To:.*;tag=([^;\\s]+)").matcher(response);
        if (!m.find()) {
            throw new AssertionError("no To tag in\n" + response);
        }
        return m.group(1);
    }

    @Override
    public void close() {
        socket.close();
    }
}
