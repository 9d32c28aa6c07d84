package org.opendialer.sip;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Binds a UDP socket on the next free even port of {@code [min, max]} (RTP on even ports, RFC 3550 11),
 * walking the range round-robin so a just-released port is not reused at once.
 */
public final class RangeRtpPortAllocator implements RtpPortAllocator {
    private final InetAddress bindAddress;
    private final int min;
    private final int max;
    private final AtomicInteger cursor = new AtomicInteger();

    public RangeRtpPortAllocator(InetAddress bindAddress, int min, int max) {
        if (min < 1024 || max > 65535 || min > max) {
            throw new IllegalArgumentException("bad RTP port range " + min + "-" + max);
        }
        this.bindAddress = bindAddress;
        this.min = min + (min & 1);
        this.max = max;
        if (this.min > max) {
            throw new IllegalArgumentException("no even port in " + min + "-" + max);
        }
    }

    @Override
    public DatagramChannel allocate() throws IOException {
        int slots = (max - min) / 2 + 1;
        for (int i = 0; i < slots; i++) {
            int port = min + 2 * Math.floorMod(cursor.getAndIncrement(), slots);
            DatagramChannel channel = DatagramChannel.open();
            try {
                channel.bind(new InetSocketAddress(bindAddress, port));
                return channel;
            } catch (BindException e) {
                channel.close();
            }
        }
        throw new IOException("no free RTP port in " + min + "-" + max);
    }
}
