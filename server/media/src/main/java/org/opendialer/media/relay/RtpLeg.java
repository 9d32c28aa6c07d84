package org.opendialer.media.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import org.opendialer.media.rtp.PacketKind;
import org.opendialer.media.rtp.RtcpPacket;
import org.opendialer.media.rtp.RtpPacket;
import org.opendialer.media.srtp.SrtpContext;
import org.opendialer.media.srtp.SrtpException;

/**
 * Side B toward a SIP peer: RTP (or SRTP with SDES keys, {@link #srtp}) on an even port, RTCP on the port above (or muxed on the
 * RTP port when the peer does so). Symmetric RTP (RFC 4961): media goes back to the address
 * packets come from, which behind a NAT is not the one in the peer's SDP. Only the peer may
 * latch: the first packet after {@link #remote} from the SDP's host or the host the call's SIP
 * comes from ({@link #signallingSource}) latches its port; later, only the latched or the
 * signalled address is accepted. Anything else is dropped and counted as from a stranger, so a
 * sender elsewhere can neither hear the call nor move its stream.
 */
final class RtpLeg implements Leg {
    private final MediaSession session;
    private final RtpIoLoop io;
    private final RtpPortAllocator allocator;
    private final RtpPortAllocator.Ports ports;
    private final SelectionKey rtpKey;
    private final SelectionKey rtcpKey;
    private volatile PayloadFormats formats = PayloadFormats.EMPTY;
    private volatile InetSocketAddress signalled;
    private volatile InetAddress signallingSource;
    private volatile InetSocketAddress latched;
    private volatile InetSocketAddress rtcpSignalled;
    private volatile InetSocketAddress rtcpLatched;
    private volatile boolean rtcpMuxed;
    private volatile boolean closed;
    /** SRTP toward the peer (SDES keys, RFC 4568), or null for plain RTP. */
    private volatile SdesContexts srtp;

    /** One context per direction; the send side is shared by the sending threads, so used under its lock. */
    private record SdesContexts(byte[] sendKeySalt, byte[] receiveKeySalt, SrtpContext send, SrtpContext receive) {
        static SdesContexts of(byte[] sendKeySalt, byte[] receiveKeySalt) {
            return new SdesContexts(sendKeySalt.clone(), receiveKeySalt.clone(), context(sendKeySalt),
                    context(receiveKeySalt));
        }

        private static SrtpContext context(byte[] keySalt) {
            if (keySalt.length != SrtpContext.MASTER_KEY_LENGTH + SrtpContext.MASTER_SALT_LENGTH) {
                throw new IllegalArgumentException("an SDES key is 16 bytes of key and 14 of salt");
            }
            return new SrtpContext(java.util.Arrays.copyOf(keySalt, SrtpContext.MASTER_KEY_LENGTH),
                    java.util.Arrays.copyOfRange(keySalt, SrtpContext.MASTER_KEY_LENGTH, keySalt.length));
        }

        boolean sameKeys(byte[] send, byte[] receive) {
            return java.util.Arrays.equals(sendKeySalt, send) && java.util.Arrays.equals(receiveKeySalt, receive);
        }
    }

    RtpLeg(MediaSession session, RtpIoLoop io, RtpPortAllocator allocator) throws IOException {
        this.session = session;
        this.io = io;
        this.allocator = allocator;
        this.ports = allocator.allocate();
        SelectionKey rtp = null;
        try {
            rtp = io.register(ports.rtp(), this::onRtpPort);
            this.rtpKey = rtp;
            this.rtcpKey = io.register(ports.rtcp(), this::onRtcpPort);
        } catch (IOException | RuntimeException e) {
            io.close(rtp);
            ports.rtp().close();
            ports.rtcp().close();
            allocator.release(ports.port());
            throw e;
        }
    }

    int port() {
        return ports.port();
    }

    void remote(InetSocketAddress address, InetSocketAddress rtcpAddress, PayloadFormats formats) {
        this.formats = formats;
        if (!address.equals(signalled) || !java.util.Objects.equals(rtcpAddress, rtcpSignalled)) {
            latched = null;
            rtcpLatched = null;
            rtcpMuxed = address.equals(rtcpAddress);
        }
        this.rtcpSignalled = rtcpAddress;
        this.signalled = address;
    }

    /**
     * SRTP with these master keys and salts (16 + 14 bytes each, from SDES): ours protects what we send, the
     * peer's unprotects what we receive. Nulls mean plain RTP. The same keys again (a re-INVITE) keep the
     * contexts, and with them the rollover counters and replay windows.
     */
    void srtp(byte[] sendKeySalt, byte[] receiveKeySalt) {
        if (sendKeySalt == null || receiveKeySalt == null) {
            srtp = null;
            return;
        }
        SdesContexts current = srtp;
        if (current == null || !current.sameKeys(sendKeySalt, receiveKeySalt)) {
            srtp = SdesContexts.of(sendKeySalt, receiveKeySalt);
        }
    }

    /** The host the call's SIP messages come from: its packets may latch too (the peer behind a NAT). */
    void signallingSource(InetAddress host) {
        this.signallingSource = host;
    }

    boolean hasRemote() {
        return signalled != null;
    }

    @Override
    public PayloadFormats formats() {
        return formats;
    }

    /** On the I/O thread. */
    private void onRtpPort(byte[] buf, int len, InetSocketAddress from) {
        PacketKind kind = PacketKind.of(buf, 0, len);
        if (kind == PacketKind.RTCP) {
            if (!acceptsRtcpFrom(from)) {
                session.fromStranger();
                return;
            }
            byte[] plain = unprotect(buf, len, true);
            if (plain == null) {
                session.droppedOnArrival();
            } else if (RtcpPacket.isValidCompound(plain, 0, plain.length)) {
                rtcpMuxed = true;
                rtcpLatched = from;
                session.receivedRtcp(MediaSession.Side.B, plain, 0, plain.length);
            } else {
                session.droppedOnArrival();
            }
            return;
        }
        if (kind != PacketKind.RTP || RtpPacket.payloadLength(buf, 0, len) < 0) {
            session.droppedOnArrival();
            return;
        }
        if (!acceptsRtpFrom(from)) {
            session.fromStranger();
            return;
        }
        if (srtp == null) {
            session.receivedRtp(MediaSession.Side.B, formats, buf, 0, len); // plain RTP: no copy on the hot path
            return;
        }
        byte[] plain = unprotect(buf, len, false);
        if (plain == null || RtpPacket.payloadLength(plain, 0, plain.length) < 0) {
            session.droppedOnArrival();
            return;
        }
        session.receivedRtp(MediaSession.Side.B, formats, plain, 0, plain.length);
    }

    /**
     * The packet itself with plain RTP; with SRTP its authenticated, decrypted copy, or null when it fails
     * authentication or replay checks (a forged, damaged or replayed packet is dropped, never relayed).
     */
    private byte[] unprotect(byte[] buf, int len, boolean rtcp) {
        SdesContexts keys = srtp;
        if (keys == null) {
            return len == buf.length ? buf : java.util.Arrays.copyOf(buf, len);
        }
        try {
            return rtcp ? keys.receive().unprotectRtcp(buf, 0, len) : keys.receive().unprotectRtp(buf, 0, len);
        } catch (SrtpException | RuntimeException e) {
            return null;
        }
    }

    /** On the I/O thread. */
    private void onRtcpPort(byte[] buf, int len, InetSocketAddress from) {
        if (!acceptsRtcpFrom(from)) {
            session.fromStranger();
            return;
        }
        byte[] plain = unprotect(buf, len, true);
        if (plain == null || !RtcpPacket.isValidCompound(plain, 0, plain.length)) {
            session.droppedOnArrival();
            return;
        }
        rtcpLatched = from;
        session.receivedRtcp(MediaSession.Side.B, plain, 0, plain.length);
    }

    private boolean acceptsRtpFrom(InetSocketAddress from) {
        InetSocketAddress expected = signalled;
        if (expected == null || closed) {
            return false; // no SDP from the peer yet: nothing to relay to or with
        }
        InetSocketAddress current = latched;
        if (from.equals(current)) {
            return true;
        }
        if (from.equals(expected) || current == null && isPeerHost(from.getAddress(), expected)) {
            latched = from;
            return true;
        }
        return false;
    }

    private boolean isPeerHost(InetAddress host, InetSocketAddress expected) {
        return host.equals(expected.getAddress()) || host.equals(signallingSource);
    }

    private boolean acceptsRtcpFrom(InetSocketAddress from) {
        InetSocketAddress expected = signalled;
        if (expected == null || closed) {
            return false;
        }
        InetSocketAddress current = latched;
        return isPeerHost(from.getAddress(), expected)
                || current != null && from.getAddress().equals(current.getAddress());
    }

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        InetSocketAddress to = latched;
        if (to == null) {
            to = signalled;
        }
        if (to == null || closed) {
            return false;
        }
        SdesContexts keys = srtp;
        if (keys == null) {
            return send(ports.rtp(), buf, off, len, to);
        }
        byte[] out;
        try {
            synchronized (keys.send()) {
                out = keys.send().protectRtp(buf, off, len);
            }
        } catch (SrtpException | RuntimeException e) {
            return false;
        }
        return send(ports.rtp(), out, 0, out.length, to);
    }

    /** {@code buf} as it goes on the wire: SRTCP-protected with SRTP, else itself (null on failure). */
    private byte[] protectRtcp(byte[] buf, int off, int len) {
        SdesContexts keys = srtp;
        if (keys == null) {
            return off == 0 && len == buf.length ? buf : java.util.Arrays.copyOfRange(buf, off, off + len);
        }
        try {
            synchronized (keys.send()) {
                return keys.send().protectRtcp(buf, off, len);
            }
        } catch (SrtpException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        InetSocketAddress rtp = latched != null ? latched : signalled;
        if (rtp == null || closed) {
            return false;
        }
        byte[] wire = protectRtcp(buf, off, len);
        if (wire == null) {
            return false;
        }
        if (rtcpMuxed) {
            return send(ports.rtp(), wire, 0, wire.length, rtcpLatched != null ? rtcpLatched : rtp);
        }
        InetSocketAddress to = rtcpLatched != null ? rtcpLatched
                : rtcpSignalled != null ? rtcpSignalled : new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
        return send(ports.rtcp(), wire, 0, wire.length, to);
    }

    /**
     * Per sending thread (the WebRTC receive thread, a handshake thread draining early packets,
     * the timer): a direct buffer, so a send neither allocates a wrapper nor makes the JDK copy
     * a heap buffer into its own temporary direct buffer.
     */
    private static final ThreadLocal<ByteBuffer> SEND_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(RtpIoLoop.BUFFER_SIZE));

    private static boolean send(DatagramChannel channel, byte[] buf, int off, int len, InetSocketAddress to) {
        if (len > RtpIoLoop.BUFFER_SIZE) {
            return false;
        }
        ByteBuffer out = SEND_BUFFER.get();
        out.clear();
        out.put(buf, off, len).flip();
        try {
            return channel.send(out, to) > 0;
        } catch (IOException e) {
            return false; // UDP: a lost packet (ICMP unreachable, full buffer); the timeout ends dead legs
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        io.close(rtpKey);
        io.close(rtcpKey);
        allocator.release(ports.port());
    }
}
