package org.opendialer.media.relay;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out even/odd port pairs (RTP, RTCP: RFC 3550 §11) from the configured range, round
 * robin so a just-freed port is not reused at once (late packets of the old call would land
 * in the new one). A port another process holds is skipped. Not on the packet path.
 */
final class RtpPortAllocator {
    record Ports(int port, DatagramChannel rtp, DatagramChannel rtcp) {
    }

    private final InetAddress bindAddress;
    private final int min;
    private final int max;
    private final int firstEven;
    private final int pairs;
    private final Set<Integer> inUse = new HashSet<>();
    private int cursor;

    RtpPortAllocator(InetAddress bindAddress, int min, int max) {
        this.bindAddress = bindAddress;
        this.min = min;
        this.max = max;
        this.firstEven = min + (min & 1);
        this.pairs = (max - firstEven + 1) / 2;
    }

    synchronized Ports allocate() throws IOException {
        for (int i = 0; i < pairs; i++) {
            int index = (cursor + i) % pairs;
            int port = firstEven + 2 * index;
            if (inUse.contains(port)) {
                continue;
            }
            DatagramChannel rtp = null;
            DatagramChannel rtcp = null;
            try {
                rtp = DatagramChannel.open();
                rtp.bind(new InetSocketAddress(bindAddress, port));
                rtcp = DatagramChannel.open();
                rtcp.bind(new InetSocketAddress(bindAddress, port + 1));
                rtp.configureBlocking(false);
                rtcp.configureBlocking(false);
            } catch (BindException e) {
                closeQuietly(rtp);
                closeQuietly(rtcp);
                continue; // held by another process
            } catch (IOException | RuntimeException e) {
                closeQuietly(rtp);
                closeQuietly(rtcp);
                throw e;
            }
            inUse.add(port);
            cursor = index + 1;
            return new Ports(port, rtp, rtcp);
        }
        throw new IOException("no free RTP port pair in " + min + "-" + max + " on " + bindAddress.getHostAddress()
                + ": " + inUse.size() + " of " + pairs + " pairs in use by this relay, the rest held by other sockets");
    }

    synchronized void release(int port) {
        inUse.remove(port);
    }

    synchronized int inUse() {
        return inUse.size();
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}
