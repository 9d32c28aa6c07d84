package org.opendialer.media.relay;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.opendialer.media.dtls.SrtpKeyMaterial;
import org.opendialer.media.dtls.TestDtlsSrtpClient;
import org.opendialer.media.srtp.SrtpContext;
import org.opendialer.media.stun.StunAttribute;
import org.opendialer.media.stun.StunMessageBuilder;
import org.opendialer.media.stun.StunMessageType;
import org.opendialer.media.webrtc.FramedTcpClient;

/** A browser stand-in that reaches the relay over its passive ICE-TCP candidate (what a browser behind a UDP block does). */
final class TcpTestBrowser implements AutoCloseable {
    private final TestBrowser identity; // its certificate, ufrag and offer; its UDP socket stays unused
    private FramedTcpClient tcp;
    private SrtpContext send;
    private Thread drain;

    TcpTestBrowser() throws Exception {
        identity = new TestBrowser();
    }

    String offer() {
        return identity.offer(true, true, 126);
    }

    void connect(String answer) throws Exception {
        int port = Integer.parseInt(TestBrowser.find(answer, "^a=candidate:\\S+ 1 tcp \\d+ \\S+ (\\d+) typ host tcptype passive"));
        tcp = new FramedTcpClient(new InetSocketAddress(TestBrowser.LOOPBACK, port));
        byte[] txid = new byte[12];
        new java.security.SecureRandom().nextBytes(txid);
        byte[] check = new StunMessageBuilder(StunMessageType.BINDING_REQUEST, txid)
                .username(TestBrowser.find(answer, "^a=ice-ufrag:(\\S+)") + ":" + identity.ufrag).priority(1845501695L)
                .iceRole(StunAttribute.ICE_CONTROLLING, 7).useCandidate()
                .messageIntegrity(TestBrowser.find(answer, "^a=ice-pwd:(\\S+)").getBytes(StandardCharsets.UTF_8))
                .fingerprint().build();
        tcp.sendFrame(check, 0, check.length);
        if (tcp.stun.poll(5, TimeUnit.SECONDS) == null) {
            throw new java.io.IOException("no ICE answer over TCP");
        }
        TestDtlsSrtpClient client = new TestDtlsSrtpClient(identity.certificate, TestBrowser.find(answer, "^a=fingerprint:(.+)$"), true);
        new DTLSClientProtocol().connect(client, tcp);
        SrtpKeyMaterial keys = client.keys();
        send = keys.clientSendContext();
        drain = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    tcp.srtp.take(); // what the relay sends this browser: counted by the relay, discarded here
                }
            } catch (InterruptedException e) {
                // closed
            }
        }, "tcp-browser-drain");
        drain.setDaemon(true);
        drain.start();
    }

    void sendRtp(int pt, int seq, long ts, int ssrc, boolean marker, byte[] payload) throws Exception {
        byte[] packet = Rtp.packet(pt, seq, ts, ssrc, marker, payload);
        byte[] srtp = send.protectRtp(packet, 0, packet.length);
        tcp.sendFrame(srtp, 0, srtp.length);
    }

    @Override
    public void close() {
        if (drain != null) {
            drain.interrupt();
        }
        try {
            if (tcp != null) {
                tcp.close();
            }
        } catch (java.io.IOException ignored) {
            // closing anyway
        }
        identity.close();
    }
}
