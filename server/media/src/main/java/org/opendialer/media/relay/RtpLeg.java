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

/**
 * Side B toward a SIP peer: plain RTP on an even port, RTCP on the port above (or muxed on the
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
            } else if (RtcpPacket.isValidCompound(buf, 0, len)) {
                rtcpMuxed = true;
                rtcpLatched = from;
                session.receivedRtcp(MediaSession.Side.B, buf, 0, len);
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
        session.receivedRtp(MediaSession.Side.B, formats, buf, 0, len);
    }

    /** On the I/O thread. */
    private void onRtcpPort(byte[] buf, int len, InetSocketAddress from) {
        if (!acceptsRtcpFrom(from)) {
            session.fromStranger();
            return;
        }
        if (!RtcpPacket.isValidCompound(buf, 0, len)) {
            session.droppedOnArrival();
            return;
        }
        rtcpLatched = from;
        session.receivedRtcp(MediaSession.Side.B, buf, 0, len);
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
        return to != null && !closed && send(ports.rtp(), buf, off, len, to);
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        InetSocketAddress rtp = latched != null ? latched : signalled;
        if (rtp == null || closed) {
            return false;
        }
        if (rtcpMuxed) {
            return send(ports.rtp(), buf, off, len, rtcpLatched != null ? rtcpLatched : rtp);
        }
        InetSocketAddress to = rtcpLatched != null ? rtcpLatched
                : rtcpSignalled != null ? rtcpSignalled : new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
        return send(ports.rtcp(), buf, off, len, to);
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
