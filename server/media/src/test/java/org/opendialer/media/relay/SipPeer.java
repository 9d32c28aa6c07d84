package org.opendialer.media.relay;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** A plain RTP peer on the SIP side: RTP on an even port, RTCP on the port above. */
final class SipPeer implements AutoCloseable {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final DatagramSocket rtp;
    final DatagramSocket rtcp;
    private InetSocketAddress relay;

    SipPeer() throws SocketException {
        this(LOOPBACK);
    }

    /** On {@code host}, e.g. 127.0.0.2 for a sender on another machine. */
    SipPeer(InetAddress host) throws SocketException {
        DatagramSocket[] pair = bindPair(host);
        rtp = pair[0];
        rtcp = pair[1];
    }

    private static DatagramSocket[] bindPair(InetAddress host) throws SocketException {
        for (int attempt = 0; ; attempt++) {
            int port = 38000 + 2 * ThreadLocalRandom.current().nextInt(1000);
            DatagramSocket a = null;
            try {
                a = new DatagramSocket(new InetSocketAddress(host, port));
                return new DatagramSocket[] {a, new DatagramSocket(new InetSocketAddress(host, port + 1))};
            } catch (SocketException e) {
                if (a != null) {
                    a.close();
                }
                if (attempt > 50) {
                    throw e;
                }
            }
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) rtp.getLocalSocketAddress();
    }

    void relayAt(int port) {
        relay = new InetSocketAddress(LOOPBACK, port);
    }

    void send(int pt, int seq, long ts, int ssrc, boolean marker, byte[] payload) throws IOException {
        byte[] p = Rtp.packet(pt, seq, ts, ssrc, marker, payload);
        rtp.send(new DatagramPacket(p, p.length, relay));
    }

    void sendRtcp(byte[] datagram) throws IOException {
        rtcp.send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress(relay.getAddress(), relay.getPort() + 1)));
    }

    void sendRaw(byte[] datagram) throws IOException {
        rtp.send(new DatagramPacket(datagram, datagram.length, relay));
    }

    /** The next RTP datagram, or null after {@code millis}. */
    byte[] receive(int millis) throws IOException {
        return receive(rtp, millis);
    }

    byte[] receiveRtcp(int millis) throws IOException {
        return receive(rtcp, millis);
    }

    private static byte[] receive(DatagramSocket socket, int millis) throws IOException {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout(millis);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(buf, p.getLength());
    }

    @Override
    public void close() {
        rtp.close();
        rtcp.close();
    }
}
