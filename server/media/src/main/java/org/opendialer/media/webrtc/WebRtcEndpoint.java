package org.opendialer.media.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.opendialer.media.MediaMetrics;
import org.opendialer.media.dtls.DtlsCertificate;
import org.opendialer.media.dtls.DtlsSrtpServer;
import org.opendialer.media.rtp.PacketKind;
import org.opendialer.media.stun.IceCheckResult;
import org.opendialer.media.stun.IceLiteResponder;
import org.opendialer.media.stun.StunException;
import org.opendialer.media.stun.StunMessage;

/**
 * All WebRTC legs on one UDP port (DIALER_WEBRTC_PORT). Datagrams are told apart by their
 * first byte (RFC 7983): STUN goes to the leg named by the local half of USERNAME, and a valid
 * check binds the sender's address to that leg; DTLS and SRTP are then routed by address.
 * One receive thread does demultiplexing and SRTP; BouncyCastle's blocking handshakes run on
 * pooled threads, which after the handshake only wake for the rare DTLS datagram (alerts).
 */
public final class WebRtcEndpoint implements AutoCloseable {
    /** Larger than any datagram a browser sends (≤ 1500): a read that fills it was truncated. */
    private static final int RECEIVE_BUFFER = 2048;

    private final DatagramChannel channel;
    private final int port;
    private final DtlsSrtpServer dtls;
    private final ExecutorService handshakes;
    private final Map<String, WebRtcLeg> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, WebRtcLeg> byAddress = new ConcurrentHashMap<>();
    private final Thread receiver;
    private final LongAdder dropped = new LongAdder();
    private volatile MediaMetrics metrics = MediaMetrics.NONE;
    private volatile IceTcpListener tcp;
    private volatile boolean closed;

    private WebRtcEndpoint(DatagramChannel channel, DtlsCertificate certificate) throws IOException {
        this.channel = channel;
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        this.dtls = new DtlsSrtpServer(certificate);
        this.handshakes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "webrtc-dtls");
            t.setDaemon(true);
            return t;
        });
        this.receiver = new Thread(this::receiveLoop, "webrtc-udp-" + localPort());
        this.receiver.setDaemon(true);
    }

    static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    /** Where handshake times and SRTP authentication failures are counted. */
    public void setMetrics(MediaMetrics metrics) {
        this.metrics = metrics;
    }

    MediaMetrics metrics() {
        return metrics;
    }

    public static WebRtcEndpoint open(InetSocketAddress bind, DtlsCertificate certificate) throws IOException {
        return open(bind, 0, certificate);
    }

    /**
     * As {@link #open(InetSocketAddress, DtlsCertificate)}, and also a passive ICE-TCP candidate
     * (RFC 6544) on {@code tcpPort} of the same address: 0 = none, -1 = the number of the bound UDP port.
     */
    public static WebRtcEndpoint open(InetSocketAddress bind, int tcpPort, DtlsCertificate certificate)
            throws IOException {
        if (tcpPort < -1 || tcpPort > 65535) {
            throw new IllegalArgumentException("tcpPort out of range: " + tcpPort);
        }
        DatagramChannel channel = DatagramChannel.open();
        WebRtcEndpoint endpoint;
        try {
            // Every browser's packets queue on this one socket: the default ~200 KB holds about 20 ms of 250
            // calls, so a GC pause or a busy core dropped packets (docs/benchmarks.md, relay capacity). Ask for
            // 4 MiB; the kernel caps it at net.core.rmem_max.
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, RECEIVE_BUFFER_BYTES);
            channel.bind(bind);
            endpoint = new WebRtcEndpoint(channel, certificate);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (tcpPort != 0) {
            try {
                endpoint.tcp = IceTcpListener.open(endpoint,
                        new InetSocketAddress(bind.getAddress(), tcpPort == -1 ? endpoint.port : tcpPort));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw new IOException("cannot open the ICE-TCP port " + (tcpPort == -1 ? endpoint.port : tcpPort)
                        + ": " + e.getMessage(), e);
            }
        }
        endpoint.receiver.start();
        return endpoint;
    }

    /** The bound port (still known after close). */
    public int localPort() {
        return port;
    }

    /** The ICE-TCP port, or 0 when there is none. */
    public int tcpPort() {
        IceTcpListener t = tcp;
        return t == null ? 0 : t.localPort();
    }

    /**
     * Datagrams refused on this port: unknown ICE username or sender address, not STUN/DTLS/RTP,
     * oversized, or SRTP/SRTCP that failed authentication or replay checks.
     */
    public long droppedDatagrams() {
        return dropped.sum();
    }

    void dropped() {
        dropped.increment();
    }

    public DtlsCertificate certificate() {
        return dtls.certificate();
    }

    /**
     * A leg waiting for the browser's checks, with fresh local ICE credentials for the answer.
     *
     * @param remoteUfrag        the offer's a=ice-ufrag (checks with another one get 401)
     * @param remoteFingerprint  the offer's a=fingerprint value, e.g. "sha-256 AB:CD:…"
     */
    public WebRtcLeg createLeg(String remoteUfrag, String remoteFingerprint, MediaListener listener) {
        while (true) {
            IceCredentials credentials = IceCredentials.random();
            WebRtcLeg leg = new WebRtcLeg(this, credentials, remoteUfrag, remoteFingerprint, listener);
            if (byUfrag.putIfAbsent(credentials.ufrag(), leg) == null) {
                return leg;
            }
        }
    }

    /**
     * ICE restart of a leg whose browser keeps its DTLS association (same peer connection, new
     * a=ice-ufrag): the leg gets fresh local credentials for the new answer and answers only
     * checks with the new ufrags; DTLS and SRTP keys stay.
     */
    public void restartIce(WebRtcLeg leg, String remoteUfrag) {
        IceCredentials old = leg.localCredentials();
        while (true) {
            IceCredentials credentials = IceCredentials.random();
            if (byUfrag.putIfAbsent(credentials.ufrag(), leg) == null) {
                leg.restartIce(credentials, remoteUfrag);
                byUfrag.remove(old.ufrag(), leg);
                return;
            }
        }
    }

    /** An SDP answer for this leg at the given advertised address. */
    public SdpAnswer answerFor(WebRtcLeg leg, String advertisedAddress) {
        return new SdpAnswer().address(advertisedAddress, localPort()).tcpPort(tcpPort()).ice(leg.localCredentials())
                .fingerprint(certificate().fingerprint());
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        IceTcpListener t = tcp;
        if (t != null) {
            t.close();
        }
        for (WebRtcLeg leg : byUfrag.values()) {
            leg.close("endpoint closed");
        }
        handshakes.shutdownNow();
        // The JDK closes the socket only when the thread blocked in receive() leaves it: wait,
        // so that the port is free when close() returns.
        if (Thread.currentThread() != receiver) {
            try {
                receiver.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Per sending thread: a direct buffer saves the wrapper and the JDK's copy to its own. */
    private static final ThreadLocal<ByteBuffer> SEND_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(RECEIVE_BUFFER));

    void send(byte[] buf, int off, int len, InetSocketAddress to) {
        if (len > RECEIVE_BUFFER) {
            return;
        }
        ByteBuffer out = SEND_BUFFER.get();
        out.clear();
        out.put(buf, off, len).flip();
        try {
            channel.send(out, to);
        } catch (IOException e) {
            // UDP: a failed send is a lost packet; ICE consent or the RTP timeout ends dead legs.
        }
    }

    void runHandshake(WebRtcLeg leg) {
        try {
            handshakes.execute(() -> leg.handshake(dtls));
        } catch (RejectedExecutionException e) {
            leg.close("endpoint closed");
        }
    }

    void runDtlsPump(WebRtcLeg leg) {
        try {
            handshakes.execute(leg::pumpDtls);
        } catch (RejectedExecutionException e) {
            leg.close("endpoint closed");
        }
    }

    void remove(WebRtcLeg leg) {
        byUfrag.remove(leg.localCredentials().ufrag(), leg);
        byAddress.values().removeIf(l -> l == leg);
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
        byte[] buf = buffer.array();
        while (!closed) {
            SocketAddress from;
            buffer.clear();
            try {
                from = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue; // e.g. ICMP port unreachable reported on the next receive
            }
            if (buffer.position() == RECEIVE_BUFFER) {
                dropped.increment();
                continue;
            }
            if (from instanceof InetSocketAddress sender) {
                try {
                    dispatch(buf, buffer.position(), sender);
                } catch (RuntimeException e) {
                    // One bad datagram or listener must not stop the port for every other leg.
                    Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
                }
            }
        }
    }

    private void dispatch(byte[] buf, int len, InetSocketAddress from) {
        switch (PacketKind.of(buf, 0, len)) {
            case STUN -> handleStun(buf, len, from);
            case DTLS -> {
                WebRtcLeg leg = byAddress.get(from);
                if (leg != null) {
                    leg.handleDtls(buf, 0, len);
                } else {
                    dropped.increment();
                }
            }
            case RTP, RTCP -> {
                WebRtcLeg leg = byAddress.get(from);
                if (leg != null) {
                    leg.handleSrtp(buf, 0, len, PacketKind.of(buf, 0, len));
                } else {
                    dropped.increment();
                }
            }
            default -> dropped.increment(); // not ours
        }
    }

    private void handleStun(byte[] buf, int len, InetSocketAddress from) {
        String ufrag;
        try {
            ufrag = IceLiteResponder.localUfragOf(StunMessage.parse(buf, 0, len));
        } catch (StunException e) {
            dropped.increment();
            return;
        }
        WebRtcLeg leg = ufrag == null ? null : byUfrag.get(ufrag);
        if (leg == null) {
            dropped.increment();
            return; // unknown ufrag: stay silent rather than confirm the port to scanners
        }
        IceCheckResult result = leg.handleStun(buf, 0, len, new UdpPath(this, from));
        if (result.valid()) {
            byAddress.put(from, leg);
        }
        if (result.response() != null) {
            send(result.response(), 0, result.response().length, from);
        }
    }

    /**
     * A packet from an ICE-TCP connection, on the listener's thread. The first valid check binds the
     * connection to its leg; DTLS and SRTP are then routed by connection, as UDP routes by address.
     */
    void dispatchTcp(byte[] buf, int off, int len, IceTcpConnection connection) {
        WebRtcLeg bound = connection.leg();
        PacketKind kind = PacketKind.of(buf, off, len);
        if (kind == PacketKind.STUN) {
            String ufrag;
            try {
                ufrag = IceLiteResponder.localUfragOf(StunMessage.parse(buf, off, len));
            } catch (StunException e) {
                dropped.increment();
                return;
            }
            WebRtcLeg leg = ufrag == null ? null : byUfrag.get(ufrag);
            if (leg == null || bound != null && bound != leg) {
                dropped.increment(); // unknown, or another leg's check on a connection already bound
                return;
            }
            IceCheckResult result = leg.handleStun(buf, off, len, connection);
            if (result.valid()) {
                connection.bind(leg);
            }
            if (result.response() != null) {
                connection.send(result.response(), 0, result.response().length);
            }
            return;
        }
        if (bound == null || bound.isClosed()) {
            dropped.increment();
            return;
        }
        switch (kind) {
            case DTLS -> bound.handleDtls(buf, off, len);
            case RTP, RTCP -> bound.handleSrtp(buf, off, len, kind);
            default -> dropped.increment();
        }
    }
}
