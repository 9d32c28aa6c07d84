package org.opendialer.media.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One browser's ICE-TCP connection to the passive candidate (RFC 6544): packets framed by RFC 4571.
 * Reads happen on the {@link IceTcpListener} thread; sends come from any thread and never block:
 * what the socket does not take at once waits in {@code pending} and is written before the next
 * packet, and a packet that finds the backlog still there is dropped (audio tolerates loss, a stalled
 * relay thread does not).
 */
final class IceTcpConnection implements PacketPath {
    /** Unsent bytes kept before packets are dropped: about 40 packets of audio. */
    private static final int PENDING_LIMIT = 8192;

    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final Rfc4571Decoder decoder;
    private final long openedNanos = System.nanoTime();
    private final ByteBuffer out = ByteBuffer.allocateDirect(2 + 65535);
    private final ByteBuffer pending = ByteBuffer.allocate(PENDING_LIMIT); // guarded by this, read mode
    private volatile WebRtcLeg leg;
    private volatile boolean closed;
    private long dropped; // guarded by this

    IceTcpConnection(SocketChannel channel, InetSocketAddress remote, int maxFrame) {
        this.channel = channel;
        this.remote = remote;
        this.decoder = new Rfc4571Decoder(maxFrame);
        pending.flip(); // empty, in read mode
    }

    @Override
    public InetSocketAddress address() {
        return remote;
    }

    SocketChannel channel() {
        return channel;
    }

    Rfc4571Decoder decoder() {
        return decoder;
    }

    long openedNanos() {
        return openedNanos;
    }

    /** The leg a valid STUN check bound this connection to; null before. */
    WebRtcLeg leg() {
        return leg;
    }

    void bind(WebRtcLeg leg) {
        this.leg = leg;
    }

    boolean isClosed() {
        return closed;
    }

    synchronized long droppedPackets() {
        return dropped;
    }

    @Override
    public synchronized void send(byte[] buf, int off, int len) {
        if (closed || len < 1 || len > 65535) {
            return;
        }
        try {
            if (pending.hasRemaining()) {
                channel.write(pending);
                if (pending.hasRemaining()) {
                    dropped++;
                    return;
                }
            }
            out.clear();
            out.put((byte) (len >>> 8)).put((byte) len).put(buf, off, len).flip();
            channel.write(out);
            if (out.hasRemaining()) {
                if (out.remaining() > PENDING_LIMIT) {
                    close(); // framing cannot survive a half-written packet that does not fit
                    return;
                }
                pending.clear();
                pending.put(out).flip();
            }
        } catch (IOException e) {
            close();
        }
    }

    void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
