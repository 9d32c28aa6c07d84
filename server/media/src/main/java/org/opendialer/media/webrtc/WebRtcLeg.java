package org.opendialer.media.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.opendialer.media.dtls.DtlsSrtpServer;
import org.opendialer.media.dtls.DtlsSrtpSession;
import org.opendialer.media.dtls.QueuedDatagramTransport;
import org.opendialer.media.rtp.PacketKind;
import org.opendialer.media.srtp.SrtpContext;
import org.opendialer.media.srtp.SrtpException;
import org.opendialer.media.stun.IceCheckResult;
import org.opendialer.media.stun.IceLiteResponder;

/**
 * One browser's audio on the shared WebRTC port: its ICE-lite responder, its DTLS handshake
 * and its two SRTP contexts. Created by {@link WebRtcEndpoint#createLeg}.
 */
public final class WebRtcLeg {
    private static final System.Logger LOG = System.getLogger(WebRtcLeg.class.getName());
    /** Chromium sends SRTP right after our Finished, before accept() returns: keep those packets. */
    private static final int EARLY_PACKETS = 64;

    private final WebRtcEndpoint endpoint;
    private volatile IceCredentials local;
    private volatile IceLiteResponder responder;
    private volatile String remoteUfrag;
    private final String remoteFingerprint;
    private final MediaListener listener;
    private final QueuedDatagramTransport dtlsTransport;
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    private final Object sendLock = new Object();
    private final Object dtlsReadLock = new Object();
    private final byte[] dtlsReadBuffer = new byte[QueuedDatagramTransport.SEND_LIMIT + 100]; // guarded by dtlsReadLock
    private volatile DtlsSrtpSession session;
    private volatile PacketPath remotePath;
    private final PathSelection paths = new PathSelection();
    private final java.util.concurrent.atomic.AtomicBoolean handshakeStarted =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile long lastMediaNanos = System.nanoTime();
    private final long createdNanos = System.nanoTime();
    private volatile long handshakeStartNanos;
    private SrtpContext receive; // guarded by this
    private SrtpContext send;    // guarded by sendLock

    WebRtcLeg(WebRtcEndpoint endpoint, IceCredentials local, String remoteUfrag, String remoteFingerprint,
              MediaListener listener) {
        this.endpoint = endpoint;
        this.local = local;
        this.responder = new IceLiteResponder(local.ufrag(), local.password(), remoteUfrag);
        this.remoteUfrag = remoteUfrag;
        this.remoteFingerprint = remoteFingerprint;
        this.listener = listener;
        this.dtlsTransport = new QueuedDatagramTransport((b, o, l) -> {
            PacketPath to = remotePath;
            if (to != null) {
                to.send(b, o, l);
            }
        }, 64);
    }

    public IceCredentials localCredentials() {
        return local;
    }

    /** The browser's a=ice-ufrag this leg answers checks for. */
    public String remoteUfrag() {
        return remoteUfrag;
    }

    /** The browser's a=fingerprint ("sha-256 AB:…"); a new peer connection has a new one. */
    public String remoteFingerprint() {
        return remoteFingerprint;
    }

    /**
     * ICE restart (RFC 8445 §9) on the same DTLS association: new local credentials, checks
     * with the browser's new ufrag. Called by {@link WebRtcEndpoint#restartIce}.
     */
    void restartIce(IceCredentials credentials, String newRemoteUfrag) {
        this.responder = new IceLiteResponder(credentials.ufrag(), credentials.password(), newRemoteUfrag);
        paths.restarted();
        this.local = credentials;
        this.remoteUfrag = newRemoteUfrag;
    }

    /** Where media goes: the nominated address, or the first validated one until nomination. */
    public InetSocketAddress remoteAddress() {
        PacketPath path = remotePath;
        return path == null ? null : path.address();
    }

    /** True when media currently runs over an ICE-TCP connection (RFC 6544) rather than UDP. */
    public boolean isTcp() {
        return remotePath instanceof IceTcpConnection;
    }

    public boolean isClosed() {
        return closed;
    }

    public boolean isConnected() {
        return connected;
    }

    /** System.nanoTime() of the last SRTP/SRTCP packet that authenticated, for the RTP timeout. */
    public long lastMediaNanos() {
        return lastMediaNanos;
    }

    /** Protects and sends one RTP packet; silently dropped until the leg is connected. */
    public void sendRtp(byte[] rtp, int off, int len) throws IOException {
        sendProtected(rtp, off, len, false);
    }

    public void sendRtcp(byte[] rtcp, int off, int len) throws IOException {
        sendProtected(rtcp, off, len, true);
    }

    public void close() {
        close("closed locally");
    }

    private void sendProtected(byte[] packet, int off, int len, boolean rtcp) throws IOException {
        PacketPath to = remotePath;
        if (!connected || to == null) {
            return;
        }
        byte[] out;
        synchronized (sendLock) {
            try {
                out = rtcp ? send.protectRtcp(packet, off, len) : send.protectRtp(packet, off, len);
            } catch (SrtpException e) {
                throw new IOException("cannot protect: " + e.getMessage(), e);
            }
        }
        to.send(out, 0, out.length);
    }

    /** A check that arrived on {@code path} (the UDP port or an ICE-TCP connection). */
    IceCheckResult handleStun(byte[] buf, int off, int len, PacketPath path) {
        IceCheckResult result = responder.handle(buf, off, len, path.address());
        if (result.valid()) {
            PacketPath current = remotePath;
            PacketPath chosen = paths.offer(path, path instanceof IceTcpConnection, result.nominated(),
                    result.priority(), System.nanoTime());
            if (current == null) {
                endpoint.metrics().iceConnected(System.nanoTime() - createdNanos);
            }
            if (current == null || !current.equals(chosen)) {
                remotePath = chosen;
                LOG.log(System.Logger.Level.DEBUG, "media path {0} {1} (nominated {2}, check priority {3})",
                        chosen instanceof IceTcpConnection ? "TCP" : "UDP", chosen.address(), result.nominated(),
                        Long.toString(result.priority()));
            }
        }
        return result;
    }

    void handleDtls(byte[] buf, int off, int len) {
        dtlsTransport.offer(buf, off, len);
        if (handshakeStarted.compareAndSet(false, true)) { // UDP and TCP receive threads may both get here
            handshakeStartNanos = System.nanoTime();
            endpoint.runHandshake(this);
        } else if (session != null) {
            endpoint.runDtlsPump(this);
        }
    }

    synchronized void handleSrtp(byte[] buf, int off, int len, PacketKind kind) {
        if (closed) {
            return;
        }
        if (receive == null) {
            if (early.size() < EARLY_PACKETS) {
                byte[] copy = new byte[len];
                System.arraycopy(buf, off, copy, 0, len);
                early.add(copy);
            }
            return;
        }
        unprotectAndDeliver(buf, off, len, kind);
    }

    private void unprotectAndDeliver(byte[] buf, int off, int len, PacketKind kind) {
        byte[] packet;
        try {
            packet = kind == PacketKind.RTCP ? receive.unprotectRtcp(buf, off, len) : receive.unprotectRtp(buf, off, len);
        } catch (SrtpException e) {
            endpoint.dropped(); // forged, replayed or corrupt
            endpoint.metrics().srtpAuthenticationFailed();
            return;
        }
        lastMediaNanos = System.nanoTime();
        try {
            if (kind == PacketKind.RTCP) {
                listener.onRtcp(this, packet);
            } else {
                listener.onRtp(this, packet);
            }
        } catch (RuntimeException e) {
            // A listener bug must not stop this leg's handshake thread or the shared receive thread.
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
        }
    }

    /** Runs on a handshake thread: accept, install keys, then hand DTLS reading to {@link #pumpDtls}. */
    void handshake(DtlsSrtpServer server) {
        DtlsSrtpSession session;
        try {
            session = server.accept(dtlsTransport, remoteFingerprint, () -> close("DTLS closed by peer"));
        } catch (IOException e) {
            close("DTLS handshake failed: " + e.getMessage());
            return;
        }
        synchronized (sendLock) {
            send = session.keys().serverSendContext();
        }
        synchronized (this) {
            receive = session.keys().serverReceiveContext();
            while (!early.isEmpty()) {
                byte[] p = early.poll();
                unprotectAndDeliver(p, 0, p.length, PacketKind.of(p, 0, p.length));
            }
        }
        connected = true;
        endpoint.metrics().dtlsConnected(System.nanoTime() - handshakeStartNanos);
        this.session = session;
        listener.onConnected(this);
        pumpDtls(); // whatever arrived while the keys were being installed
    }

    /**
     * After the handshake, DTLS carries only alerts (close_notify on pc.close()) and
     * retransmitted handshake flights. Rather than park a thread per leg in a blocking read,
     * each such datagram schedules this drain of the queue (1 ms wait once it is empty).
     */
    void pumpDtls() {
        DtlsSrtpSession current = session;
        if (current == null) {
            return;
        }
        synchronized (dtlsReadLock) {
            try {
                while (!closed && current.transport().receive(dtlsReadBuffer, 0, dtlsReadBuffer.length, 1) >= 0) {
                    // WebRTC audio sends no application data over DTLS: discard it
                }
            } catch (IOException e) {
                close("DTLS failed: " + e.getMessage());
            }
        }
    }

    void close(String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            connected = false;
            early.clear();
        }
        dtlsTransport.close();
        endpoint.remove(this);
        listener.onClosed(this, reason);
    }
}
