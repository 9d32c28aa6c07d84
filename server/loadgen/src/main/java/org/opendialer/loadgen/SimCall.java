package org.opendialer.loadgen;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.opendialer.media.dtls.SrtpKeyMaterial;
import org.opendialer.media.srtp.SrtpContext;
import org.opendialer.media.stun.StunAttribute;
import org.opendialer.media.stun.StunException;
import org.opendialer.media.stun.StunMessage;
import org.opendialer.media.stun.StunMessageBuilder;
import org.opendialer.media.stun.StunMessageType;

/**
 * One bridged call as the load generator sees it: a simulated browser (its own UDP socket, ICE
 * credentials, DTLS client, SRTP contexts) and the SIP side's stream (sent from the shared SIP
 * socket to the relay's RTP port). Fields written by the media threads are read only after those
 * threads stopped.
 */
final class SimCall {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    final int id;
    final DatagramChannel browser;
    final InetSocketAddress browserAddress;
    final String localUfrag = random(8);
    final String localPwd = random(24);
    final int browserSsrc = RANDOM.nextInt();
    final int sipSsrc = RANDOM.nextInt();
    String remoteUfrag;
    String remotePwd;
    String remoteFingerprint;
    InetSocketAddress remoteWebRtc;
    InetSocketAddress relayRtp;
    /** Browser side: protect what the browser sends, unprotect what it receives. */
    SrtpContext browserSend;
    SrtpContext browserReceive;
    /** Baseline only (no relay): the SIP side plays the relay's crypto part so the work matches. */
    SrtpContext loopSipSend;
    SrtpContext loopSipReceive;
    int browserSeq = RANDOM.nextInt(0x8000);
    int sipSeq = RANDOM.nextInt(0x8000);
    long browserTs = RANDOM.nextInt() & 0xFFFFFFFFL;
    long sipTs = RANDOM.nextInt() & 0xFFFFFFFFL;
    volatile boolean ready;
    String failure;
    long stunRequestsAnswered;
    /** From the first connectivity check to the exported SRTP keys. */
    long handshakeNanos;

    SimCall(int id, int port) throws IOException {
        this.id = id;
        browser = DatagramChannel.open();
        browser.bind(new InetSocketAddress("127.0.0.1", port));
        browserAddress = (InetSocketAddress) browser.getLocalAddress();
    }

    String offer(BrowserCertificate cert) {
        return Sdp.browserOffer(1000L + id, browserAddress.getPort(), localUfrag, localPwd, cert.fingerprint(), browserSsrc);
    }

    void answer(String sdp) {
        remoteUfrag = Sdp.attribute(sdp, "ice-ufrag");
        remotePwd = Sdp.attribute(sdp, "ice-pwd");
        remoteFingerprint = Sdp.attribute(sdp, "fingerprint");
        remoteWebRtc = Sdp.mediaAddress(sdp);
        if (remoteUfrag == null || remotePwd == null || remoteFingerprint == null) {
            throw new IllegalArgumentException("answer without ICE credentials or fingerprint:\n" + sdp);
        }
    }

    /**
     * What a browser does after setRemoteDescription: connectivity check as the controlling
     * agent, nominating at once (USE-CANDIDATE), then the DTLS client handshake with use_srtp.
     * Answers the relay's own checks (rtpengine is a full ICE agent) meanwhile. Blocking; runs on
     * a handshake pool thread; leaves the channel non-blocking for the media threads.
     */
    void connect(BrowserCertificate cert) throws IOException {
        long started = System.nanoTime();
        browser.connect(remoteWebRtc);
        browser.configureBlocking(true);
        byte[] txid = new byte[12];
        RANDOM.nextBytes(txid);
        byte[] check = new StunMessageBuilder(StunMessageType.BINDING_REQUEST, txid)
                .username(remoteUfrag + ":" + localUfrag)
                .priority(2130706431L)
                .iceRole(StunAttribute.ICE_CONTROLLING, RANDOM.nextLong())
                .useCandidate()
                .messageIntegrity(remotePwd.getBytes(StandardCharsets.UTF_8))
                .fingerprint()
                .build();
        byte[] buf = new byte[2048];
        long deadline = System.nanoTime() + 10_000_000_000L;
        boolean checked = false;
        while (!checked) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no answer to the ICE connectivity check from " + remoteWebRtc);
            }
            browser.write(ByteBuffer.wrap(check));
            long resend = System.nanoTime() + 200_000_000L;
            while (!checked && System.nanoTime() < resend) {
                int n = receiveTimed(buf, 50);
                if (n > 0 && StunMessage.looksLikeStun(buf, 0, n)) {
                    checked = handleStun(buf, n, txid);
                }
            }
        }
        DtlsSrtpClient client = new DtlsSrtpClient(cert, remoteFingerprint);
        DTLSTransport dtls = new DTLSClientProtocol().connect(client, new Transport());
        SrtpKeyMaterial keys = client.keys();
        browserSend = keys.clientSendContext();
        browserReceive = keys.clientReceiveContext();
        browser.configureBlocking(false);
        handshakeNanos = System.nanoTime() - started;
        dtls.getClass(); // the DTLS session stays open; media is SRTP from here on
    }

    /** Baseline: no relay, keys made up, the SIP side holds the matching contexts. */
    void loopKeys() {
        byte[] m = new byte[SrtpKeyMaterial.LENGTH];
        RANDOM.nextBytes(m);
        SrtpKeyMaterial keys = SrtpKeyMaterial.split(m);
        browserSend = keys.clientSendContext();
        browserReceive = keys.clientReceiveContext();
        loopSipReceive = keys.serverReceiveContext();
        loopSipSend = keys.serverSendContext();
    }

    /** Returns true if this was the success response to {@code txid}; answers requests. */
    boolean handleStun(byte[] buf, int n, byte[] txid) throws IOException {
        StunMessage msg;
        try {
            msg = StunMessage.parse(buf, 0, n);
        } catch (StunException e) {
            return false;
        }
        if (msg.type() == StunMessageType.BINDING_REQUEST) {
            answerStun(msg);
            return false;
        }
        return txid != null && msg.type() == StunMessageType.BINDING_SUCCESS && Arrays.equals(msg.transactionId(), txid);
    }

    /** A full agent's check toward the browser: Binding success with our password (no integrity check of theirs: a load generator). */
    void answerStun(StunMessage request) throws IOException {
        byte[] response = new StunMessageBuilder(StunMessageType.BINDING_SUCCESS, request.transactionId())
                .xorMappedAddress(remoteWebRtc)
                .messageIntegrity(localPwd.getBytes(StandardCharsets.UTF_8))
                .fingerprint()
                .build();
        browser.write(ByteBuffer.wrap(response));
        stunRequestsAnswered++;
    }

    /** Blocking receive with a timeout; -1 on timeout. */
    private int receiveTimed(byte[] buf, int waitMillis) throws IOException {
        browser.socket().setSoTimeout(Math.max(1, waitMillis));
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            browser.socket().receive(p);
        } catch (SocketTimeoutException e) {
            return -1;
        }
        return p.getLength();
    }

    /** BouncyCastle's view of the socket during the handshake: STUN answered and skipped, DTLS passed up. */
    private final class Transport implements DatagramTransport {
        private final byte[] buf = new byte[2048];

        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] out, int off, int len, int waitMillis) throws IOException {
            long deadline = System.nanoTime() + waitMillis * 1_000_000L;
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return -1;
                }
                int n = receiveTimed(buf, (int) left);
                if (n <= 0) {
                    return -1;
                }
                int first = buf[0] & 0xFF;
                if (first < 4) {
                    handleStun(buf, n, null);
                } else if (first >= 20 && first <= 63) {
                    int copy = Math.min(n, len);
                    System.arraycopy(buf, 0, out, off, copy);
                    return copy;
                }
                // anything else (early RTP) is dropped
            }
        }

        @Override
        public void send(byte[] b, int off, int len) throws IOException {
            browser.write(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void close() {
        }
    }

    void close() {
        try {
            browser.close();
        } catch (IOException e) {
            // closing
        }
    }

    private static String random(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
        }
        return sb.toString();
    }
}
