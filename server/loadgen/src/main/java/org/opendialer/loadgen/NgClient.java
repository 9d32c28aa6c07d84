package org.opendialer.loadgen;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * rtpengine's ng control protocol: "cookie bencoded-dict" over UDP, the reply carries the same
 * cookie. One request at a time (the bench sets calls up from one thread); retried on timeout.
 */
final class NgClient implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private long cookies;

    NgClient(InetSocketAddress server) throws IOException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setSoTimeout(1000);
    }

    @SuppressWarnings("unchecked")
    synchronized Map<String, Object> request(Map<String, Object> command) throws IOException {
        String cookie = "c" + (++cookies) + "_" + ProcessHandle.current().pid();
        byte[] body = Bencode.encode(command);
        byte[] head = (cookie + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] msg = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, msg, head.length, body.length);
        byte[] buf = new byte[65536];
        for (int attempt = 0; attempt < 5; attempt++) {
            socket.send(new DatagramPacket(msg, msg.length, server));
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < deadline) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                int sp = indexOf(buf, p.getLength(), (byte) ' ');
                if (sp < 0 || !new String(buf, 0, sp, StandardCharsets.US_ASCII).equals(cookie)) {
                    continue; // a late reply to an earlier attempt
                }
                Map<String, Object> reply = (Map<String, Object>) Bencode.decode(buf, sp + 1, p.getLength() - sp - 1);
                if (!"ok".equals(reply.get("result")) && !"pong".equals(reply.get("result"))) {
                    throw new IOException("rtpengine " + command.get("command") + ": " + reply);
                }
                return reply;
            }
        }
        throw new IOException("rtpengine did not answer " + command.get("command"));
    }

    private static int indexOf(byte[] b, int len, byte c) {
        for (int i = 0; i < len; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        socket.close();
    }
}
