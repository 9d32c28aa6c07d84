package org.opendialer.media.relay;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.UDPTransport;
import org.opendialer.media.dtls.DtlsCertificate;
import org.opendialer.media.dtls.SrtpKeyMaterial;
import org.opendialer.media.dtls.TestDtlsSrtpClient;
import org.opendialer.media.rtp.PacketKind;
import org.opendialer.media.srtp.SrtpContext;
import org.opendialer.media.srtp.SrtpException;
import org.opendialer.media.stun.StunAttribute;
import org.opendialer.media.stun.StunMessage;
import org.opendialer.media.stun.StunMessageBuilder;
import org.opendialer.media.stun.StunMessageType;

/**
 * A browser stand-in over loopback UDP: writes an offer like Chromium's, then ICE-lite check
 * (with USE-CANDIDATE), BouncyCastle DTLS client, SRTP/SRTCP both ways, as Chromium does.
 */
public final class TestBrowser implements AutoCloseable {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final SecureRandom RANDOM = new SecureRandom();

    final DtlsCertificate certificate = DtlsCertificate.generate();
    volatile String ufrag = "b" + Integer.toHexString(RANDOM.nextInt(0x10000));
    final String password = "browserpassword0123456789";
    final DatagramSocket socket;
    final BlockingQueue<byte[]> rtp = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> rtcp = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> stun = new LinkedBlockingQueue<>();
    private DTLSTransport dtls;
    private SrtpContext send;
    private SrtpContext receive;
    private Thread reader;
    private volatile boolean closed;

    public TestBrowser() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    }

    /** Chromium's shape: BUNDLE, actpass, PCMU 0 / PCMA 8 / telephone-event 126 when asked. */
    public String offer(boolean pcmu, boolean pcma, int eventPt) {
        StringBuilder formats = new StringBuilder();
        StringBuilder rtpmaps = new StringBuilder();
        if (pcmu) {
            formats.append(" 0");
            rtpmaps.append("a=rtpmap:0 PCMU/8000\r\n");
        }
        if (pcma) {
            formats.append(" 8");
            rtpmaps.append("a=rtpmap:8 PCMA/8000\r\n");
        }
        if (!pcmu && !pcma) {
            formats.append(" 111");
            rtpmaps.append("a=rtpmap:111 opus/48000/2\r\n");
        }
        if (eventPt >= 0) {
            formats.append(" ").append(eventPt);
            rtpmaps.append("a=rtpmap:").append(eventPt).append(" telephone-event/8000\r\n");
        }
        return "v=0\r\n"
                + "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "t=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "a=extmap-allow-mixed\r\n"
                + "a=msid-semantic: WMS\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF" + formats + "\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:" + ufrag + "\r\n"
                + "a=ice-pwd:" + password + "\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 " + certificate.fingerprint() + "\r\n"
                + "a=setup:actpass\r\n"
                + "a=mid:0\r\n"
                + "a=sendrecv\r\n"
                + "a=msid:- 7d1a5f0e-1111-2222-3333-444455556666\r\n"
                + "a=rtcp-mux\r\n"
                + rtpmaps
                + "a=ssrc:1001 cname:browser\r\n";
    }

    /** A new ice-ufrag for the next offer, as pc.restartIce() does. */
    void restartIce() {
        ufrag = "r" + Integer.toHexString(RANDOM.nextInt(0x10000));
    }

    /** ICE check, then DTLS with the gateway as server; returns once SRTP keys are known. */
    public void connect(String answer) throws Exception {
        if (!check(answer)) {
            throw new IOException("no ICE answer from the relay");
        }
        String fingerprint = find(answer, "^a=fingerprint:(.+)$");
        TestDtlsSrtpClient client = new TestDtlsSrtpClient(certificate, fingerprint, true);
        dtls = new DTLSClientProtocol().connect(client, new UDPTransport(socket, 1500));
        SrtpKeyMaterial keys = client.keys();
        send = keys.clientSendContext();
        receive = keys.clientReceiveContext();
        socket.setSoTimeout(100);
        reader = new Thread(this::read, "test-browser-" + ufrag);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * One connectivity check with USE-CANDIDATE using the answer's credentials (retransmitted
     * up to 10 times); true when it got a Binding success. Before DTLS, or when the reader is
     * not running; afterwards use {@link #checkWhileConnected}.
     */
    boolean check(String answer) throws Exception {
        int port = Integer.parseInt(find(answer, "^a=candidate:\\S+ 1 udp \\d+ \\S+ (\\d+) typ host"));
        if (!socket.isConnected()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port));
        }
        socket.setSoTimeout(1000);
        byte[] buf = new byte[2048];
        for (int attempt = 0; attempt < 10; attempt++) {
            socket.send(bindingRequest(answer));
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                if (PacketKind.of(buf, 0, p.getLength()) == PacketKind.STUN
                        && StunMessage.parse(buf, 0, p.getLength()).type() == StunMessageType.BINDING_SUCCESS) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // retransmit, as an ICE agent does
            }
        }
        return false;
    }

    /** After DTLS: sends a check; the reader thread queues the answer in {@link #stun}. */
    StunMessage checkWhileConnected(String answer) throws Exception {
        return checkWhileConnected(answer, 10, 1000);
    }

    StunMessage checkWhileConnected(String answer, int attempts, int millisEach) throws Exception {
        for (int attempt = 0; attempt < attempts; attempt++) {
            socket.send(bindingRequest(answer));
            byte[] response = stun.poll(millisEach, TimeUnit.MILLISECONDS);
            if (response != null) {
                return StunMessage.parse(response, 0, response.length);
            }
        }
        return null;
    }

    private DatagramPacket bindingRequest(String answer) {
        String localUfrag = find(answer, "^a=ice-ufrag:(\\S+)");
        String localPwd = find(answer, "^a=ice-pwd:(\\S+)");
        byte[] txid = new byte[12];
        RANDOM.nextBytes(txid);
        byte[] check = new StunMessageBuilder(StunMessageType.BINDING_REQUEST, txid)
                .username(localUfrag + ":" + ufrag).priority(1845501695L)
                .iceRole(StunAttribute.ICE_CONTROLLING, 7).useCandidate()
                .messageIntegrity(localPwd.getBytes(StandardCharsets.UTF_8)).fingerprint().build();
        return new DatagramPacket(check, check.length);
    }

    private void read() {
        byte[] buf = new byte[2048];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            try {
                switch (PacketKind.of(buf, 0, p.getLength())) {
                    case RTP -> rtp.add(receive.unprotectRtp(buf, 0, p.getLength()));
                    case RTCP -> rtcp.add(receive.unprotectRtcp(buf, 0, p.getLength()));
                    case STUN -> stun.add(Arrays.copyOf(buf, p.getLength()));
                    default -> { }
                }
            } catch (SrtpException e) {
                // not for us
            }
        }
    }

    public void sendRtp(int pt, int seq, long ts, int ssrc, boolean marker, byte[] payload) throws Exception {
        byte[] packet = Rtp.packet(pt, seq, ts, ssrc, marker, payload);
        byte[] srtp;
        synchronized (this) {
            srtp = send.protectRtp(packet, 0, packet.length);
        }
        socket.send(new DatagramPacket(srtp, srtp.length));
    }

    void sendRtcp(byte[] compound) throws Exception {
        byte[] srtcp;
        synchronized (this) {
            srtcp = send.protectRtcp(compound, 0, compound.length);
        }
        socket.send(new DatagramPacket(srtcp, srtcp.length));
    }

    void sendRaw(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length));
    }

    byte[] nextRtp() throws InterruptedException {
        return rtp.poll(10, TimeUnit.SECONDS);
    }

    /** The next RTP packet relayed to this browser, or null after {@code millis}. */
    public byte[] nextRtp(int millis) throws InterruptedException {
        return rtp.poll(millis, TimeUnit.MILLISECONDS);
    }

    static String find(String sdp, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no " + regex + " in\n" + sdp);
        }
        return m.group(1).trim();
    }

    @Override
    public void close() {
        closed = true;
        if (dtls != null) {
            try {
                dtls.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket.close();
        if (reader != null) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }
}
